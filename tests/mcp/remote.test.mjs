// The remote MCP server (examples/mcp-worker on `datafast-wasm/mcp`) in workerd via
// `wrangler dev`, from the packed tarball installed in a fresh project, driven by the official
// MCP TypeScript SDK's Streamable HTTP client against the emulator. Then `wrangler deploy
// --dry-run` bundles it. Needs MCP_TARBALL (scripts/build-pkg.sh) and DATAFAST_TOKENS_FILE.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const root = resolve(import.meta.dirname, '../..');
const tokens = JSON.parse(readFileSync(process.env.DATAFAST_TOKENS_FILE, 'utf8'));
const site = tokens.websites[0];
const tarball = resolve(process.env.MCP_TARBALL ?? assert.fail('MCP_TARBALL is not set'));
const wranglerCli = join(root, 'node_modules/wrangler/wrangler-dist/cli.js');

let project;
let wrangler;
let wranglerLog = '';
let endpoint;

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

const wranglerEnv = () => ({
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  XDG_CONFIG_HOME: join(project, '.config'),
  NO_COLOR: '1',
});

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'datafast-mcp-worker-'));
  cpSync(join(root, 'examples/mcp-worker/src'), join(project, 'src'), { recursive: true });
  cpSync(join(root, 'examples/mcp-worker/wrangler.toml'), join(project, 'wrangler.toml'));
  cpSync(join(root, 'tests/mcp/worker-under-test.js'), join(project, 'src/worker-under-test.js'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'mcp-worker-test', private: true, type: 'module' }));
  // The tarball as a user installs it; the SDK linked from the repository's lockfile install
  // (a registry install here would need its metadata in npm's cache, which a lockfile install
  // does not put there). Its own dependencies resolve from there too.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball,
    join(root, 'node_modules/@modelcontextprotocol/sdk')], { cwd: project, stdio: 'pipe' });
  const [port, inspector] = [await freePort(), await freePort()];
  wrangler = spawn(process.execPath, [wranglerCli, 'dev', 'src/worker-under-test.js', '--local', '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(inspector), '--show-interactive-dev-session=false',
    '--var', `DATAFAST_API_BASE:${tokens.baseUrl}`, '--var', `DATAFAST_WEBSITE_ID:${site.id}`,
    '--var', `TEST_TOKEN:${tokens.ownerToken}`],
  { cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: wranglerEnv() });
  const append = (d) => (wranglerLog += String(d).replace(/\x1b\[[0-9;]*m/g, ''));
  wrangler.stdout.on('data', append);
  wrangler.stderr.on('data', append);
  const deadline = Date.now() + 60_000;
  while (!/Ready on http/.test(wranglerLog)) {
    if (Date.now() > deadline || wrangler.exitCode !== null) throw new Error(`wrangler dev did not start:\n${wranglerLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  endpoint = new URL(`http://127.0.0.1:${port}/mcp`);
});

after(() => {
  if (wrangler && wrangler.exitCode === null) {
    try { process.kill(-wrangler.pid, 'SIGKILL'); } catch {}
  }
  if (project) rmSync(project, { recursive: true, force: true });
});

/** An SDK client for `token`, recording every response body it receives. */
async function connect(token) {
  const seen = [];
  const recordingFetch = async (url, init) => {
    const response = await fetch(url, init);
    seen.push(await response.clone().text());
    return response;
  };
  const transport = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
    fetch: recordingFetch,
  });
  const client = new Client({ name: 'datafast-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, seen, close: () => client.close() };
}

const failureOf = (result) => {
  assert.equal(result.isError, true, JSON.stringify(result));
  return result.structuredContent.error;
};

test('tools over Streamable HTTP in workerd: list, read, write, confirm, errors', async () => {
  const s = await connect(tokens.ownerToken);
  try {
    assert.equal(s.client.getServerVersion().name, 'datafast');
    const { tools } = await s.client.listTools();
    assert.equal(tools.length, 65);

    const pages = await s.client.callTool({ name: 'analytics_pages', arguments: { limit: 2 } });
    assert.equal(pages.isError, undefined, JSON.stringify(pages));
    assert.equal(pages.structuredContent.data.length, 2);
    assert.match(pages.content[0].text, /path/);

    const created = await s.client.callTool({
      name: 'funnels_create',
      arguments: { name: 'Remote funnel', steps: [{ name: 'Home', type: 'pageview', url: '/' }, { name: 'Docs', type: 'pageview', url: '/docs' }] },
    });
    const funnelId = created.structuredContent._id;
    assert.match(funnelId, /^[0-9a-f]{24}$/, JSON.stringify(created));
    const refused = failureOf(await s.client.callTool({ name: 'funnels_delete', arguments: { funnelId } }));
    assert.equal(refused.field, 'confirm');
    const deleted = await s.client.callTool({ name: 'funnels_delete', arguments: { funnelId, confirm: true } });
    assert.notEqual(deleted.isError, true, JSON.stringify(deleted));
    const left = await s.client.callTool({ name: 'funnels_list', arguments: {} });
    assert.ok(!left.structuredContent.data.some((f) => f._id === funnelId));

    const bad = failureOf(await s.client.callTool({ name: 'analytics_pages', arguments: { limit: 0 } }));
    assert.deepEqual([bad.code, bad.field, bad.status], ['invalid_params', 'limit', 0]);
    const missing = failureOf(
      await s.client.callTool({ name: 'visitors_get', arguments: { visitorId: '00000000-0000-4000-8000-000000000000' } }),
    );
    assert.deepEqual([missing.code, missing.status], ['not_found', 404]);
    await assert.rejects(s.client.callTool({ name: 'no_such_tool', arguments: {} }), /unknown tool/);

    for (const body of s.seen) assert.ok(!body.includes(tokens.ownerToken), 'the token appeared in a response');
    assert.ok(!wranglerLog.includes(tokens.ownerToken), 'the token appeared in the Worker log');
  } finally {
    await s.close();
  }
});

test('a df_ key lists the tools a website key may call', async () => {
  const s = await connect(site.key);
  try {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('analytics_overview') && !names.includes('tokens_list') && !names.includes('websites_create'));
    const overview = await s.client.callTool({ name: 'analytics_overview', arguments: {} });
    assert.equal(typeof overview.structuredContent.visitors, 'number', JSON.stringify(overview));
  } finally {
    await s.close();
  }
});

