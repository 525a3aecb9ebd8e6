// Leak check: the wasm instance's linear memory and externref table, and the JS heap, after the
// first 1,000 calls and after many more. Run with --expose-gc.
//   canned    100,000 calls whose `fetch` returns a canned Response (the client alone, fast),
//             for a success body and for a 404 (the error path builds DataFastErrors)
//   emulator  20,000 calls against the emulator on loopback
import { createRequire } from 'node:module';
import { WebsiteClient } from 'datafast-wasm';
import { bareGet, emulator, printResult } from './common.mjs';

const { baseUrl, siteKey } = emulator();
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

// The instance the package created: the glue's `initSync` returns the existing exports once
// initialised, so importing the same glue file (same URL, same module) reaches it.
const entry = createRequire(`${process.cwd()}/`).resolve('datafast-wasm');
const { initSync } = await import(`${entry.slice(0, entry.lastIndexOf('/') + 1)}datafast_wasm.js`);
// The package instantiates its wasm on the first client.
new WebsiteClient({ token: siteKey, baseUrl });
// Its exports have short names (scripts/build-pkg.sh): the memory and the externref table (the
// only table it exports) are found by their type.
const exported = Object.values(initSync() ?? {});
const memory = exported.find((e) => e instanceof WebAssembly.Memory);
const externrefs = exported.find((e) => e instanceof WebAssembly.Table);
if (!memory || !externrefs) throw new Error('cannot reach the wasm instance through the glue');

function snapshot(calls) {
  globalThis.gc();
  return {
    calls,
    wasmBytes: memory.buffer.byteLength,
    externrefs: externrefs.length,
    jsHeap: process.memoryUsage().heapUsed,
  };
}

/** Runs `total` sequential calls, snapshotting after 1,000 and at a few later points. */
async function run(call, total) {
  const marks = new Set([1000, total / 10, total / 2, total].map(Math.round).filter((m) => m >= 1000));
  const snapshots = [];
  for (let i = 1; i <= total; i++) {
    await call();
    if (marks.has(i)) {
      // Let finalizers (closures, dropped clients) run before reading, as a long-lived process would.
      await new Promise((r) => setTimeout(r, 10));
      snapshots.push(snapshot(i));
    }
  }
  return snapshots;
}

const page = await bareGet(`${baseUrl}/api/v1/analytics/pages?limit=10`, siteKey);
const okBody = JSON.stringify(page);
const notFound = JSON.stringify({ status: 'error', error: { code: 404, message: 'Website not found' } });
const canned = (body, status) => new WebsiteClient({
  token: siteKey, baseUrl, maxRetries: 0,
  fetch: async () => new Response(body, { status, headers: { 'content-type': 'application/json', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '1767225600' } }),
});
const okClient = canned(okBody, 200);
const errClient = canned(notFound, 404);
const networkClient = new WebsiteClient({ token: siteKey, baseUrl });

const cannedCalls = Math.max(2000, Math.round(100_000 * SCALE));
const result = {
  cannedSuccess: await run(async () => {
    const r = await okClient.analytics.pages({ limit: 10 });
    if (r.data.length !== page.data.length) throw new Error('canned call returned the wrong page');
  }, cannedCalls),
  cannedError: await run(async () => {
    try { await errClient.analytics.pages({ limit: 10 }); } catch (e) { if (e.status === 404) return; throw e; }
    throw new Error('a 404 did not reject');
  }, cannedCalls),
  emulator: await run(async () => {
    const r = await networkClient.analytics.pages({ limit: 10 });
    if (r.data.length === 0) throw new Error('pages returned no rows');
  }, Math.max(2000, Math.round(20_000 * SCALE))),
};
printResult(result);
