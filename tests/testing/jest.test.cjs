// The same helper from a CommonJS Jest test.
const { startEmulator } = require('datafast-wasm/testing');
const { WebsiteClient } = require('datafast-wasm');

let emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 7, days: 10, rateLimit: false });
});
afterAll(() => emulator && emulator.stop());

test('the emulator answers the SDK', async () => {
  const site = emulator.tokens.websites[0];
  const client = new WebsiteClient({ token: site.key, baseUrl: emulator.baseUrl });
  const overview = await client.analytics.overview();
  expect(overview.visitors).toBeGreaterThan(0);
});
