// Runs in the bench project (bench/testing.sh): times startEmulator() → resolved and stop(),
// and the bare binary (spawn → tokens file) for the same data, interleaved. Prints a table.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from 'datafast-wasm/testing';
import { binaryPath } from 'datafast-emulator';

const runs = Number(process.argv[2] ?? 20);
const bin = binaryPath();

async function bare(days) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-emu-'));
  const file = join(dir, 'tokens.json');
  const start = performance.now();
  const child = spawn(bin, ['--port', '0', '--tokens-file', file, '--days', String(days), '--rate-limit', 'off']);
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - start;
  child.kill();
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true });
  return ms;
}

async function helper(days) {
  const start = performance.now();
  const emulator = await startEmulator({ days, rateLimit: false });
  const ms = performance.now() - start;
  const stopStart = performance.now();
  await emulator.stop();
  return [ms, performance.now() - stopStart];
}

const cases = [1, 30];
const results = Object.fromEntries(cases.map((d) => [d, { bare: [], helper: [], stop: [] }]));
for (let r = 0; r < runs + 2; r++) {
  for (const days of cases) {
    const b = await bare(days);
    const [h, s] = await helper(days);
    if (r >= 2) {
      results[days].bare.push(b);
      results[days].helper.push(h);
      results[days].stop.push(s);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| data | binary alone: spawn → tokens file | startEmulator() → resolved | stop() |');
console.log('|---|---:|---:|---:|');
for (const days of cases) {
  const r = results[days];
  console.log(`| --days ${days} | ${median(r.bare).toFixed(1)} ms | ${median(r.helper).toFixed(1)} ms | ${median(r.stop).toFixed(1)} ms |`);
}
console.log(`\nmedians of ${runs} runs each, interleaved`);
