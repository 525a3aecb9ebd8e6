// Start-up of the `datafast` CLI: wall time from spawn to exit of each command, run RUNS
// times interleaved (so machine noise hits every command alike), median and p90, beside
// `/bin/true` (the cost of spawning any process from Node here). Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const bin = arg('--bin');
const runs = Number(arg('--runs', '200'));
const home = mkdtempSync(join(tmpdir(), 'datafast-bench-'));
const env = {
  PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'),
  DATAFAST_API_BASE: process.env.DATAFAST_API_BASE, DATAFAST_SITE_KEY: process.env.DATAFAST_SITE_KEY,
};

const commands = [
  ['/bin/true (spawn baseline)', '/bin/true', []],
  ['datafast --version', bin, ['--version']],
  ['datafast api analytics.overview --json', bin, ['api', 'analytics.overview', '--json']],
  ['datafast analytics overview (table)', bin, ['analytics', 'overview']],
];

const samples = commands.map(() => []);
for (let r = 0; r < runs + 5; r++) {
  commands.forEach(([label, file, args], i) => {
    const start = process.hrtime.bigint();
    const out = spawnSync(file, args, { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (out.status !== 0) throw new Error(`${label} failed: ${out.stderr}`);
    if (r >= 5) samples[i].push(ms); // the first runs warm the page cache
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
console.log(`| command | median ms | p90 ms |\n|---|---:|---:|`);
commands.forEach(([label], i) => {
  console.log(`| ${label} | ${pct(samples[i], 0.5).toFixed(2)} | ${pct(samples[i], 0.9).toFixed(2)} |`);
});
const size = statSync(bin).size;
console.log(`\nrelease binary: ${bin}, ${size} bytes (${(size / 1048576).toFixed(2)} MiB), ${runs} runs each`);
