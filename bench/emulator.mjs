// Measures the emulator (see the "Emulator" section of bench/README.md) and prints one table:
// start-up time, requests/s and p50/p99 latency of analytics.overview and of a filtered
// breakdown at several connection counts, and memory, on the default data set and on one
// whose demo website holds 1,000,000 events (`--events 1000000`); then the latency of a
// write with `--state` once 100,000 events were added through the API. Run through
// bench/emulator.sh, which builds the release binaries and passes their paths.
//
// node bench/emulator.mjs --bin PATH --load PATH --work DIR [--json FILE] [--quick]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { p50, progress, runForResult } from './lib.mjs';

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
const ADDED_EVENTS = opts.quick ? 20_000 : 100_000;
const DEMO_DOMAIN = 'demo.example.com';
const ENDPOINTS = [
  { name: 'overview', path: '/api/v1/analytics/overview' },
  { name: 'pages, country=US & device=desktop', path: '/api/v1/analytics/pages?filter_country=US&filter_device=desktop' },
];
const LARGE = `${LARGE_EVENTS / 1e6}M`;
// The targets (issue 13), by data set and figure.
const TARGETS = {
  startupMs: { set: LARGE, max: 1000 },
  rssMiB: { set: LARGE, max: 250 },
  perSecond: [
    { set: LARGE, endpoint: 'overview', connections: 1, min: 1000 },
    { set: LARGE, endpoint: ENDPOINTS[1].name, connections: 1, min: 100 },
  ],
  scaling: { set: 'default', endpoint: 'overview', from: 1, to: 8, min: 1.6 },
  writeP50Ms: 2,
};
const DATA_SETS = [
  { name: 'default', args: [], connections: [1, 8, 64], warmupS: 1, seconds: 5, startups: 7 },
  { name: LARGE, args: ['--events', String(LARGE_EVENTS)], connections: [1, 8], warmupS: 2, seconds: 8, startups: 3 },
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
  for (const f of [statePath, `${statePath}.journal`]) rmSync(f, { force: true });
  return Object.fromEntries(Object.entries(state.seededEvents).map(([id, f]) => [domains[id], f.count]));
}

/**
 * Writes with `--state`: ADDED_EVENTS goals sent through the API (4 connections), then one
 * connection of goals measured, then a restart (start-up with that many added events).
 */
async function measureWrites() {
  const path = join(work, 'writes-state.json');
  for (const f of [path, `${path}.journal`]) rmSync(f, { force: true });
  const args = [...OFF, '--state', path];
  const e = await startEmulator('writes', args);
  const tokens = JSON.parse(readFileSync(workFile('writes', '.tokens.json'), 'utf8'));
  const visitor = tokens.websites.find((w) => w.domain === DEMO_DOMAIN).sampleVisitorId;
  const body = JSON.stringify({ datafast_visitor_id: visitor, name: 'bench_goal' });
  const post = (connections, seconds, total) => {
    const a = [`${e.base.hostname}:${e.base.port}`, '/api/v1/goals', e.key, connections, seconds, 0, '--json', '--post', body];
    if (total) a.push('--total', total);
    return runForResult(opts.load, a.map(String), { prefix: '', timeoutMs: (seconds + 60) * 1000 });
  };
  try {
    progress(`writes: adding ${ADDED_EVENTS} goals through the API`);
    const t = performance.now();
    const fill = await post(4, 3600, ADDED_EVENTS);
    const fillS = (performance.now() - t) / 1000;
    if (fill.other > 0) throw new Error(`writes: ${fill.other} non-2xx answers while adding goals`);
    progress(`writes: ${fill.requests} goals in ${fillS.toFixed(1)} s`);
    const w = await post(1, opts.quick ? 2 : 5, 0);
    progress(`writes: 1 conn at ${fill.requests} added: ${w.perSecond.toFixed(0)} req/s, p50 ${w.p50Ms} ms`);
    await timedGet(e, ENDPOINTS[0].path);
    const live = memory(e.pid);
    await e.stop('SIGKILL');
    const restart = await startups('writes-restart', args, opts.quick ? 1 : 3);
    const files = [path, `${path}.journal`].filter(existsSync).map((f) => statSync(f).size);
    return { added: fill.requests, fillS, write: w, live, restart, stateBytes: files.reduce((a, b) => a + b, 0) };
  } finally {
    await e.stop('SIGKILL');
    if (!opts['keep-state']) for (const f of [path, `${path}.journal`]) rmSync(f, { force: true });
  }
}

const started = performance.now();
const load = loadavg();
const results = { date: new Date().toISOString(), node: process.version, loadAverageAtStart: load, dataSets: [] };

