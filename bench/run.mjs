// Measures the client's performance budgets and prints one table: figure, budget, PASS/MISS.
// bench/run.sh builds what this needs and starts the emulator; see bench/README.md.
//
// Usage: node bench/run.mjs --tokens FILE [--pkg DIR] [--tarball FILE] [--json FILE] [--only a,b]
//   sections: size, node, workerd, overhead, memory (default: all)
// BENCH_SCALE (default 1) scales iteration counts; BENCH_COLD_SAMPLES (default 20) the Node cold
// starts; BENCH_WORKERD_SAMPLES (default 40) the workerd ones, whose start-up jitters more.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kb, mb, ms, p50, progress, runForResult, us } from './lib.mjs';
import { defaultTarball, packageSizes } from './size.mjs';
import { workerdColdStart } from './workerd.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const SECTIONS = ['size', 'node', 'workerd', 'overhead', 'memory'];
const { values: opts } = parseArgs({
  options: {
    tokens: { type: 'string' }, pkg: { type: 'string', default: path.join(repoRoot, 'pkg') },
    tarball: { type: 'string' }, json: { type: 'string' }, only: { type: 'string' },
  },
});
if (!opts.tokens) throw new Error('--tokens FILE (the running emulator\'s tokens file) is required');
const only = opts.only ? opts.only.split(',') : SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; choose from ${SECTIONS.join(', ')}`);
const tarball = path.resolve(opts.tarball ?? defaultTarball(path.join(repoRoot, '.work')));
const coldSamples = Number(process.env.BENCH_COLD_SAMPLES ?? 20);
const workerdSamples = Number(process.env.BENCH_WORKERD_SAMPLES ?? 40);

/**
 * A fresh project with the tarball installed as a user installs it, plus the probes: they import
 * `datafast-wasm` by name, so they must live next to its node_modules.
 */
function prepareProject() {
  const dir = path.join(repoRoot, '.work', 'bench', 'project');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'datafast-bench', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const probes = path.join(repoRoot, 'bench', 'probes');
  for (const f of readdirSync(probes)) cpSync(path.join(probes, f), path.join(dir, f));
  // workerd has no file system: the worker gets the emulator's address as a bundled module.
  const t = JSON.parse(readFileSync(opts.tokens, 'utf8'));
  writeFileSync(path.join(dir, 'env.mjs'), `export default ${JSON.stringify({ baseUrl: t.baseUrl, siteKey: t.websites[0].key })};\n`);
  return dir;
}

const rows = []; // [figure, value, budget, verdict]
const results = { date: new Date().toISOString(), node: process.version, loadavg: loadavg() };
const row = (figure, value, budget = '', verdict = '') => rows.push([figure, value, budget, verdict]);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

async function sizeSection() {
  const s = packageSizes(opts.pkg, tarball);
  results.size = s;
  row('size: .wasm raw / gzip / brotli', `${kb(s.wasm.raw)} / ${kb(s.wasm.gzip)} / ${kb(s.wasm.brotli)}`);
  row('size: JS (glue + client.js + entry) raw / gzip / brotli', `${kb(s.js.raw)} / ${kb(s.js.gzip)} / ${kb(s.js.brotli)}`);
  row('size: .wasm + JS gzip -9', kb(s.total.gzip), '≤ 60 KB', verdict(s.total.gzip <= 60 * 1024));
  row('size: .wasm + JS raw / brotli', `${kb(s.total.raw)} / ${kb(s.total.brotli)}`);
  row('size: npm tarball', kb(s.tarball));
}

async function nodeSection(project) {
  const env = { BENCH_TOKENS: path.resolve(opts.tokens) };
  const sample = (mode) => runForResult(process.execPath, ['cold-node.mjs', mode], { cwd: project, env });
  // Discarded: the first processes warm the page cache.
  for (const mode of ['client', 'bare', 'instantiate']) await sample(mode);
  const runs = { client: [], bare: [], instantiate: [] };
  for (let i = 0; i < coldSamples; i++) {
    progress(`node cold start: sample ${i + 1}/${coldSamples}`);
    // Rotate the order so drifting machine load hits every mode alike.
    const modes = ['client', 'bare', 'instantiate'];
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(i + k) % modes.length];
      runs[mode].push(await sample(mode));
    }
  }
  const med = (mode, key) => p50(runs[mode].map((r) => r[key]));
  const n = {
    compile: med('instantiate', 'compile'), instantiate: med('instantiate', 'instantiate'),
    compileInstantiate: med('instantiate', 'total'), import: med('client', 'import'),
    firstCall: med('client', 'firstCall'), total: med('client', 'total'), bare: med('bare', 'total'),
  };
  n.clientShare = n.total - n.bare;
  results.node = { samples: coldSamples, p50: n, runs };
  row(`node cold: compile + instantiate (p50 of ${coldSamples})`, `${ms(n.compileInstantiate)} (${ms(n.compile)} + ${ms(n.instantiate)})`,
    '≤ 5 ms', verdict(n.compileInstantiate <= 5));
  row('node cold: import(\'datafast-wasm\') (p50)', ms(n.import));
  row('node cold: import → first call result (p50)', ms(n.total));
  row('node cold: bare first fetch + JSON.parse (p50)', ms(n.bare));
  row('node cold: client\'s share (import → result − bare)', ms(n.clientShare), '≤ 5 ms', verdict(n.clientShare <= 5));
}

async function workerdSection(project) {
  const w = await workerdColdStart({ repoRoot, projectDir: project, samples: workerdSamples });
  results.workerd = w;
  const { startup, first, warm } = w.figures;
  const compile = startup.compile - startup.bare;
  const instantiate = startup.client - startup.compile;
  const firstCall = first.client - first.bare;
  const cold = compile + instantiate + firstCall;
  results.workerd.derived = { compile, instantiate, firstCall, cold };
  const trio = (f) => `${ms(f.client)} / ${ms(f.compile)} / ${ms(f.bare)}`;
  row(`workerd: start → listening, client / .wasm only / bare (p50 of ${workerdSamples})`, trio(startup));
  row('workerd: first request, client / .wasm only / bare (p50)', trio(first));
  row('workerd: warm request, client / .wasm only / bare (p50)', trio(warm));
  row('workerd: cold start = compile + glue/instantiate + first call Δ', `${ms(cold)} (${ms(compile)} + ${ms(instantiate)} + ${ms(firstCall)})`,
    '≤ 5 ms', verdict(cold <= 5));
  row('workerd: bundle size, raw / gzip (wrangler)', `${w.upload.client.uploadKiB} KB / ${w.upload.client.uploadGzipKiB} KB`);
}

async function overheadSection(project) {
  progress('per-call overhead and throughput (a few minutes)');
  const r = await runForResult(process.execPath, ['overhead.mjs'], { cwd: project, env: { BENCH_TOKENS: path.resolve(opts.tokens) }, timeoutMs: 1_800_000 });
  results.overhead = r;
  const line = (x) => `client ${ms(x.client.p50)} / ${ms(x.client.p99)}, bare ${ms(x.bare.p50)} / ${ms(x.bare.p99)}, ratio ${x.ratio.toFixed(3)}`;
  const { small, large } = r.network;
  row(`per call, ${small.rows} rows (${small.label}), p50 / p99`, line(small), 'ratio ≤ 1.05', verdict(small.ratio <= 1.05));
  row(`per call, ${large.rows} rows (${large.label}; largest available), p50 / p99`, line(large), 'ratio ≤ 1.10', verdict(large.ratio <= 1.10));
  row('per call: client − bare (p50), 10 rows / largest', `${us(small.client.p50 - small.bare.p50)} / ${us(large.client.p50 - large.bare.p50)}`);
  for (const [name, c] of Object.entries(r.canned)) {
    row(`canned Response (client alone), ${c.rows} rows, p50`, `client ${us(c.client.p50)}, bare ${us(c.bare.p50)}, ratio ${c.ratio.toFixed(2)}, Δ ${us(c.client.p50 - c.bare.p50)}`);
  }
  const p = r.pacer;
  row(`pacer's cost, unthrottled call (${p.label}), p50`,
    `paced ${us(p.paced.p50)}, rateLimit: false ${us(p.unpaced.p50)}, Δ ${us(p.paced.p50 - p.unpaced.p50)}, ratio ${p.ratio.toFixed(3)}`);
  const t = r.throughput;
  row(`throughput, ${t.concurrency} concurrent (${t.label})`, `client ${t.client.toFixed(0)}/s, bare ${t.bare.toFixed(0)}/s, ratio ${t.ratio.toFixed(3)}`,
    'ratio ≥ 0.95', verdict(t.ratio >= 0.95));
}

