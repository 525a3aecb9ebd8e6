// Pacing, maxConcurrency and shared limiters through the package (js/driver.js driving the
// core), against an in-process fixed-window server: `limit` requests per `windowMs`, a window
// opening at the first request after the last one ended, as the emulator and the API count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebsiteClient } from '../../pkg/node.js';
import { TokenWindow } from '../../examples/durable-limiter/window.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let tokens = 0;
// A fresh token per test: clients of one token share its pacer in this process.
const token = () => `df_pacingtest${String(++tokens).padStart(20, '0')}`;

/** A fake API: its `fetch`, and what it saw. */
function server({ limit, windowMs, headers = true, delayMs = 2 }) {
  const seen = { requests: 0, served429: 0, order: [], maxInFlight: 0 };
  let start = 0, count = 0, inFlight = 0;
  const fetch = async (url, init) => {
    seen.requests++;
    seen.order.push(new URL(url).searchParams.get('limit'));
    inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
    try {
      await sleep(delayMs);
      const now = Date.now();
      if (now >= start + windowMs) [start, count] = [now, 0];
      const reset = start + windowMs; // Unix ms: the client reads values >= 1e12 as such
      const allowed = count < limit;
      if (allowed) count++;
      const h = headers ? { 'x-ratelimit-limit': `${limit}`, 'x-ratelimit-remaining': `${limit - count}`, 'x-ratelimit-reset': `${reset}` } : {};
      if (!allowed) {
        seen.served429++;
        return new Response(JSON.stringify({ error: 'Too many requests', message: 'Rate limit exceeded', limit, remaining: 0, reset }), { status: 429, headers: h });
      }
      return new Response(JSON.stringify({ status: 'success', data: [{ visitors: 1 }] }), { headers: h });
    } finally {
      inFlight--;
    }
  };
  return { fetch, seen };
}

const client = (fetch, options = {}) =>
  new WebsiteClient({ token: token(), baseUrl: 'http://127.0.0.1:9', fetch, timeoutMs: 20_000, maxRetries: 0, ...options });
const overview = (c, i, options) => c.analytics.pages({ limit: i + 1 }, options);

test('a burst through one client never provokes a 429', async () => {
  const { fetch, seen } = server({ limit: 5, windowMs: 200 });
  const c = client(fetch);
  const results = await Promise.all(Array.from({ length: 32 }, (_, i) => overview(c, i)));
  assert.equal(results.length, 32);
  assert.deepEqual([seen.served429, seen.requests], [0, 32]);
  assert.ok(seen.maxInFlight <= 5, `${seen.maxInFlight} in flight, past the window's 5`);
});

test('two clients of one token share its window; another token has its own', async () => {
  const { fetch, seen } = server({ limit: 4, windowMs: 200 });
  const t = token();
  const a = client(fetch, { token: t });
  const b = client(fetch, { token: t });
  await Promise.all(Array.from({ length: 24 }, (_, i) => overview(i % 2 ? a : b, i)));
  assert.deepEqual([seen.served429, seen.requests], [0, 24]);

  // A second token on the same server would be refused by a shared window: its own pacer
  // lets it send while the first token's window is spent.
  const other = server({ limit: 2, windowMs: 60_000 });
  const c1 = client(other.fetch);
  await overview(c1, 0);
  await overview(c1, 1);
  const c2 = client(other.fetch);
  await assert.rejects(overview(c2, 2), (e) => e.status === 429, 'c2 is not held by c1 pacer');
});

test('maxConcurrency: calls past it start in order as places free', async () => {
  const { fetch, seen } = server({ limit: 1000, windowMs: 60_000, delayMs: 5 });
  const c = client(fetch, { maxConcurrency: 2 });
  await overview(c, 0); // the probe: later calls know the window
  seen.order.length = 0;
  await Promise.all(Array.from({ length: 12 }, (_, i) => overview(c, i + 1)));
  assert.equal(seen.maxInFlight, 2);
  assert.deepEqual(seen.order, Array.from({ length: 12 }, (_, i) => String(i + 2)));
});

test('a call whose budget cannot fit the wait fails at once with rate_limited', async () => {
  const { fetch, seen } = server({ limit: 2, windowMs: 5_000 });
  const c = client(fetch);
  await overview(c, 0);
  await overview(c, 1);
  const before = seen.requests;
  const started = Date.now();
  const error = await overview(c, 2, { timeoutMs: 1_000 }).then(() => null, (e) => e);
  assert.equal(error?.code, 'rate_limited', String(error));
  assert.equal(error.status, 0);
  assert.equal(error.rateLimit.limit, 2);
  assert.equal(error.rateLimit.remaining, 0);
  assert.ok(error.rateLimit.reset > started, 'the window end the server reported');
  assert.match(error.message, /past the call's 1000 ms timeoutMs; not sent/);
  assert.equal(seen.requests, before, 'nothing was sent');
});

test('an abort while waiting for the window or queued rejects with aborted', async () => {
  const { fetch, seen } = server({ limit: 1, windowMs: 10_000 });
  const c = client(fetch, { maxConcurrency: 1 });
  await overview(c, 0);
  const sent = seen.requests;
  const waiting = new AbortController();
  const queued = new AbortController();
  const first = overview(c, 1, { signal: waiting.signal }); // waits for the window
  const second = overview(c, 2, { signal: queued.signal }); // queued behind it
  await sleep(20);
  queued.abort(new Error('queued, then cancelled'));
  await assert.rejects(second, (e) => e.code === 'aborted' && e.cause?.message === 'queued, then cancelled');
  waiting.abort();
  await assert.rejects(first, (e) => e.code === 'aborted');
  assert.equal(seen.requests, sent, 'neither was sent');
});

test('a queued call keeps its timeoutMs', async () => {
  let release;
  const hang = new Promise((resolve) => (release = resolve));
  const fetch = async () => {
    await hang;
    return new Response(JSON.stringify({ status: 'success', data: [] }));
  };
  const c = client(fetch, { maxConcurrency: 1, rateLimit: false });
  const first = overview(c, 0);
  await assert.rejects(overview(c, 1, { timeoutMs: 50 }), (e) => e.code === 'timeout' && /ran out while waiting/.test(e.message));
  release();
  await first;
});

test('rateLimit: false sends at once and meets the 429s', async () => {
  const { fetch, seen } = server({ limit: 3, windowMs: 60_000 });
  const c = client(fetch, { rateLimit: false, maxConcurrency: 50 });
  const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => overview(c, i)));
  assert.equal(settled.filter((s) => s.status === 'fulfilled').length, 3);
  assert.equal(seen.served429, 7);
});

