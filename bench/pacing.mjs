// Pacing against the emulator's rate limit: N goals.create and M analytics.pages fired at once
// (1) through one client, (2) through two clients of one token in one process, (3) from
// several concurrent Worker requests in workerd (wrangler dev) sharing the token through the
// Durable Object limiter of examples/durable-limiter. Each scenario gets a fresh emulator (a
// fresh window, no goals yet) and checks that the emulator served no 429 and that every goal
// was recorded exactly once (exit 1 otherwise); it reports the wall time against the least the
// window allows, as efficiency = least ÷ actual. The least: the rest of the first window (its
// reset as the first response reports it; the emulator's windows start on whole seconds) plus
// (ceil(calls / limit) − 2) whole windows.
//
// Usage: node bench/pacing.mjs [--rate-limit 60/10] [--goals 600] [--pages 600]
//                              [--only one,two,workerd] [--workers 4] [--json FILE]
// Needs pkg/ and .work/*.tgz (scripts/build-pkg.sh) and an emulator binary (EMULATOR_BIN,
// default $CARGO_TARGET_DIR or target, then debug/datafast-emulator; `cargo build -p
// datafast-emulator`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import net from 'node:net';
import { defaultTarball } from './size.mjs';
import { startEmulator } from '../js/testing.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const SCENARIOS = ['one', 'two', 'workerd'];
const { values: opts } = parseArgs({
  options: {
    'rate-limit': { type: 'string', default: '60/10' },
    goals: { type: 'string', default: '600' },
    pages: { type: 'string', default: '600' },
    only: { type: 'string' },
    workers: { type: 'string', default: '4' },
    json: { type: 'string' },
  },
});
const [limit, windowS] = opts['rate-limit'].split('/').map(Number);
const goals = Number(opts.goals), pages = Number(opts.pages), workers = Number(opts.workers);
const only = opts.only ? opts.only.split(',') : SCENARIOS;
for (const s of only) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; choose from ${SCENARIOS.join(', ')}`);
const emulatorBin = process.env.EMULATOR_BIN ??
  path.join(path.resolve(repoRoot, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'datafast-emulator');
const TIMEOUT_MS = 600_000; // the longest budget a call may have: the wait is part of it
const calls = goals + pages;
const nominalLeastMs = (Math.ceil(calls / limit) - 1) * windowS * 1000;
const leastMs = (started, firstResetS) => firstResetS * 1000 - started + (Math.ceil(calls / limit) - 2) * windowS * 1000;
const log = (m) => process.stderr.write(`[pacing] ${m}\n`);

/** A fresh emulator with the rate limit (the package's own test helper starts it). */
const emulator = () => startEmulator({ bin: emulatorBin, days: 1, rateLimit: opts['rate-limit'] });

async function served429(baseUrl) {
  const res = await fetch(`${baseUrl}/__emulator/rate-limit`);
  return (await res.json()).data.served429;
}

/** Completions of goal `name` in the emulator, read with an unpaced client after the run. */
async function completions(WebsiteClient, site, baseUrl, name) {
  const c = new WebsiteClient({ token: site.key, baseUrl, timeoutMs: TIMEOUT_MS });
  const rows = await c.analytics.goals({ limit: 1000 }).toArray();
  return rows.find((r) => r.goal === name)?.completions ?? 0;
}

/**
 * Fires every call at once through `clients` (round robin): the wall time, the least the
 * window allows from that start, and the failures.
 */
async function burst(clients, site, name) {
  const started = Date.now();
  const all = [];
  for (let i = 0; i < goals; i++) all.push(clients[i % clients.length].goals.create({ datafast_visitor_id: site.sampleVisitorId, name }));
  for (let i = 0; i < pages; i++) all.push(clients[i % clients.length].analytics.pages({ limit: 1 }));
  const first = all[0].withResponse();
  const settled = await Promise.allSettled(all);
  const ms = Date.now() - started;
  const failures = settled.filter((s) => s.status === 'rejected').map((s) => `${s.reason?.code}: ${s.reason?.message}`);
  const reset = await first.then((r) => r.rateLimit.reset, () => null);
  return { ms, leastMs: reset ? leastMs(started, reset) : nominalLeastMs, failures };
}

async function inProcess(clientCount) {
  const { WebsiteClient } = await import(path.join(repoRoot, 'pkg', 'node.js'));
  const { tokens, baseUrl, stop } = await emulator();
  try {
    const site = tokens.websites[0];
    const clients = Array.from({ length: clientCount }, () => new WebsiteClient({ token: site.key, baseUrl, timeoutMs: TIMEOUT_MS }));
    const name = `paced_${clientCount}_clients`;
    const r = await burst(clients, site, name);
    r.served429 = await served429(baseUrl);
    r.goalsRecorded = await completions(WebsiteClient, site, baseUrl, name);
    return r;
  } finally {
    await stop();
  }
}

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on('error', reject);
});

/** Several concurrent requests to a Worker, each firing its share, paced by the DO limiter. */
async function inWorkerd(dir) {
  const { WebsiteClient } = await import(path.join(repoRoot, 'pkg', 'node.js'));
  const { tokens, baseUrl, stop } = await emulator();
  const project = path.join(dir, 'worker');
  let wrangler;
  try {
    const site = tokens.websites[0];
    cpSync(path.join(repoRoot, 'examples', 'durable-limiter'), project, { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'pacing-worker', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.resolve(defaultTarball(path.join(repoRoot, '.work')))],
      { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
    const vars = { DATAFAST_API_BASE: baseUrl, DATAFAST_SITE_KEY: site.key, DATAFAST_VISITOR_ID: site.sampleVisitorId };
    writeFileSync(path.join(project, '.dev.vars'), Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(''));
    const [port, inspector] = [await freePort(), await freePort()];
    const cli = path.join(repoRoot, 'node_modules', 'wrangler', 'wrangler-dist', 'cli.js');
    wrangler = spawn(process.execPath, [cli, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
      '--show-interactive-dev-session=false'], {
      cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true',
        XDG_CONFIG_HOME: path.join(project, '.config'), NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let out = '';
    wrangler.stdout.on('data', (d) => (out += d));
    wrangler.stderr.on('data', (d) => (out += d));
    const ready = Date.now() + 60_000;
    while (!/Ready on http/.test(out)) {
      if (wrangler.exitCode !== null || Date.now() > ready) throw new Error(`wrangler dev did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const name = 'paced_workerd';
    const share = (n, i) => Math.floor(n / workers) + (i < n % workers ? 1 : 0);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: workers }, async (_, i) => {
      const url = `http://127.0.0.1:${port}/?goals=${share(goals, i)}&pages=${share(pages, i)}&name=${name}`;
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS + 30_000) });
      const text = await res.text();
      try { return JSON.parse(text); } catch { return { ok: false, failures: [`worker answered ${res.status}: ${text.slice(0, 300)}`] }; }
    }));
    const ms = Date.now() - started;
    const failures = answers.flatMap((a) => a.failures ?? []);
    const firstReset = Math.min(...answers.map((a) => a.firstReset ?? Infinity));
    const r = {
      ms, failures, leastMs: Number.isFinite(firstReset) ? leastMs(started, firstReset) : nominalLeastMs,
      served429: await served429(baseUrl), goalsRecorded: await completions(WebsiteClient, site, baseUrl, name),
    };
    // What wrangler and workerd said, for a run that went wrong (a reload, an error).
    if (r.served429 !== 0 || r.goalsRecorded !== goals || failures.length > 0) log(`wrangler dev said:\n${out.slice(-4000)}`);
    return r;
  } finally {
    if (wrangler) {
      try { process.kill(-wrangler.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 1500));
      try { process.kill(-wrangler.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await stop();
  }
}

const runs = { one: () => inProcess(1), two: () => inProcess(2), workerd: inWorkerd };
const labels = { one: 'one client', two: 'two clients, one token', workerd: `${workers} Worker requests, Durable Object limiter` };
const results = { date: new Date().toISOString(), rateLimit: opts['rate-limit'], goals, pages, nominalLeastMs, scenarios: {} };
let bad = 0;
console.log(`pacing: ${goals} goals.create + ${pages} analytics.pages at once, emulator --rate-limit ${opts['rate-limit']}; ` +
  `least the window allows ${(nominalLeastMs / 1000).toFixed(1)} s (less the part of the first window already gone)`);
for (const s of only) {
  const dir = mkdtempSync(path.join(tmpdir(), 'datafast-pacing-'));
  log(`${labels[s]}: running (about ${(nominalLeastMs / 1000).toFixed(0)} s)`);
  try {
    const r = await runs[s](dir);
    r.efficiency = r.leastMs / r.ms;
    results.scenarios[s] = r;
    const ok = r.failures.length === 0 && r.served429 === 0 && r.goalsRecorded === goals;
    if (!ok) bad++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${labels[s]}: ${(r.ms / 1000).toFixed(1)} s, efficiency ${r.efficiency.toFixed(3)} ` +
      `(least ${(r.leastMs / 1000).toFixed(1)} s), 429s served ${r.served429}, goals recorded ${r.goalsRecorded}/${goals}, failures ${r.failures.length}`);
    for (const f of r.failures.slice(0, 5)) console.log(`     ${f}`);
  } catch (e) {
    bad++;
    console.log(`FAIL ${labels[s]}: ${e?.stack ?? e}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2));
process.exit(bad ? 1 : 0);
