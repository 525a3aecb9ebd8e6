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

// ---- a fixture tests control: reproducible data, the clock, reset, the request log ----

const NOW = '2026-06-01T12:00:00Z';

/** The 19 reads of the Website API, as raw requests with a website key. */
async function websiteReads(emulator) {
  const site = emulator.tokens.websites[0];
  const get = async (path) => {
    const response = await fetch(`${emulator.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${site.key}` } });
    return [response.status, await response.text()];
  };
  // The seed has no funnel: each emulator gets the same one, made the same way.
  const made = await fetch(`${emulator.baseUrl}/api/v1/admin/websites/${site.id}/funnels`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Pricing', steps: [{ name: 'Home', type: 'pageview', url: '/' },
      { name: 'Pricing', type: 'pageview', url: '/pricing' }] }),
  });
  const funnelId = (await made.json()).data[0]._id;
  const breakdowns = ['pages', 'referrers', 'countries', 'regions', 'cities', 'devices', 'browsers',
    'operating-systems', 'campaigns', 'hostnames', 'goals'];
  const paths = [
    '/analytics/overview', '/analytics/timeseries?fields=visitors,revenue&interval=day', '/analytics/realtime',
    '/analytics/realtime/map', '/analytics/metadata', ...breakdowns.map((b) => `/analytics/${b}`),
    `/analytics/funnels/${funnelId}`, '/visitors', `/visitors/${site.sampleVisitorId}`,
  ];
  assert.equal(paths.length, 19);
  const answers = {};
  for (const path of paths) answers[path] = await get(path);
  return answers;
}

test('the same seed and now give byte-identical answers on every start', async () => {
  const first = await startEmulator({ seed: 11, days: 7, now: NOW, rateLimit: false });
  let a;
  try {
    a = await websiteReads(first);
  } finally {
    await first.stop();
  }
  // A second start, later by the wall clock.
  await new Promise((r) => setTimeout(r, 1100));
  const second = await startEmulator({ seed: 11, days: 7, now: new Date(NOW), rateLimit: false });
  try {
    const b = await websiteReads(second);
    for (const [path, [status, body]] of Object.entries(a)) {
      assert.equal(status, 200, `${path}: ${body.slice(0, 200)}`);
      assert.equal(b[path][1], body, `${path} differs between two starts`);
    }
    assert.ok(JSON.parse(a['/analytics/realtime'][1]).data[0].visitors >= 0);
  } finally {
    await second.stop();
  }
});

test('a rate-limit window passes by advancing the clock, without waiting', async () => {
  const emu = await startEmulator({ seed: 7, days: 2, now: NOW, rateLimit: '2/60' });
  try {
    assert.equal((await emu.clock.now()).toISOString(), '2026-06-01T12:00:00.000Z');
    const site = emu.tokens.websites[0];
    const client = new WebsiteClient({ token: site.key, baseUrl: emu.baseUrl, maxRetries: 0, rateLimit: false });
    await client.analytics.overview();
    await client.analytics.overview();
    await assert.rejects(client.analytics.overview(), (e) => e.code === 'rate_limited' && e.status === 429 &&
      e.rateLimit.reset === Date.parse(NOW) / 1000 + 60);
    const started = Date.now();
    assert.equal((await emu.clock.advance('60s')).toISOString(), '2026-06-01T12:01:00.000Z');
    const overview = await client.analytics.overview();
    assert.ok(overview.visitors > 0);
    assert.ok(Date.now() - started < 5_000, 'the new window needed no real waiting');
    // Objects created now carry the emulator's time.
    const admin = new AdminClient({ token: emu.tokens.owner, baseUrl: emu.baseUrl, rateLimit: false });
    await emu.clock.set('2026-07-04T09:30:00Z');
    const key = await admin.apikeys.create(site.id, { name: 'at the fixed time' });
    assert.equal(key.createdAt, '2026-07-04T09:30:00.000Z');
    await assert.rejects(emu.clock.advance('soon'), /`advance` must be a positive duration/);
  } finally {
    await emu.stop();
  }
});

test("a client's retry after a 429 meets the window the clock was moved to", async () => {
  // Frozen at about the real time, so the 429's reset is two real seconds ahead: the client
  // waits for it and retries. The frozen clock stays in the spent window unless moved.
  const scenario = async (advance) => {
    const emu = await startEmulator({ seed: 7, days: 1, now: new Date(Math.ceil(Date.now() / 1000) * 1000), rateLimit: '1/2' });
    try {
      const site = emu.tokens.websites[0];
      const client = new WebsiteClient({ token: site.key, baseUrl: emu.baseUrl, rateLimit: false, maxRetries: 1 });
      await client.analytics.overview();
      const call = client.analytics.overview();
      if (advance) {
        // Once the 429 is served, move the clock into the next window.
        while ((await (await fetch(`${emu.baseUrl}/__emulator/rate-limit`)).json()).data.served429 === 0) {
          await new Promise((r) => setTimeout(r, 5));
        }
        await emu.clock.advance('2s');
      }
      const outcome = await call.then((v) => v, (e) => e);
      const statuses = (await emu.requests({ endpoint: 'analytics.overview' })).map((r) => r.status);
      return { outcome, statuses };
    } finally {
      await emu.stop();
    }
  };
  const moved = await scenario(true);
  assert.deepEqual(moved.statuses, [200, 429, 200]);
  assert.ok(moved.outcome.visitors > 0);
  const stuck = await scenario(false);
  assert.deepEqual(stuck.statuses, [200, 429, 429]);
  assert.equal(stuck.outcome.code, 'rate_limited');
});

test('reset returns to the seeded data; the request log shows what clients sent, without tokens', async () => {
  const emu = await startEmulator({ seed: 7, days: 2, now: NOW, rateLimit: false });
  try {
    const site = emu.tokens.websites[0];
    const admin = new AdminClient({ token: emu.tokens.owner, baseUrl: emu.baseUrl });
    const website = new WebsiteClient({ token: site.key, baseUrl: emu.baseUrl });
    const seededFunnels = (await admin.funnels.list(site.id)).length;
    const seededGoals = (await website.analytics.goals()).data;

    await emu.clearRequests();
    await admin.funnels.create(site.id, {
      name: 'Temporary', steps: [{ name: 'A', type: 'pageview', url: '/' }, { name: 'B', type: 'pageview', url: '/b' }],
    });
    await website.goals.create({ datafast_visitor_id: site.sampleVisitorId, name: 'fixture_goal' });

    const created = await emu.requests({ endpoint: 'goals.create' });
    assert.equal(created.length, 1);
    assert.equal(created[0].method, 'POST');
    assert.equal(created[0].status, 200);
    assert.equal(created[0].body.name, 'fixture_goal');
    assert.equal(created[0].tokenKind, 'websiteKey');
    const all = await emu.requests();
    assert.equal(all.length, 2);
    assert.ok(!JSON.stringify(all).includes(site.key) && !JSON.stringify(all).includes(emu.tokens.owner));
    assert.deepEqual((await emu.requests({ since: all[0].seq })).map((r) => r.endpoint), ['goals.create']);

    assert.equal((await admin.funnels.list(site.id)).length, seededFunnels + 1);
    await emu.reset();
    assert.equal((await admin.funnels.list(site.id)).length, seededFunnels);
    assert.deepEqual((await website.analytics.goals()).data, seededGoals);
  } finally {
    await emu.stop();
  }
});
