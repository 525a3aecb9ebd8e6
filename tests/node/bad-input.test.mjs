// The package's JS edges under hostile input, in Node (`node --test tests/node/`): whatever a
// caller passes or a `fetch` returns, every call settles with a DataFastError (or a TypeError
// for misuse) within its budget, nothing traps or escapes as an uncaught error, no message
// carries the token, and the client keeps working. Loads the built package from pkg/
// (scripts/build-pkg.sh); the native core has its own cases (src/core/call.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebsiteClient, AdminClient, DataFastError } from '../../pkg/node.js';

const TOKEN = 'df_badinputsuitekey00000000000000';
const VISITOR = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const OK_BODY = JSON.stringify({ status: 'success', data: [{ visitors: 7 }] });
const canned = (body = OK_BODY, init = { status: 200 }) => async () => new Response(body, init);

const escaped = [];
process.on('unhandledRejection', (e) => escaped.push(e));
process.on('uncaughtException', (e) => escaped.push(e));

function client(options = {}) {
  return new WebsiteClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:9', maxRetries: 0, fetch: canned(), ...options });
}

/** The rejection of `promise`, checked to be a DataFastError free of the token. */
async function failure(promise, { code, field } = {}) {
  const started = Date.now();
  const error = await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (e) => e,
  );
  assert.ok(error instanceof DataFastError, `a DataFastError, got ${error?.name}: ${error?.message}`);
  if (code) assert.equal(error.code, code, error.message);
  if (field !== undefined) assert.equal(error.field, field, error.message);
  for (const text of [error.message, error.stack, JSON.stringify(error)]) assert.ok(!String(text).includes(TOKEN));
  assert.ok(JSON.parse(JSON.stringify(error)).message, 'toJSON keeps the message');
  return Object.assign(error, { elapsed: Date.now() - started });
}

async function stillWorks(c) {
  assert.equal((await c.analytics.overview()).visitors, 7);
}

test('parameters that cannot be read are refused by name, and the client keeps working', async () => {
  const c = client();
  const throwing = { get timezone() { throw new Error('boom'); } };
  let e = await failure(c.analytics.overview(throwing), { code: 'invalid_params', field: 'timezone' });
  assert.match(e.message, /boom/);
  assert.equal(e.cause.message, 'boom');
  const hostile = new Proxy({}, { ownKeys() { throw new Error('no keys'); } });
  await failure(c.analytics.overview(hostile), { code: 'invalid_params', field: 'params' });
  await failure(c.analytics.pages({ filters: hostile }), { code: 'invalid_params', field: 'filters' });
  await failure(c.analytics.overview({ fields: [Symbol('x')] }), { code: 'invalid_params', field: 'fields[0]' });
  await failure(c.analytics.pages({ limit: 10n }), { code: 'invalid_params', field: 'limit' });
  await failure(c.analytics.pages({ limit: () => 1 }), { code: 'invalid_params', field: 'limit' });
  const cyclic = { filters: {} };
  cyclic.filters.country = cyclic;
  await failure(c.analytics.pages(cyclic), { code: 'invalid_params' });
  await failure(c.analytics.metadata({ fields: new Proxy([], { get() { throw new Error('trap'); } }) }), { code: 'invalid_params' });
  await failure(c.analytics.overview('not an object'), { code: 'invalid_params', field: 'params' });
  await failure(c.analytics.overview([]), { code: 'invalid_params', field: 'params' });
  await failure(c.analytics.overview({ startAt: new Date(NaN) }), { code: 'invalid_params', field: 'startAt' });
  await failure(c.goals.create({ datafast_visitor_id: VISITOR, name: 'x', metadata: { get plan() { throw new Error('m'); } } }),
    { code: 'invalid_params', field: 'metadata.plan' });
  await failure(c.payments.create({ amount: Infinity, currency: 'USD', transaction_id: 't' }), { code: 'invalid_params', field: 'amount' });
  await failure(c.payments.create({ amount: NaN, currency: 'USD', transaction_id: 't' }), { code: 'invalid_params', field: 'amount' });
  await failure(c.payments.create({ amount: 1e308, currency: 'USD', transaction_id: 't' }), { code: 'invalid_params', field: 'amount' });
  await stillWorks(c);
});

test('ids must be strings; endpoint ids must be registry ids', async () => {
  const c = client();
  for (const id of [42, {}, Symbol('v'), 10n, null, undefined, ['a']]) {
    await failure(c.visitors.get(id), { code: 'invalid_params', field: 'visitorId' });
  }
  for (const id of [42, [], {}, Symbol('e'), 10n, 'analytics.nope', 'admin.account.get']) {
    await failure(c.request(id), { code: 'invalid_params', field: 'endpoint' });
  }
  await failure(c.request('analytics.overview', {}, {}, {}), { code: 'invalid_params', field: 'arguments' });
  assert.equal((await c.request('analytics.overview')).visitors, 7);
});

