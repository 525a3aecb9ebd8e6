// `datafast mcp` driven by the official MCP TypeScript SDK's client over stdio, against the
// emulator (scripts/test.sh starts it and exports DATAFAST_TOKENS_FILE), as an agent or an
// editor would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const tokens = JSON.parse(readFileSync(process.env.DATAFAST_TOKENS_FILE, 'utf8'));
const site = tokens.websites[0];
const bin = process.env.DATAFAST_CLI_BIN ?? resolve('target/debug/datafast');

/** Starts `datafast mcp …` with `token`; records every message both ways and stderr. */
async function connect(token, { args = [], website = site.id, base = tokens.baseUrl } = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // An empty configuration: everything comes from the environment.
    XDG_CONFIG_HOME: resolve('.work/mcp-config-empty'),
    DATAFAST_TOKEN: token.startsWith('dft_') ? token : '',
    DATAFAST_SITE_KEY: token.startsWith('df_') ? token : '',
    DATAFAST_API_BASE: base,
  };
  const cliArgs = website ? ['--website', website, 'mcp', ...args] : ['mcp', ...args];
  const transport = new StdioClientTransport({ command: bin, args: cliArgs, env, stderr: 'pipe' });
  const wire = [];
  let stderr = '';
  transport.stderr.on('data', (chunk) => (stderr += chunk));
  const send = transport.send.bind(transport);
  transport.send = (message, options) => (wire.push(JSON.stringify(message)), send(message, options));
  // The client installs its handler on connect; wrap whatever it installs.
  let handler;
  Object.defineProperty(transport, 'onmessage', {
    get: () => handler && ((m, extra) => (wire.push(JSON.stringify(m)), handler(m, extra))),
    set: (h) => (handler = h),
  });
  const client = new Client({ name: 'datafast-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    wire,
    stderr: () => stderr,
    async close() {
      await client.close();
    },
  };
}

const names = (tools) => tools.map((t) => t.name).sort();

/** The parts of a result an agent reads, with the structured error when there is one. */
function failureOf(result) {
  assert.equal(result.isError, true, JSON.stringify(result));
  return result.structuredContent.error;
}

