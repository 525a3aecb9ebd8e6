// One cold-start sample in a fresh Node process; the orchestrator starts one process per sample.
//   client       performance.now() before `import('datafast-wasm')` → first call's result
//   bare         the same first request with fetch + JSON.parse, no package (the runtime's share)
//   instantiate  compile + instantiate only: `new WebAssembly.Module` and the glue's `initSync`
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bareGet, emulator, printResult } from './common.mjs';

const mode = process.argv[2];
const { baseUrl, siteKey } = emulator();

if (mode === 'client') {
  const t0 = performance.now();
  const { WebsiteClient } = await import('datafast-wasm');
  const t1 = performance.now();
  const client = new WebsiteClient({ token: siteKey, baseUrl });
  const page = await client.analytics.pages({ limit: 10 });
  const t2 = performance.now();
  if (page.data.length === 0) throw new Error('pages returned no rows');
  printResult({ import: t1 - t0, firstCall: t2 - t1, total: t2 - t0 });
} else if (mode === 'bare') {
  const t0 = performance.now();
  const body = await bareGet(`${baseUrl}/api/v1/analytics/pages?limit=10`, siteKey);
  const t1 = performance.now();
  if (body.data.length === 0) throw new Error('pages returned no rows');
  printResult({ total: t1 - t0 });
} else if (mode === 'instantiate') {
  // The files the `node` entry loads, found through the package's own resolution.
  const entry = createRequire(`${process.cwd()}/`).resolve('datafast-wasm');
  const dir = entry.slice(0, entry.lastIndexOf('/') + 1);
  const bytes = readFileSync(`${dir}datafast_wasm_bg.wasm`);
  const { initSync } = await import(`${dir}datafast_wasm.js`);
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  initSync({ module });
  const t2 = performance.now();
  printResult({ compile: t1 - t0, instantiate: t2 - t1, total: t2 - t0 });
} else {
  throw new Error(`unknown mode ${mode}`);
}