test('a server without rate-limit headers is not paced after its first answer', async () => {
  const { fetch, seen } = server({ limit: 1000, windowMs: 60_000, headers: false, delayMs: 20 });
  const c = client(fetch, { maxConcurrency: 20 });
  await Promise.all(Array.from({ length: 10 }, (_, i) => overview(c, i)));
  assert.ok(seen.maxInFlight >= 5, `only ${seen.maxInFlight} at once`);
});

/** A shared limiter as a Durable Object runs it (examples/durable-limiter), in-process. */
function sharedLimiter() {
  const windows = new Map();
  const calls = { acquire: 0, report: 0, keys: new Set() };
  const windowOf = (key) => windows.get(key) ?? windows.set(key, new TokenWindow()).get(key);
  return {
    calls,
    async acquire(key) {
      calls.acquire++;
      calls.keys.add(key);
      return windowOf(key).acquire(Date.now());
    },
    async report(key, rateLimit) {
      calls.report++;
      windowOf(key).report(rateLimit, Date.now());
    },
  };
}

test('a shared limiter paces clients that share nothing else', async () => {
  const { fetch, seen } = server({ limit: 4, windowMs: 200 });
  const limiter = sharedLimiter();
  const t = token();
  // Two clients as two isolates would have them: each its own pacer, one limiter between them.
  const a = client(fetch, { token: t, rateLimit: limiter });
  const b = client(fetch, { token: t, rateLimit: limiter });
  await Promise.all(Array.from({ length: 20 }, (_, i) => overview(i % 2 ? a : b, i)));
  assert.deepEqual([seen.served429, seen.requests], [0, 20]);
  assert.equal(limiter.calls.report, 20, 'one report per attempt sent');
  assert.equal(limiter.calls.keys.size, 1);
  const [key] = limiter.calls.keys;
  assert.match(key, /^[0-9a-f]{16}$/, 'a hash names the token');
  assert.ok(!t.includes(key));

  const error = await overview(a, 0, { timeoutMs: 1 }).then(() => null, (e) => e);
  assert.equal(error?.code, 'rate_limited');
});

test('an attempt aborted in flight gives its place in the shared limiter back', async () => {
  const limiter = sharedLimiter();
  const reports = [];
  const report = limiter.report;
  limiter.report = async (key, rateLimit) => { reports.push(rateLimit); return report(key, rateLimit); };
  const fetch = (url, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));
  const c = client(fetch, { rateLimit: limiter });
  const controller = new AbortController();
  const call = overview(c, 0, { signal: controller.signal });
  await sleep(10);
  controller.abort();
  await assert.rejects(call, (e) => e.code === 'aborted');
  await sleep(0);
  assert.deepEqual(reports, [{ limit: null, remaining: null, reset: null }]);
  const [key] = limiter.calls.keys;
  assert.equal((await limiter.acquire(key)).waitMs, 0, 'the probe place is free again');
});

test('a failing or hanging limiter fails the attempt, not the process', async () => {
  const { fetch } = server({ limit: 100, windowMs: 60_000 });
  const broken = { acquire: async () => { throw new Error('limiter down'); }, report: () => {} };
  const c = client(fetch, { rateLimit: broken });
  await assert.rejects(overview(c, 0), (e) => e.code === 'network_error' && /shared rate limiter failed: limiter down/.test(e.message));
  const hung = { acquire: () => new Promise(() => {}), report: () => {} };
  const h = client(fetch, { rateLimit: hung });
  await assert.rejects(overview(h, 0, { timeoutMs: 50 }), (e) => e.code === 'timeout');
});

test('pacing options are checked by name', () => {
  const make = (options) => () => new WebsiteClient({ token: token(), baseUrl: 'http://127.0.0.1:9', ...options });
  for (const maxConcurrency of [0, 1.5, 1001, '4']) {
    assert.throws(make({ maxConcurrency }), (e) => e.code === 'invalid_options' && e.field === 'maxConcurrency');
  }
  for (const rateLimit of ['yes', 1, {}, { acquire() {} }]) {
    assert.throws(make({ rateLimit }), (e) => e.code === 'invalid_options' && e.field === 'rateLimit');
  }
  make({ rateLimit: true, maxConcurrency: 1000 })();
});
