// Shared by the probes, which run inside a temp project where the packed tarball is installed
// (so `import('datafast-wasm')` resolves exactly as it does for a user).
import { readFileSync } from 'node:fs';

/** The emulator's tokens file (`BENCH_TOKENS`): base URL and the first website's key. */
export function emulator() {
  const t = JSON.parse(readFileSync(process.env.BENCH_TOKENS, 'utf8'));
  return { baseUrl: t.baseUrl, siteKey: t.websites[0].key };
}

/** Hands the figures to the orchestrator: the last `result <json>` line of stdout. */
export function printResult(value) {
  console.log(`result ${JSON.stringify(value)}`);
}

/** The q-quantile (0..1), nearest rank. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** What a bare client does: one request, the body read as text and parsed. */
export async function bareGet(url, token) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  const body = JSON.parse(await response.text());
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
