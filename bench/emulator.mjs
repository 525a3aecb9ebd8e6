// Measures the emulator (see the "Emulator" section of bench/README.md) and prints one table:
// start-up time, requests/s and p50/p99 latency of analytics.overview and of a filtered
// breakdown at several connection counts, and memory, on the default data set and on one
// whose demo website holds 1,000,000 events (plus two 180-day sets that check how the
// latter is made). Run through bench/emulator.sh, which builds the release binaries and
// passes their paths.
//
// node bench/emulator.mjs --bin PATH --load PATH --work DIR [--json FILE] [--quick]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { p50, progress, runForResult } from './lib.mjs';
import { writeLargeState } from './emulator-data.mjs';

const { values: opts } = parseArgs({
  options: {
    bin: { type: 'string' },
    load: { type: 'string' },
    work: { type: 'string', default: '.work/bench/emulator' },
    json: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'keep-state': { type: 'boolean', default: false },
  },
});
if (!opts.bin || !opts.load) {
  console.error('usage: node bench/emulator.mjs --bin PATH --load PATH [--work DIR] [--json FILE] [--quick] [--keep-state]');
  process.exit(2);
}

const LARGE_EVENTS = 1_000_000;
const DEMO_DOMAIN = 'demo.example.com';
const TARGET_OVERVIEW_PER_SECOND = 2000;
const ENDPOINTS = [
  { name: 'overview', path: '/api/v1/analytics/overview' },
  { name: 'pages, country=US & device=desktop', path: '/api/v1/analytics/pages?filter_country=US&filter_device=desktop' },
];
// The target figures: the default data set and 1M events. At 1M a request holds the
// emulator's store lock for 40–400 ms: more connections only queue (latency ≈ connections ×
// service time) and need a warm-up as long as one round of them, so that data set runs at
// fewer connections with a longer window. The two 180-day sets in between check the method:
// the most the generator makes, and as many events loaded from a state file (how the 1M set
// gets its events), so loaded and generated events can be compared at one size.
const DATA_SETS = [
  { name: 'default', connections: [1, 8, 64], warmupS: 1, seconds: 5, startups: 7 },
  { name: '180 days', connections: [1], warmupS: 1, seconds: 4, startups: 3 },
  { name: '180d-size, loaded', connections: [1], warmupS: 1, seconds: 4, startups: 3 },
  { name: `${LARGE_EVENTS / 1e6}M, loaded`, connections: [1, 8], warmupS: 5, seconds: 10, startups: 3 },
];
if (opts.quick) {
  for (const d of DATA_SETS) Object.assign(d, { warmupS: 1, seconds: 2, startups: 2 });
}
const work = opts.work;
mkdirSync(work, { recursive: true });
/** A file name in `work` for a data set's name. */
const workFile = (name, suffix) => join(work, `${name.toLowerCase().replace(/\W+/g, '-')}${suffix}`);

/** `VmRSS` and `VmHWM` of a process, in bytes. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * Starts the emulator on a free port and waits for its tokens file. Times, from just before
 * the spawn: `listeningMs` (its "listening" line on stdout, printed right after the bind) and
 * `tokensMs` (the tokens file in place, written after the bind with two fsyncs).
 */