async function memorySection(project) {
  progress('memory after 100,000 calls (a minute or two)');
  const r = await runForResult(process.execPath, ['--expose-gc', 'memory.mjs'], { cwd: project, env: { BENCH_TOKENS: path.resolve(opts.tokens) }, timeoutMs: 1_800_000 });
  results.memory = r;
  const labels = { cannedSuccess: 'canned 200', cannedError: 'canned 404 (errors)', emulator: 'emulator' };
  for (const [name, snaps] of Object.entries(r)) {
    const first = snaps[0], last = snaps[snaps.length - 1];
    const same = last.wasmBytes === first.wasmBytes && last.externrefs === first.externrefs;
    row(`wasm memory after ${first.calls} → ${last.calls} calls, ${labels[name]}`,
      `${kb(first.wasmBytes)} → ${kb(last.wasmBytes)}; externref table ${first.externrefs} → ${last.externrefs}; JS heap ${mb(first.jsHeap)} → ${mb(last.jsHeap)}`,
      'equal', verdict(same));
  }
}

const project = only.some((s) => s !== 'size') ? prepareProject() : null;
const sections = { size: sizeSection, node: nodeSection, workerd: workerdSection, overhead: overheadSection, memory: memorySection };
let failed = 0;
for (const name of only) {
  try {
    await sections[name](project);
  } catch (e) {
    failed++;
    console.error(`[bench] ${name} failed: ${e?.stack ?? e}`);
    row(`${name}`, 'ERROR (see stderr)', '', 'ERROR');
  }
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...[['figure', 'value', 'budget', ''], ...rows].map((r) => r[i].length)));
const print = (r) => console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
console.log(`\ndatafast-wasm benchmarks, ${results.date}, Node ${process.version}, load average ${results.loadavg.map((l) => l.toFixed(2)).join(' ')}`);
print(['figure', 'value', 'budget', '']);
print(widths.map((w) => '-'.repeat(w)));
rows.forEach(print);
if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2));
process.exit(failed ? 1 : 0);