test('per-call options are checked by name', async () => {
  const c = client();
  await failure(c.analytics.overview({}, { signal: {} }), { code: 'invalid_options', field: 'signal' });
  await failure(c.analytics.overview({}, { timeoutMs: '5' }), { code: 'invalid_options', field: 'timeoutMs' });
  await failure(c.analytics.overview({}, { timeoutMs: 0 }), { code: 'invalid_options', field: 'timeoutMs' });
  await failure(c.analytics.overview({}, { maxRetries: 99 }), { code: 'invalid_options', field: 'maxRetries' });
  await failure(c.analytics.overview({}, { headers: { 'Bad Name': 'x' } }), { code: 'invalid_options', field: 'headers.Bad Name' });
  await failure(c.analytics.overview({}, { headers: { 'X-A': 'a\r\nInjected: 1' } }), { code: 'invalid_options', field: 'headers.X-A' });
  await failure(c.analytics.overview({}, { headers: { 'X-A': 5 } }), { code: 'invalid_options', field: 'headers.X-A' });
  await failure(c.analytics.overview({}, { get signal() { throw new Error('s'); } }), { code: 'invalid_options', field: 'signal' });
  await failure(c.analytics.overview({}, 'fast'), { code: 'invalid_options', field: 'options' });
  await failure(c.analytics.realtimeMap({ limit: 1 }), { code: 'invalid_options', field: 'limit' });
  await stillWorks(c);
});

test('whatever fetch does, the call settles within timeoutMs', async () => {
  const cases = [
    ['never settles', () => new Promise(() => {}), 'timeout'],
    ['throws', () => { throw new TypeError('fetch exploded'); }, 'network_error'],
    ['rejects with a string', () => Promise.reject('nope'), 'network_error'],
    ['resolves to null', async () => null, 'network_error'],
    ['resolves to a number', async () => 42, 'network_error'],
    ['resolves to an object without text()', async () => ({ status: 200, headers: new Headers() }), 'network_error'],
    ['a body that never ends', async () => ({ status: 200, headers: new Headers(), text: () => new Promise(() => {}) }), 'timeout'],
    ['text() rejects', async () => ({ status: 200, headers: new Headers(), text: async () => { throw new Error('reset'); } }), 'network_error'],
    ['status 2**53', async () => ({ status: 2 ** 53, headers: new Headers(), text: async () => OK_BODY }), 'invalid_response'],
    ['status as a string', async () => ({ status: '200', headers: new Headers(), text: async () => OK_BODY }), 'invalid_response'],
    ['garbage JSON', canned('{"status":"succ'), 'invalid_response'],
    ['a JSON array', canned('[1,2,3]'), 'invalid_response'],
    ['a 50 MB body', async () => new Response('x'.repeat(50 << 20)), 'invalid_response'],
    ['a declared 1 GB body', async () => new Response('{}', { headers: { 'content-length': String(2 ** 30) } }), 'invalid_response'],
    ['headers.get throws', async () => ({ status: 200, headers: { get() { throw new Error('h'); } }, text: async () => OK_BODY }), 'network_error'],
  ];
  for (const [what, fetchFn, code] of cases) {
    const c = client({ fetch: fetchFn, timeoutMs: 300, maxRetries: 1 });
    const e = await failure(c.analytics.overview(), { code });
    assert.ok(e.elapsed < 1500, `${what}: settled after ${e.elapsed} ms`);
    if (code === 'network_error' && what !== 'resolves to null') assert.ok(e.cause !== undefined, `${what}: cause`);
  }
});

test('a throwing logging hook never breaks the call', async () => {
  const c = client({ onRequest() { throw new Error('hook'); }, onResponse() { throw new Error('hook'); } });
  await stillWorks(c);
});

test('constructor options: a throwing getter or a bad token is refused by name', () => {
  const construct = (options) => {
    try {
      new WebsiteClient(options);
    } catch (e) {
      assert.ok(e instanceof DataFastError, `${e}`);
      assert.ok(!String(e.message).includes(TOKEN));
      return e;
    }
    assert.fail('expected the constructor to throw');
  };
  assert.equal(construct({ token: TOKEN, get fetch() { throw new Error('f'); } }).field, 'fetch');
  assert.equal(construct(new Proxy({}, { ownKeys() { throw new Error('k'); } })).code, 'invalid_options');
  assert.equal(construct({ token: TOKEN, fetch: 'fetch' }).field, 'fetch');
  assert.equal(construct({ token: TOKEN, onRequest: 1 }).field, 'onRequest');
  assert.equal(construct({ token: TOKEN, timeoutMs: 1e12 }).field, 'timeoutMs');
  assert.equal(construct({ token: TOKEN, tokn: 'x' }).field, 'tokn');
  assert.equal(construct({ token: ` ${TOKEN} ` }).code, 'invalid_token');
  assert.equal(construct({ token: `df_${'a'.repeat(1 << 20)}` }).code, 'invalid_token');
  assert.equal(construct({ token: TOKEN, baseUrl: 'ftp://x' }).field, 'baseUrl');
  assert.equal(construct({ token: 'dft_x' }).code, 'missing_website_id');
});

test('a freed client refuses calls with a DataFastError', async () => {
  const c = client();
  c.free();
  await failure(c.analytics.overview(), { code: 'client_closed' });
  const admin = new AdminClient({ token: 'dft_freedclienttoken000000000000', baseUrl: 'http://127.0.0.1:9' });
  admin.free();
  await failure(admin.account.get(), { code: 'client_closed' });
});

test('nothing escaped as an unhandled rejection or an uncaught exception', async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(escaped.map(String), []);
});
