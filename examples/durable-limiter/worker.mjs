// An example Worker whose every invocation shares one token's rate limit through the Durable
// Object limiter. GET /?goals=N&pages=M&name=GOAL fires N goals.create (named GOAL) and M
// analytics.pages calls at once and answers what happened; the API's base URL, a website key
// and a visitor come from vars.
import { WebsiteClient } from 'datafast-wasm';
import { DurableObjectRateLimiter } from './limiter.mjs';

export { RateLimiterObject } from './limiter.mjs';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const goals = Number(url.searchParams.get('goals') ?? 0);
    const pages = Number(url.searchParams.get('pages') ?? 0);
    const name = url.searchParams.get('name') ?? 'paced_goal';
    const client = new WebsiteClient({
      token: env.DATAFAST_SITE_KEY,
      baseUrl: env.DATAFAST_API_BASE,
      timeoutMs: 600_000,
      rateLimit: new DurableObjectRateLimiter(env.DATAFAST_LIMITER),
    });
    const started = Date.now();
    const calls = [];
    for (let i = 0; i < goals; i++) {
      calls.push(client.goals.create({ datafast_visitor_id: env.DATAFAST_VISITOR_ID, name }));
    }
    for (let i = 0; i < pages; i++) calls.push(client.analytics.pages({ limit: 1 }));
    // The window the first call landed in, so a benchmark can tell the least time possible.
    const first = calls.length > 0 ? calls[0].withResponse().then((r) => r.rateLimit.reset, () => null) : null;
    const settled = await Promise.allSettled(calls);
    const failures = settled.filter((s) => s.status === 'rejected').map((s) => `${s.reason?.code}: ${s.reason?.message}`);
    return Response.json({
      ok: failures.length === 0,
      calls: calls.length,
      failures: failures.slice(0, 5),
      ms: Date.now() - started,
      firstReset: await first,
    });
  },
};
