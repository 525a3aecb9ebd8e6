// Start-up of the `datafast` CLI: wall time from spawn to exit of each command, run RUNS
// times interleaved (so machine noise hits every command alike), median and p90, beside
// `/bin/true` (the cost of spawning any process from Node here). Prints a Markdown table.
import { spawn, spawnSync } from 'node:child_process';
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
// `datafast mcp`: spawn → the initialize response on stdout (what an agent waits for before
// it can list tools), then the bytes of `tools/list` for an account token (all 65 tools).
const initialize = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
});
/** Starts `datafast mcp`, sends `lines` one per response, answers the time to the first response and all of them. */
function mcp(lines, token = process.env.DATAFAST_TOKEN) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, ['--website', process.env.DATAFAST_WEBSITE_ID, 'mcp'], {
      env: { ...env, DATAFAST_TOKEN: token },
    });
    let buffer = '';
    let first;
    const responses = [];
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        first ??= Number(process.hrtime.bigint() - start) / 1e6;
        responses.push(line);
        if (responses.length === lines.length) {
          child.stdin.end();
          child.kill();
          resolve({ first, responses });
        } else {
          child.stdin.write(lines[responses.length] + '\n');
        }
      }
    });
    child.on('error', reject);
    child.stdin.write(lines[0] + '\n');
  });
}
const mcpSamples = [];
for (let r = 0; r < runs + 5; r++) {
  const { first } = await mcp([initialize]);
  if (r >= 5) mcpSamples.push(first);
}
console.log(`| datafast mcp: spawn → initialize response | ${pct(mcpSamples, 0.5).toFixed(2)} | ${pct(mcpSamples, 0.9).toFixed(2)} |`);
const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
// The notification has no response: send it together with the list request.
const { responses } = await mcp([initialize, `${initialized}\n${list}`]);
const tools = JSON.parse(responses[1]).result.tools;
console.log(`\ntools/list: ${tools.length} tools, ${Buffer.byteLength(responses[1])} bytes as sent (JSON-RPC envelope included)`);

const size = statSync(bin).size;
console.log(`\nrelease binary: ${bin}, ${size} bytes (${(size / 1048576).toFixed(2)} MiB), ${runs} runs each`);