test('initialize and the whole tool list for an account token', async () => {
  const s = await connect(tokens.ownerToken);
  try {
    const info = s.client.getServerVersion();
    assert.equal(info.name, 'datafast');
    assert.match(s.client.getInstructions(), /websiteId` defaults to the configured website/);
    const { tools } = await s.client.listTools();
    assert.equal(tools.length, 65);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of ['analytics_overview', 'analytics_pages', 'funnels_create', 'tokens_list', 'team_remove']) {
      assert.ok(byName[name], name);
    }
    assert.deepEqual(byName.analytics_pages.annotations, { readOnlyHint: true });
    assert.deepEqual(byName.funnels_delete.annotations, { idempotentHint: true });
    assert.deepEqual(byName.funnels_delete.inputSchema.required, ['funnelId', 'confirm']);
    assert.equal(byName.funnels_create.annotations.destructiveHint, false);
    const listBytes = JSON.stringify({ tools }).length;
    assert.ok(listBytes <= 32 * 1024, `tools/list is ${listBytes} bytes`);
  } finally {
    await s.close();
  }
});

test('--read-only, --toolsets and a df_ key narrow the list', async () => {
  const readOnly = await connect(tokens.ownerToken, { args: ['--read-only'] });
  try {
    const { tools } = await readOnly.client.listTools();
    assert.ok(tools.length > 20);
    assert.ok(tools.every((t) => t.annotations.readOnlyHint === true), names(tools).join());
    // A tool that is not listed cannot be called either.
    await assert.rejects(
      readOnly.client.callTool({ name: 'funnels_create', arguments: { name: 'x', steps: [] } }),
      /unknown tool `funnels_create`/,
    );
  } finally {
    await readOnly.close();
  }
  const toolsets = await connect(tokens.ownerToken, { args: ['--toolsets', 'funnels,alerts'] });
  try {
    const { tools } = await toolsets.client.listTools();
    assert.ok(tools.every((t) => /^(funnels|alerts)_/.test(t.name)), names(tools).join());
    assert.equal(tools.length, 9); // funnels: list, create, update, delete; alerts: those and history
  } finally {
    await toolsets.close();
  }
  const key = await connect(site.key, { website: null });
  try {
    const { tools } = await key.client.listTools();
    const listed = names(tools);
    assert.ok(listed.includes('analytics_overview') && listed.includes('goals_create'));
    // Account-level routes need a dft_ token: not offered to a website key.
    for (const accountOnly of ['tokens_list', 'tokens_create', 'websites_list', 'websites_create', 'team_invite']) {
      assert.ok(!listed.includes(accountOnly), accountOnly);
    }
    const overview = await key.client.callTool({ name: 'analytics_overview', arguments: {} });
    assert.equal(overview.isError, false);
    assert.equal(typeof overview.structuredContent.visitors, 'number');
  } finally {
    await key.close();
  }
});

test('a token whose permissions the API tells sees only the tools it may use', async () => {
  const owner = await connect(tokens.ownerToken);
  let narrow;
  try {
    const created = await owner.client.callTool({
      name: 'tokens_create',
      arguments: { name: 'agent', permissions: ['analytics:read', 'api-keys:read'] },
    });
    assert.equal(created.isError, false, JSON.stringify(created));
    narrow = created.structuredContent.key;
    assert.match(narrow, /^dft_/);
  } finally {
    await owner.close();
  }
  const agent = await connect(narrow);
  try {
    const listed = names((await agent.client.listTools()).tools);
    assert.ok(listed.includes('analytics_pages') && listed.includes('tokens_list') && listed.includes('apikeys_list'));
    for (const denied of ['funnels_create', 'goals_create', 'websites_update', 'tokens_create', 'funnels_list']) {
      assert.ok(!listed.includes(denied), denied);
    }
    assert.ok(agent.wire.every((m) => !m.includes(narrow)), 'the token appeared in a message');
  } finally {
    await agent.close();
  }
});

test('reads, writes, confirmations and errors as tool results; the token never appears', async () => {
  const s = await connect(tokens.ownerToken);
  try {
    const pages = await s.client.callTool({ name: 'analytics_pages', arguments: { limit: 3 } });
    assert.equal(pages.isError, false);
    assert.equal(pages.structuredContent.data.length, 3);
    assert.ok(pages.structuredContent.pagination.total > 3);
    const text = pages.content[0].text;
    assert.match(text, /path/);
    assert.match(text, /rows 1–3 of \d+ \(`offset` for more\)/);

    // A write, then an irreversible tool: refused without confirm, done with it.
    const steps = [
      { name: 'Home', type: 'pageview', url: '/' },
      { name: 'Pricing', type: 'pageview', url: '/pricing' },
    ];
    const created = await s.client.callTool({ name: 'funnels_create', arguments: { name: 'MCP funnel', steps } });
    assert.equal(created.isError, false, JSON.stringify(created));
    const funnelId = created.structuredContent._id;
    assert.match(funnelId, /^[0-9a-f]{24}$/);
    const listed = async () =>
      (await s.client.callTool({ name: 'funnels_list', arguments: {} })).structuredContent.data.map((f) => f._id);
    assert.ok((await listed()).includes(funnelId));

    const refused = failureOf(await s.client.callTool({ name: 'funnels_delete', arguments: { funnelId } }));
    assert.equal(refused.field, 'confirm');
    assert.match(refused.message, /confirm: true/);
    assert.ok((await listed()).includes(funnelId), 'refused without confirm, yet deleted');
    const deleted = await s.client.callTool({ name: 'funnels_delete', arguments: { funnelId, confirm: true } });
    assert.equal(deleted.isError, false, JSON.stringify(deleted));
    assert.ok(!(await listed()).includes(funnelId));

    // Bad arguments are refused before sending, naming the field and the rule.
    const badLimit = failureOf(await s.client.callTool({ name: 'analytics_pages', arguments: { limit: 5000 } }));
    assert.deepEqual([badLimit.code, badLimit.field, badLimit.status], ['invalid_params', 'limit', 0]);
    assert.match(badLimit.message, /1 to 1000/);
    const unknown = failureOf(await s.client.callTool({ name: 'analytics_pages', arguments: { limt: 5 } }));
    assert.equal(unknown.field, 'limt');
    const badId = failureOf(await s.client.callTool({ name: 'visitors_get', arguments: { visitorId: 'abc' } }));
    assert.equal(badId.code, 'invalid_params');
    const noId = failureOf(await s.client.callTool({ name: 'funnels_update', arguments: { name: 'x' } }));
    assert.equal(noId.field, 'funnelId');

    // An API error: the visitor does not exist.
    const missing = failureOf(
      await s.client.callTool({ name: 'visitors_get', arguments: { visitorId: '00000000-0000-4000-8000-000000000000' } }),
    );
    assert.deepEqual([missing.code, missing.status], ['not_found', 404]);

    for (const m of s.wire) {
      assert.ok(!m.includes(tokens.ownerToken), 'the token appeared in a message');
    }
    assert.ok(!s.stderr().includes(tokens.ownerToken), 'the token appeared on stderr');
  } finally {
    await s.close();
  }
});

test('--output-schemas: the structured content of every read matches its declared schema', async () => {
  const s = await connect(tokens.ownerToken, { args: ['--output-schemas'] });
  try {
    const { tools } = await s.client.listTools();
    const declared = tools.filter((t) => t.outputSchema).map((t) => t.name);
    assert.ok(declared.length >= 60, `${declared.length} tools declare an output schema`);
    // The SDK's client validates each result against the tool's outputSchema and throws on a
    // mismatch, so every call below checks the declaration against a real answer.
    const reads = {
      analytics_overview: {}, analytics_timeseries: { fields: ['visitors', 'revenue'], interval: 'day' },
      analytics_realtime: {}, analytics_realtime_map: {}, analytics_metadata: {}, analytics_pages: {},
      analytics_referrers: {}, analytics_countries: {}, analytics_devices: {}, analytics_goals: {},
      visitors_list: { limit: 5 }, visitors_get: { visitorId: site.sampleVisitorId },
      account_get: {}, tokens_list: {}, websites_list: {}, websites_get: {}, apikeys_list: {},
      goals_tracked: {}, goals_customizations_list: {}, funnels_list: {}, alerts_list: {},
      alerts_history: {}, team_list: {}, integrations_get: {},
    };
    for (const [name, args] of Object.entries(reads)) {
      assert.ok(declared.includes(name), `${name} declares no output schema`);
      const result = await s.client.callTool({ name, arguments: args });
      assert.equal(result.isError, false, `${name}: ${JSON.stringify(result).slice(0, 300)}`);
    }
    const listBytes = JSON.stringify({ tools }).length;
    assert.ok(listBytes > 40 * 1024, `with output schemas tools/list is ${listBytes} bytes`);
  } finally {
    await s.close();
  }
});

test('without a website, website tools say how to give one', async () => {
  const s = await connect(tokens.ownerToken, { website: null });
  try {
    const e = failureOf(await s.client.callTool({ name: 'analytics_overview', arguments: {} }));
    assert.deepEqual([e.code, e.field], ['missing_website_id', 'websiteId']);
    const given = await s.client.callTool({ name: 'analytics_overview', arguments: { websiteId: site.id } });
    assert.equal(given.isError, false, JSON.stringify(given));
  } finally {
    await s.close();
  }
});

test('cancelling a tool call closes its HTTP request', async () => {
  // An API that accepts requests and never answers; it records when a client hangs up.
  const hungUp = [];
  const api = createServer((req) => req.socket.once('close', () => hungUp.push(req.url)));
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  const s = await connect(tokens.ownerToken, { base: `http://127.0.0.1:${api.address().port}` });
  try {
    const arrived = once(api, 'request');
    const controller = new AbortController();
    const call = s.client.callTool({ name: 'analytics_overview', arguments: {} }, undefined, {
      signal: controller.signal,
      timeout: 120_000,
    });
    await arrived;
    assert.deepEqual(hungUp, []);
    controller.abort('the user moved on');
    await assert.rejects(call, /moved on|abort/i);
    // The server closes the connection on cancellation, long before the call's own 30 s budget.
    const deadline = Date.now() + 10_000;
    while (hungUp.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(hungUp.length, 1, 'the HTTP request was not closed after the cancellation');
    assert.match(hungUp[0], /^\/api\/v1\/analytics\/overview\?/);
  } finally {
    await s.close();
    api.closeAllConnections();
    api.close();
  }
});
