// The example Worker as deployed, plus one test-only route: the MCP conformance suite's client
// sends no credentials, so /conformance/mcp adds the test token and forwards to /mcp.
import worker from './index.js';

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/conformance/mcp') return worker.fetch(request, env);
    url.pathname = '/mcp';
    const forwarded = new Request(url, request);
    forwarded.headers.set('Authorization', `Bearer ${env.TEST_TOKEN}`);
    return worker.fetch(forwarded, env);
  },
};
