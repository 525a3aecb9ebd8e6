// `datafast-wasm/mcp`: DataFast as a remote MCP server (Streamable HTTP, stateless). Needs the
// optional peer dependency `@modelcontextprotocol/sdk` and the Fetch API's `Request` and
// `Response` types (Workers types, the DOM lib or @types/node).
import type { ClientOptions } from './index.js';

export interface McpHandlerOptions extends Pick<ClientOptions, 'baseUrl' | 'fetch' | 'timeoutMs' | 'maxRetries'> {
  /** The website tools act on when a call names none (tools that act on one website). */
  websiteId?: string;
  /** List and run only the tools that read. */
  readOnly?: boolean;
  /** Only these tool groups: analytics, visitors, goals, payments, account, websites, tokens, apikeys, funnels, alerts, team, integrations. */
  toolsets?: readonly string[];
  /** Declare each tool's `outputSchema` (about 23 KB more in `tools/list`; off by default to keep it lean). */
  outputSchemas?: boolean;
  /** Browser origins allowed besides loopback pages (`http://localhost:…`); any other `Origin` gets 403. Requests without `Origin` (agents, editors) are not browsers and are not checked. */
  allowedOrigins?: readonly string[];
}

/**
 * A `fetch`-style handler for MCP requests. The credential is the request's
 * `Authorization: Bearer dft_…` (or `df_…`), used for that request only.
 */
export declare function createMcpHandler(options?: McpHandlerOptions): (request: Request) => Promise<Response>;

/** The server's instructions: what every tool shares (dates, filters, the default website). */
export declare const instructions: string;
