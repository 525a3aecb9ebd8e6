// How attempts get their AbortSignal (js/driver.js): concurrent attempts of a client share one
// until an attempt times out; that one is then aborted as soon as its last attempt settles, so
// a hung request is ended, and no request that is still running in time is cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebsiteClient } from '../../pkg/node.js';

const OK = JSON.stringify({ status: 'success', data: [{ visitors: 1 }] });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a hung request is aborted; the requests sharing its signal finish first', async () => {
  const signals = [];
  let hungAborted = false;
  const fetch = async (url, init) => {
    signals.push(init.signal);
    if (signals.length === 1) {
      return new Promise((_, reject) => init.signal.addEventListener('abort', () => { hungAborted = true; reject(new Error('aborted')); }));
    }
    await sleep(150); // still running when the first one times out
    assert.equal(init.signal.aborted, false, 'a request in time is never aborted');
    return new Response(OK);
  };
  // Unpaced, so all four go at once (paced, the others would wait for the first response).
  const client = new WebsiteClient({ token: 'df_signaltestkey0000000000000000', baseUrl: 'http://127.0.0.1:9', fetch, maxRetries: 0, rateLimit: false });
  const hung = client.analytics.overview({}, { timeoutMs: 60 });
  const others = [1, 2, 3].map(() => client.analytics.overview({}, { timeoutMs: 5000 }));
  await assert.rejects(hung, (e) => e.code === 'timeout');
  assert.equal(hungAborted, false, 'not yet: three requests still share the signal');
  for (const r of await Promise.all(others)) assert.equal(r.visitors, 1);
  await sleep(0);
  assert.equal(hungAborted, true, 'aborted once the others settled');
  assert.ok(signals.slice(1).every((s) => s === signals[0]), 'concurrent attempts share one signal');
  // The next attempt gets a fresh signal, not the aborted one.
  assert.equal((await client.analytics.overview()).visitors, 1);
  assert.notEqual(signals.at(-1), signals[0]);
  assert.equal(signals.at(-1).aborted, false);
});

test("a call with the caller's signal aborts its own request at once", async () => {
  let seen;
  const fetch = (url, init) => new Promise((_, reject) => {
    seen = init.signal;
    init.signal.addEventListener('abort', () => reject(init.signal.reason));
  });
  const client = new WebsiteClient({ token: 'df_signaltestkey0000000000000000', baseUrl: 'http://127.0.0.1:9', fetch });
  const controller = new AbortController();
  const call = client.analytics.overview({}, { signal: controller.signal });
  await sleep(5);
  controller.abort(new Error('stop'));
  await assert.rejects(call, (e) => e.code === 'aborted' && e.cause.message === 'stop');
  assert.equal(seen.aborted, true);
});

test("Node's fetch keeps its listener on a signal until GC: no signal collects more than a few dozen", async () => {
  const { createServer } = await import('node:http');
  const { getEventListeners } = await import('node:events');
  const server = createServer((req, res) => res.end(OK));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const signals = new Set();
    const client = new WebsiteClient({
      token: 'df_signaltestkey0000000000000000',
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      fetch: (url, init) => { signals.add(init.signal); return fetch(url, init); },
    });
    for (let i = 0; i < 1000; i++) await client.analytics.overview();
    const most = Math.max(...[...signals].map((s) => getEventListeners(s, 'abort').length));
    assert.ok(most <= 32, `${most} listeners on one signal`);
    assert.ok(signals.size < 1000 / 8, `${signals.size} signals for 1000 calls: they are shared`);
  } finally {
    server.close();
  }
});
