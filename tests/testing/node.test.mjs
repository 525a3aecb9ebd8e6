// A user's own test with node:test: the emulator from `datafast-emulator`, started and stopped
// by `datafast-wasm/testing`, and the SDK against it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from 'datafast-wasm/testing';
import { AdminClient, DataFastError, WebsiteClient } from 'datafast-wasm';

let emulator;
before(async () => {
  emulator = await startEmulator({ seed: 7, days: 10, rateLimit: false });
});
after(() => emulator?.stop());

test('reads the seeded analytics with a website key', async () => {
  const site = emulator.tokens.websites[0];
  const client = new WebsiteClient({ token: site.key, baseUrl: emulator.baseUrl });
  const overview = await client.analytics.overview();
  assert.ok(overview.visitors > 0);
  assert.equal(emulator.env.DATAFAST_API_BASE, emulator.baseUrl);
});

test('writes with the owner token and reads them back', async () => {
  const site = emulator.tokens.websites[0];
  const admin = new AdminClient({ token: emulator.tokens.owner, baseUrl: emulator.baseUrl });
  const funnel = await admin.funnels.create(site.id, {
    name: 'Checkout',
    steps: [{ name: 'Cart', type: 'pageview', url: '/cart' }, { name: 'Paid', type: 'pageview', url: '/thanks' }],
  });
  const names = (await admin.funnels.list(site.id)).map((f) => f.name);
  assert.ok(names.includes('Checkout'), names.join());
  await admin.funnels.delete(site.id, funnel._id);
});

test('faults injected from the test reach the client as typed errors', async () => {
  const site = emulator.tokens.websites[0];
  const client = new WebsiteClient({ token: site.key, baseUrl: emulator.baseUrl, maxRetries: 0 });
  await emulator.faults('503', 'analytics.overview');
  try {
    await assert.rejects(client.analytics.overview(), (e) => e instanceof DataFastError && e.status === 503);
  } finally {
    await emulator.faults('off');
  }
  assert.ok((await client.analytics.overview()).visitors > 0);
});

test('bad options are refused by name', async () => {
  await assert.rejects(startEmulator({ seed: -1 }), /`seed` must be a whole number/);
  await assert.rejects(startEmulator({ rateLimit: 'fast' }), /`rateLimit` must be/);
  await assert.rejects(startEmulator({ sede: 1 }), /unknown option `sede`/);
  await assert.rejects(startEmulator({ args: ['--no-such-flag'] }), /did not start/);
});

test('the same seed gives the same tokens', async () => {
  const again = await startEmulator({ seed: 7, days: 10, rateLimit: false });
  try {
    assert.equal(again.tokens.owner, emulator.tokens.owner);
    assert.notEqual(again.baseUrl, emulator.baseUrl);
  } finally {
    await again.stop();
  }
});
