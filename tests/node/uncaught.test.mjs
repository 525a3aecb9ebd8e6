// What a user sees when a call's error goes uncaught in Node: a short report whose stack
// starts at the caller's line (not in the package or the wasm), without the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TOKEN = 'df_uncaughtstacktestkey000000000';
const entry = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../pkg/node.js')).href;

function runUncaught(body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'datafast-uncaught-'));
  const app = path.join(dir, 'app.mjs');
  writeFileSync(app, `import { WebsiteClient } from ${JSON.stringify(entry)};
const website = new WebsiteClient({ token: ${JSON.stringify(TOKEN)}, baseUrl: 'http://127.0.0.1:9', maxRetries: 0,
  fetch: async () => new Response('{"status":"error","error":{"code":401,"message":"invalid or revoked token"}}', { status: 401 }) });
async function main() {
${body}
}
main();
`);
  try {
    return { app, ...spawnSync(process.execPath, [app], { encoding: 'utf8', timeout: 20_000 }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [what, body, line] of [
  ['an API error', '  await website.analytics.overview();', 5],
  ['a validation error', '  await website.analytics.pages({ limit: -1 });', 5],
]) {
  test(`an uncaught ${what} names the calling file and line`, () => {
    const { app, status, stderr } = runUncaught(body);
    assert.equal(status, 1);
    assert.match(stderr, /DataFastError: /);
    const frames = stderr.split('\n').filter((l) => l.trimStart().startsWith('at '));
    assert.ok(frames.length > 0, stderr);
    assert.ok(frames[0].includes(`${pathToFileURL(app).href}:${line}:`), `first frame is the caller's line:\n${stderr}`);
    assert.ok(!/datafast_wasm|driver\.js|client\.js|wasm:\/\//.test(frames.join('\n')), `no package frames:\n${stderr}`);
    assert.ok(stderr.length < 2500, `a short report (${stderr.length} bytes):\n${stderr}`);
    assert.ok(!stderr.includes(TOKEN));
  });
}