test('no bearer token: 401; a foreign Origin: 403', async () => {
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const anonymous = await fetch(endpoint, { method: 'POST', headers, body: init });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  const foreign = await fetch(endpoint, {
    method: 'POST',
    headers: { ...headers, Authorization: `Bearer ${tokens.ownerToken}`, Origin: 'https://evil.example' },
    body: init,
  });
  assert.equal(foreign.status, 403);
});

// The scenarios of @modelcontextprotocol/conformance that apply to a server offering only
// tools (the others call the suite's own test tools, or prompts, resources, logging and
// completion, which this server does not offer). The suite needs Node 22 APIs: run it on Bun.
test('MCP conformance: initialize, ping, tools/list, DNS rebinding protection', () => {
  const cli = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
  const url = new URL('/conformance/mcp', endpoint).href;
  for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection']) {
    let out;
    try {
      out = execFileSync(join(root, 'node_modules/.bin/bun'), [cli, 'server', '--url', url, '--scenario', scenario],
        { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    } catch (e) {
      assert.fail(`conformance scenario ${scenario} failed:\n${e.stdout}\n${e.stderr}`);
    }
    assert.match(out, /Passed: (\d+)\/\1, 0 failed/, `${scenario}:\n${out}`);
  }
});

test('wrangler deploy --dry-run bundles the Worker', () => {
  const outdir = join(project, 'dist');
  execFileSync(process.execPath, [wranglerCli, 'deploy', '--dry-run', '--outdir', outdir],
    { cwd: project, env: wranglerEnv(), stdio: 'pipe' });
  const files = readdirSync(outdir).filter((f) => /\.(js|mjs|wasm)$/.test(f));
  const raw = files.reduce((n, f) => n + statSync(join(outdir, f)).size, 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(outdir, f)), { level: 9 }).length, 0);
  assert.ok(files.some((f) => f.endsWith('.wasm')), files.join());
  console.log(`# MCP Worker bundle: ${files.join(', ')}: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip`);
});
