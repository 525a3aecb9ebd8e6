// The same helper in Vitest.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator } from 'datafast-wasm/testing';
import { WebsiteClient } from 'datafast-wasm';

let emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 7, days: 10, rateLimit: false });
});
afterAll(() => emulator?.stop());

test('the emulator answers the SDK', async () => {
  const site = emulator.tokens.websites[0];
  const client = new WebsiteClient({ token: site.key, baseUrl: emulator.baseUrl });
  const page = await client.analytics.pages({ limit: 3 });
  expect(page.data).toHaveLength(3);
  expect(page.pagination.total).toBeGreaterThan(3);
});
