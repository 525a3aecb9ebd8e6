// A remote MCP server for DataFast on Cloudflare Workers: Streamable HTTP at /mcp, stateless.
// Each request brings its own `Authorization: Bearer dft_…`; the Worker holds no secret.
import { createMcpHandler } from 'datafast-wasm/mcp';

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/mcp') return new Response('Not found: the MCP endpoint is /mcp\n', { status: 404 });
    const handle = createMcpHandler({
      baseUrl: env.DATAFAST_API_BASE || undefined, // default https://datafa.st; the emulator in tests
      websiteId: env.DATAFAST_WEBSITE_ID || undefined,
      readOnly: env.MCP_READ_ONLY === 'true',
      toolsets: env.MCP_TOOLSETS ? env.MCP_TOOLSETS.split(',') : undefined,
      allowedOrigins: env.MCP_ALLOWED_ORIGINS ? env.MCP_ALLOWED_ORIGINS.split(',') : [],
    });
    return handle(request);
  },
};