async function startEmulator(name, args) {
  const tokensPath = workFile(name, '.tokens.json');
  rmSync(tokensPath, { force: true });
  const t0 = performance.now();
  const child = spawn(opts.bin, ['--port', '0', '--tokens-file', tokensPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let listeningMs = NaN;
  let exited = null;
  child.stdout.on('data', (d) => {
    if (Number.isNaN(listeningMs) && `${output}${d}`.includes('listening on')) listeningMs = performance.now() - t0;
    output += d;
  });
  child.stderr.on('data', (d) => (output += d));
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const deadline = t0 + 120_000;
  while (!existsSync(tokensPath)) {
    if (exited !== null) throw new Error(`the emulator exited (${exited}) during start-up:\n${output}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the emulator did not start within 120 s:\n${output}`);
    }
    await sleep(1);
  }
  const tokensMs = performance.now() - t0;
  // The banner line precedes the file, but its pipe event may be handled just after.
  for (let i = 0; i < 1000 && Number.isNaN(listeningMs); i++) await sleep(1);
  const tokens = JSON.parse(readFileSync(tokensPath, 'utf8'));
  const site = tokens.websites.find((w) => w.domain === DEMO_DOMAIN);
  const stop = async (signal = 'SIGTERM') => {
    if (exited !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
  };
  return { child, pid: child.pid, listeningMs, tokensMs, base: new URL(tokens.baseUrl), key: site.key, stop };
}

/** One GET over a fresh connection (node:http, already loaded: no first-`fetch` cost); ms. */
function timedGet(emulator, path) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request({ host: emulator.base.hostname, port: emulator.base.port, path, agent: false,
      headers: { Authorization: `Bearer ${emulator.key}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Start-up samples (the first one discarded: it warms the page cache). */
async function startups(name, args, samples) {
  const runs = [];
  for (let i = 0; i <= samples; i++) {
    const e = await startEmulator(`${name}-startup`, args);
    try {
      const firstOverviewMs = await timedGet(e, ENDPOINTS[0].path);
      if (i > 0) runs.push({ listeningMs: e.listeningMs, tokensMs: e.tokensMs, firstOverviewMs, ...memory(e.pid) });
    } finally {
      // No --state save on the way out: the large file would be rewritten for nothing.
      await e.stop('SIGKILL');
    }
  }
  const median = (k) => p50(runs.map((r) => r[k]));
  return {
    samples: runs.length, listeningMs: median('listeningMs'), tokensMs: median('tokensMs'),
    firstOverviewMs: median('firstOverviewMs'), runs,
  };
}

async function loadRun(emulator, path, connections, warmupS, seconds) {
  const args = [`${emulator.base.hostname}:${emulator.base.port}`, path, emulator.key, connections, seconds, warmupS, '--json'];
  const r = await runForResult(opts.load, args.map(String), { prefix: '', timeoutMs: (warmupS + seconds + 60) * 1000 });
  if (r.other > 0) throw new Error(`${path}: ${r.other} non-2xx responses under load`);
  return r;
}

/** Start-up, throughput and memory on one data set (emulator arguments `args`). */
async function measure(set, args) {
  progress(`${set.name}: start-up, ${set.startups} runs`);
  const startup = await startups(set.name, args, set.startups);
  progress(`${set.name}: start-up p50 ${startup.tokensMs.toFixed(1)} ms to the tokens file`);
  const emulator = await startEmulator(set.name, args);
  try {
    const afterStart = memory(emulator.pid);
    await timedGet(emulator, ENDPOINTS[0].path); // builds the index outside the warm-ups
    const loads = [];
    for (const endpoint of ENDPOINTS) {
      for (const connections of set.connections) {
        const r = await loadRun(emulator, endpoint.path, connections, set.warmupS, set.seconds);
        progress(`${set.name}: ${endpoint.name}, ${connections} conn: ${r.perSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
        loads.push({ endpoint: endpoint.name, path: endpoint.path, ...r });
      }
    }
    return { name: set.name, args, startup, afterStart, afterLoad: memory(emulator.pid), loads };
  } finally {
    await emulator.stop('SIGKILL');
  }
}

/** Events per website as the generator made them: the counts a fresh state file records. */
async function seededCounts(args, statePath) {
  rmSync(statePath, { force: true });
  const e = await startEmulator('count', [...args, '--state', statePath]);
  await e.stop('SIGKILL'); // the file is written before the bind; nothing to save
  const state = JSON.parse(readFileSync(statePath, 'utf8'));
  const domains = Object.fromEntries(state.store.websites.map((w) => [w.id, w.domain]));
  return Object.fromEntries(Object.entries(state.seededEvents).map(([id, f]) => [domains[id], f.count]));
}

const started = performance.now();
const load = loadavg();
const results = { date: new Date().toISOString(), node: process.version, loadAverageAtStart: load, dataSets: [] };

const OFF = ['--rate-limit', 'off'];
const [defaultSet, generatedSet, loadedSet, largeSet] = DATA_SETS;

// Default data set: the emulator's defaults (seed 42, 30 days).
const basePath = join(work, 'default-state.json');
const defaultCounts = await seededCounts(OFF, basePath);
results.dataSets.push({ ...(await measure(defaultSet, OFF)), events: defaultCounts });

// The largest generated data set (visitors stop growing at 180 days, see emulator-data.mjs).
const generatedArgs = [...OFF, '--days', '180'];
const generatedCounts = await seededCounts(generatedArgs, join(work, 'days180-state.json'));
results.dataSets.push({ ...(await measure(generatedSet, generatedArgs)), events: generatedCounts });

/** The default state file plus synthetic events until the demo website holds `total`. */
async function measureLoaded(set, total) {
  progress(`${set.name}: writing a state file with ${total} events on ${DEMO_DOMAIN}`);
  const path = workFile(set.name, '-state.json');
  const t = performance.now();
  const written = writeLargeState(basePath, path, { domain: DEMO_DOMAIN, total });
  const writeS = (performance.now() - t) / 1000;
  progress(`${set.name}: ${(written.bytes / 1e6).toFixed(0)} MB in ${writeS.toFixed(1)} s`);
  try {
    const result = await measure(set, [...OFF, '--state', path]);
    const events = { ...defaultCounts, [DEMO_DOMAIN]: written.seeded + written.added };
    return { ...result, events, generated: written.seeded, added: written.added, stateFileBytes: written.bytes, writeS };
  } finally {
    if (!opts['keep-state']) rmSync(path, { force: true });
  }
}
results.dataSets.push(await measureLoaded(loadedSet, generatedCounts[DEMO_DOMAIN]));
results.dataSets.push(await measureLoaded(largeSet, LARGE_EVENTS));
results.loadAverageAtEnd = loadavg();
results.seconds = (performance.now() - started) / 1000;
if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');

// The table.
const fmtMs = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const int = (n) => Math.round(n).toLocaleString('en-US');
const rows = [['data set', 'figure', 'value', 'target', 'verdict']];
for (const d of results.dataSets) {
  const split = (domain) => (domain === DEMO_DOMAIN && d.added ? ` (${int(d.generated)} generated + ${int(d.added)} loaded)` : '');
  const events = Object.entries(d.events).map(([domain, n]) => `${domain} ${int(n)}${split(domain)}`).join(', ');
  rows.push([d.name, 'events', events, '', '']);
  const s = d.startup;
  rows.push([d.name, `start-up to listening / tokens file, p50 of ${s.samples}`, `${fmtMs(s.listeningMs)} / ${fmtMs(s.tokensMs)} ms`, '', '']);
  rows.push([d.name, 'first overview after start (builds the index)', `${fmtMs(s.firstOverviewMs)} ms`, '', '']);
  for (const l of d.loads) {
    const isTarget = d.name === defaultSet.name && l.endpoint === 'overview';
    rows.push([d.name, `${l.endpoint}, ${l.connections} conn`,
      `${l.perSecond < 100 ? l.perSecond.toFixed(1) : int(l.perSecond)} req/s, p50 ${fmtMs(l.p50Ms)} ms, p99 ${fmtMs(l.p99Ms)} ms (n ${int(l.requests)})`,
      isTarget ? `≥ ${int(TARGET_OVERVIEW_PER_SECOND)} req/s` : '',
      isTarget ? (l.perSecond >= TARGET_OVERVIEW_PER_SECOND ? 'PASS' : 'MISS') : '']);
  }
  rows.push([d.name, 'memory: RSS (peak) after start → after the load runs',
    `${mib(d.afterStart.rss)} (${mib(d.afterStart.hwm)}) → ${mib(d.afterLoad.rss)} (${mib(d.afterLoad.hwm)})`, '', '']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(`\nemulator benchmark, ${results.date}, load average ${load.map((n) => n.toFixed(2)).join(' ')} at the start, ` +
  `${results.loadAverageAtEnd.map((n) => n.toFixed(2)).join(' ')} at the end, ${results.seconds.toFixed(0)} s`);
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
