// An example Worker whose every invocation shares one token's rate limit through the Durable
// Object limiter. GET /?goals=N&pages=M&key=K fires N goals.create and M analytics.pages calls
// at once and answers what happened; the emulator's base URL and key come from vars.
import { WebsiteClient } from 'datafast-wasm';
import { DurableObjectRateLimiter } from './limiter.mjs';

export { RateLimiterObject } from './limiter.mjs';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const goals = Number(url.searchParams.get('goals') ?? 0);
    const pages = Number(url.searchParams.get('pages') ?? 0);
    const tag = url.searchParams.get('tag') ?? 'w';
    const client = new WebsiteClient({
      token: env.DATAFAST_SITE_KEY,
      baseUrl: env.DATAFAST_API_BASE,
      timeoutMs: 600_000,
      rateLimit: new DurableObjectRateLimiter(env.DATAFAST_LIMITER),
    });
    const started = Date.now();
    const calls = [];
    for (let i = 0; i < goals; i++) {
      calls.push(client.goals.create({
        datafast_visitor_id: env.DATAFAST_VISITOR_ID,
        name: 'paced_goal',
        metadata: { run: tag, n: String(i) },
      }));
    }
    for (let i = 0; i < pages; i++) calls.push(client.analytics.pages({ limit: 1 }));
    const settled = await Promise.allSettled(calls);
    const failures = settled.filter((s) => s.status === 'rejected').map((s) => `${s.reason?.code}: ${s.reason?.message}`);
    return Response.json({ ok: failures.length === 0, calls: calls.length, failures: failures.slice(0, 5), ms: Date.now() - started });
  },
};
