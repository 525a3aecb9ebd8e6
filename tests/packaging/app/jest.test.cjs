// Jest (CommonJS): `require` must reach the package's CommonJS build.
const datafast = require('datafast-wasm');
const { runChecks } = require('./check.cjs');
const env = require('./env.cjs');

test('the CommonJS build against the emulator', async () => {
  expect(require.resolve('datafast-wasm')).toMatch(/datafast-wasm[\\/]node\.cjs$/);
  const summary = await runChecks(datafast, { ...env, runtime: 'jest' });
  expect(summary.methods).toBeGreaterThan(0);
  process.stdout.write(`summary ${JSON.stringify(summary)}\n`); // unindented, unlike console.log
});
