// Helpers shared by the benchmark orchestrator (Node only): statistics, child processes, output.
import { spawn } from 'node:child_process';

/** The q-quantile (0..1) of numbers, nearest-rank on a sorted copy. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
export const p50 = (values) => quantile(values, 0.5);
export const p99 = (values) => quantile(values, 0.99);

/**
 * Runs `cmd args` to completion and returns the JSON object of its last stdout line that starts
 * with `prefix` (`result ` unless given; '' takes the last non-empty line). Throws with the
 * child's output if it fails or prints no result.
 */
export function runForResult(cmd, args, { cwd, env, timeoutMs = 300_000, prefix = 'result ' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').filter((l) => l.startsWith(prefix) && l.length > prefix.length).pop();
      if (code !== 0 || line === undefined) {
        reject(new Error(`${[cmd, ...args].join(' ')} exited ${code ?? signal}\n--- stdout\n${stdout}--- stderr\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice(prefix.length)));
    });
  });
}

/** Progress for the person waiting; stderr, so stdout stays the table. */
export function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

export const ms = (n) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : 'n/a');
export const us = (n) => (Number.isFinite(n) ? `${(n * 1000).toFixed(0)} µs` : 'n/a');
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
export const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
