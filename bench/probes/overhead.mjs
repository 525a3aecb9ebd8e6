// Per-call overhead: the client against a bare fetch + JSON.parse making the same HTTP request,
// interleaved in one process (alternating which goes first), then throughput at 64 concurrent
// calls; and the same comparison with a canned Response instead of the network (the client alone).
import { WebsiteClient } from 'datafast-wasm';
import { bareGet, emulator, printResult, quantile } from './common.mjs';

const { baseUrl, siteKey } = emulator();
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const iterations = (n) => Math.max(10, Math.round(n * SCALE));

/** The URL and headers a call sends, recorded through the `fetch` option. */
async function requestOf(call) {
  let seen;
  const recorder = new WebsiteClient({
    token: siteKey, baseUrl, maxRetries: 0,
    fetch: (url, init) => { seen = { url, headers: init.headers }; return fetch(url, init); },
  });
  await call(recorder);
  return seen;
}

/** Times `a` and `b` alternately, `n` pairs after `warmup` pairs; returns both samples in ms. */
async function interleaved(a, b, n, warmup) {
  for (let i = 0; i < warmup; i++) { await a(); await b(); }
  const ta = [], tb = [];
  const time = async (f, into) => { const s = performance.now(); await f(); into.push(performance.now() - s); };
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) { await time(a, ta); await time(b, tb); } else { await time(b, tb); await time(a, ta); }
  }
  const summary = (t) => ({ p50: quantile(t, 0.5), p99: quantile(t, 0.99), n: t.length });
  return { client: summary(ta), bare: summary(tb), ratio: quantile(ta, 0.5) / quantile(tb, 0.5) };
}

/** Calls per second with `concurrency` loops sharing `total` calls. */
async function throughput(call, total, concurrency) {
  let issued = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (issued++ < total) await call(); }));
  return total / ((performance.now() - start) / 1000);
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const client = new WebsiteClient({ token: siteKey, baseUrl });

// Response sizes: 10 rows, and the largest page the emulator's data has (up to 1000 rows).
const small = { label: 'analytics.pages limit 10', call: (c) => c.analytics.pages({ limit: 10 }) };
const largeCandidates = [
  { label: 'analytics.timeseries hour limit 1000',
    call: (c) => c.analytics.timeseries({ fields: ['name', 'visitors', 'sessions', 'revenue', 'payments', 'conversion_rate'], interval: 'hour', limit: 1000 }) },
  { label: 'analytics.pages limit 1000', call: (c) => c.analytics.pages({ limit: 1000 }) },
];
let large;
for (const candidate of largeCandidates) {
  let rows;
  try { rows = (await candidate.call(client)).data.length; } catch { continue; } // not served by this emulator
  if (!large || rows > large.rows) large = { ...candidate, rows };
  if (rows >= 1000) break;
}

if (!large) throw new Error('no large-page candidate answered');

/**
 * The client alone: both sides get the same canned Response for `body` (no network), so only
 * the client's own work differs.
 */
function cannedPair(body, call) {
  const respond = () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  const cannedClient = new WebsiteClient({ token: siteKey, baseUrl, fetch: async () => respond() });
  return [() => call(cannedClient), async () => JSON.parse(await respond().text())];
}

const result = { network: {}, canned: {} };

// The pacer's own cost on a call it does not hold back: a canned Response carrying the
// X-RateLimit-* headers of a window far from spent, through a paced client (the default) and
// one with `rateLimit: false`, interleaved. Both do the same work but the pacer's. First, while
// the connection to the emulator is fresh (it closes idle ones).
{
  const { url } = await requestOf(small.call);
  const body = JSON.stringify(await bareGet(url, siteKey));
  const reset = String(Math.floor(Date.now() / 1000) + 3600);
  const respond = () => new Response(body, { status: 200, headers: {
    'content-type': 'application/json', 'x-ratelimit-limit': '1000000000', 'x-ratelimit-remaining': '999999999', 'x-ratelimit-reset': reset } });
  // Distinct tokens, so neither shares the other's pacer (or any other client's).
  const make = (rateLimit, token) => new WebsiteClient({ token, baseUrl, rateLimit, fetch: async () => respond() });
  const paced = make(true, 'df_benchpacedclient000000000000');
  const unpaced = make(false, 'df_benchunpacedclient0000000000');
  const r = await interleaved(() => small.call(paced), () => small.call(unpaced), iterations(20000), iterations(2000));
  result.pacer = { label: `${small.label}, canned Response with X-RateLimit-* headers`, paced: r.client, unpaced: r.bare, ratio: r.ratio };
}

for (const [name, c] of [['small', small], ['large', large]]) {
  const { url, headers } = await requestOf(c.call);
  const token = headers.Authorization.slice('Bearer '.length);
  const viaClient = () => c.call(client);
  const viaFetch = () => bareGet(url, token);
  // Same answer both ways, or the comparison means nothing.
  const [mine, theirs] = [await viaClient(), await viaFetch()];
  if (!sameJson(mine.data, theirs.data)) throw new Error(`${c.label}: the client's rows differ from the raw API's`);
  const body = JSON.stringify(theirs);
  const n = name === 'small' ? iterations(5000) : iterations(3000);
  result.network[name] = { label: c.label, rows: theirs.data.length, bytes: body.length, url,
    ...await interleaved(viaClient, viaFetch, n, iterations(1000)) };
  result.canned[name] = { label: c.label, rows: theirs.data.length, bytes: body.length,
    ...await interleaved(...cannedPair(body, c.call), iterations(20000), iterations(2000)) };
}

// 1,000 rows, client alone: the largest page's rows repeated under distinct paths, so the row
// count's effect shows even though the emulator's data has fewer rows.
{
  const page = await bareGet((await requestOf(large.call)).url, siteKey);
  const rows = Array.from({ length: 1000 }, (_, i) => ({ ...page.data[i % page.data.length], path: `/bench/${i}` }));
  const body = JSON.stringify({ ...page, data: rows, pagination: { ...page.pagination, limit: 1000, total: 1000 } });
  result.canned.synthetic1000 = { label: 'analytics.pages, 1000 synthetic rows', rows: 1000, bytes: body.length,
    ...await interleaved(...cannedPair(body, (c) => c.analytics.pages({ limit: 1000 })), iterations(5000), iterations(500)) };
}

// Throughput at 64 concurrent calls: rounds alternate between the two, the median round counts.
// The client may run as many calls at once as the bare loop (its default maxConcurrency is 6).
const rounds = { client: [], bare: [] };
const { url: smallUrl } = await requestOf(small.call);
const smallBare = () => bareGet(smallUrl, siteKey);
const wide = new WebsiteClient({ token: siteKey, baseUrl, maxConcurrency: 64 });
await throughput(() => small.call(wide), iterations(500), 64);
await throughput(smallBare, iterations(500), 64);
for (let r = 0; r < 8; r++) {
  rounds.client.push(await throughput(() => small.call(wide), iterations(2000), 64));
  rounds.bare.push(await throughput(smallBare, iterations(2000), 64));
}
const median = (v) => quantile(v, 0.5);
result.throughput = { label: small.label, concurrency: 64, client: median(rounds.client), bare: median(rounds.bare), ratio: median(rounds.client) / median(rounds.bare) };

printResult(result);
