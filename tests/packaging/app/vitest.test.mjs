// Vitest (globals on): the package as Vite's Node-side resolution picks it.
import * as datafast from 'datafast-wasm';
import { runChecks } from './check.mjs';
import env from './env.mjs';

test('the package against the emulator', async () => {
  expect(import.meta.resolve?.('datafast-wasm') ?? 'node.js').toMatch(/node\.js$/);
  const summary = await runChecks(datafast, { ...env, runtime: 'vitest' });
  expect(summary.methods).toBeGreaterThan(0);
  console.log(`summary ${JSON.stringify(summary)}`);
});