const OFF = ['--rate-limit', 'off'];
for (const set of DATA_SETS) {
  const args = [...OFF, ...set.args];
  const events = await seededCounts(args, workFile(set.name, '-count-state.json'));
  results.dataSets.push({ ...(await measure(set, args)), events });
}
results.writes = await measureWrites();
results.loadAverageAtEnd = loadavg();
results.seconds = (performance.now() - started) / 1000;
if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');

// The table.
const fmtMs = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const int = (n) => Math.round(n).toLocaleString('en-US');
const rows = [['data set', 'figure', 'value', 'target', 'verdict']];
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const mibOf = (b) => b / 1048576;
for (const d of results.dataSets) {
  const events = Object.entries(d.events).map(([domain, n]) => `${domain} ${int(n)}`).join(', ');
  rows.push([d.name, 'events', events, '', '']);
  const s = d.startup;
  const startTarget = TARGETS.startupMs.set === d.name;
  rows.push([d.name, `start-up to listening / tokens file, p50 of ${s.samples}`, `${fmtMs(s.listeningMs)} / ${fmtMs(s.tokensMs)} ms`,
    startTarget ? `≤ ${int(TARGETS.startupMs.max)} ms` : '', startTarget ? verdict(s.tokensMs <= TARGETS.startupMs.max) : '']);
  rows.push([d.name, 'first overview after start (builds the index)', `${fmtMs(s.firstOverviewMs)} ms`, '', '']);
  for (const l of d.loads) {
    const t = TARGETS.perSecond.find((x) => x.set === d.name && x.endpoint === l.endpoint && x.connections === l.connections);
    rows.push([d.name, `${l.endpoint}, ${l.connections} conn`,
      `${l.perSecond < 100 ? l.perSecond.toFixed(1) : int(l.perSecond)} req/s, p50 ${fmtMs(l.p50Ms)} ms, p99 ${fmtMs(l.p99Ms)} ms (n ${int(l.requests)})`,
      t ? `≥ ${int(t.min)} req/s` : '', t ? verdict(l.perSecond >= t.min) : '']);
  }
  const sc = TARGETS.scaling;
  if (sc.set === d.name) {
    const at = (c) => d.loads.find((l) => l.endpoint === sc.endpoint && l.connections === c);
    const ratio = at(sc.to).requests / at(sc.from).requests;
    rows.push([d.name, `${sc.endpoint}: requests at ${sc.to} conn ÷ at ${sc.from}`, `${ratio.toFixed(2)}×`, `≥ ${sc.min}×`, verdict(ratio >= sc.min)]);
  }
  const rssTarget = TARGETS.rssMiB.set === d.name;
  const worst = Math.max(d.afterStart.rss, d.afterLoad.rss);
  rows.push([d.name, 'memory: RSS (peak) after start → after the load runs',
    `${mib(d.afterStart.rss)} (${mib(d.afterStart.hwm)}) → ${mib(d.afterLoad.rss)} (${mib(d.afterLoad.hwm)})`,
    rssTarget ? `≤ ${TARGETS.rssMiB.max} MiB` : '', rssTarget ? verdict(mibOf(worst) <= TARGETS.rssMiB.max) : '']);
}
{
  const w = results.writes;
  const name = `--state, +${int(w.added)}`;
  rows.push([name, `adding ${int(w.added)} goals over 4 conn`, `${w.fillS.toFixed(1)} s (${int(w.added / w.fillS)} writes/s)`, '', '']);
  rows.push([name, 'goal write, 1 conn', `${int(w.write.perSecond)} req/s, p50 ${fmtMs(w.write.p50Ms)} ms, p99 ${fmtMs(w.write.p99Ms)} ms (n ${int(w.write.requests)})`,
    `p50 ≤ ${TARGETS.writeP50Ms} ms`, verdict(w.write.p50Ms <= TARGETS.writeP50Ms)]);
  rows.push([name, `restart: to listening / tokens file, p50 of ${w.restart.samples}`, `${fmtMs(w.restart.listeningMs)} / ${fmtMs(w.restart.tokensMs)} ms`, '', '']);
  const restartRss = p50(w.restart.runs.map((r) => r.rss));
  rows.push([name, 'memory: RSS before the kill → after a restart (p50), each after an overview', `${mib(w.live.rss)} → ${mib(restartRss)}`, '', '']);
  rows.push([name, 'state on disk (file + journal)', `${(w.stateBytes / 1e6).toFixed(1)} MB`, '', '']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(`\nemulator benchmark, ${results.date}, load average ${load.map((n) => n.toFixed(2)).join(' ')} at the start, ` +
  `${results.loadAverageAtEnd.map((n) => n.toFixed(2)).join(' ')} at the end, ${results.seconds.toFixed(0)} s`);
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
