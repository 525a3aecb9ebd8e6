// `datafast-wasm/testing`: starts the local DataFast emulator from a test (node:test, Vitest,
// Jest; Node, Deno and Bun) on a free port and stops it afterwards. The binary comes from the
// `datafast-emulator` package (a dev dependency), DATAFAST_EMULATOR_BIN, or `options.bin`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 30_000;
const running = new Set();
// A test runner that exits without stopping an emulator must not leave it behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts an emulator: `await startEmulator({ seed: 7, now: '2026-06-01T12:00:00Z' })` →
 * `{ baseUrl, tokens, env, clock, reset(), requests(filter), clearRequests(), faults(spec, routes), stop() }`.
 */
export async function startEmulator(options = {}) {
  const args = ['--port', '0', ...argumentsOf(options)];
  const bin = options.bin ?? process.env.DATAFAST_EMULATOR_BIN ?? installedBinary();
  const dir = await mkdtemp(join(tmpdir(), 'datafast-emulator-'));
  const tokensFile = join(dir, 'tokens.json');
  const child = spawn(bin, [...args, '--tokens-file', tokensFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const exited = once(child, 'exit');
  const spawnFailed = once(child, 'error').then(([error]) => error);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    running.delete(child);
    await rm(dir, { recursive: true, force: true });
  };

  const tokens = await waitForTokens(tokensFile, child, spawnFailed).catch(async (error) => {
    await stop();
    throw new Error(`datafast-emulator did not start: ${error.message}${stderr ? `\n${stderr.trim()}` : ''}`);
  });
  const baseUrl = tokens.baseUrl;
  const site = tokens.websites[0];
  const control = (path, body, method) => controlCall(baseUrl, path, body, method);
  return {
    baseUrl,
    tokens: { owner: tokens.ownerToken, websites: tokens.websites },
    /** The variables the SDK and the `datafast` CLI read: base URL, account token, first website. */
    env: {
      DATAFAST_API_BASE: baseUrl,
      DATAFAST_TOKEN: tokens.ownerToken,
      DATAFAST_SITE_KEY: site?.key ?? '',
      DATAFAST_WEBSITE_ID: site?.id ?? '',
    },
    /** The emulator's clock: `now()`, `set(instant)` (freezes it), `advance('90s')`. */
    clock: {
      async now() {
        return new Date((await control('/__emulator/clock')).nowMs);
      },
      async set(instant) {
        const at = instant instanceof Date ? instant.toISOString() : instant;
        return new Date((await control('/__emulator/clock', { set: at })).nowMs);
      },
      async advance(duration) {
        return new Date((await control('/__emulator/clock', { advance: duration })).nowMs);
      },
    },
    /** Back to the seeded data (and fresh rate-limit windows), e.g. between test cases. */
    async reset() {
      await control('/__emulator/reset', {});
    },
    /** What clients sent, redacted, oldest first: `requests({ endpoint: 'goals.create' })`. */
    async requests(filter = {}) {
      const query = new URLSearchParams();
      for (const key of ['endpoint', 'method', 'since']) if (filter[key] !== undefined) query.set(key, String(filter[key]));
      return control(`/__emulator/requests${query.size ? `?${query}` : ''}`);
    },
    async clearRequests() {
      await control('/__emulator/requests', null, 'DELETE');
    },
    /** Replaces the fault plan: `faults('503:0.5', 'analytics.*')`; `faults('off')` ends it. */
    async faults(spec, routes) {
      await control('/__emulator/faults', routes === undefined ? { faults: spec } : { faults: spec, routes });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** A control route: GET without `body`, POST with it (DELETE when asked); answers `data`. */
async function controlCall(baseUrl, path, body, method) {
  const init = body === undefined
    ? {}
    : { method: method ?? 'POST', headers: { 'Content-Type': 'application/json' }, body: body === null ? undefined : JSON.stringify(body) };
  const response = await fetch(`${baseUrl}${path}`, init);
  const answer = await response.json();
  if (!response.ok) throw new Error(`${path}: ${answer.error?.message ?? answer.message ?? response.status}`);
  return answer.data;
}

/** The command line for `options`, each value checked with a message naming the option. */
function argumentsOf(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('startEmulator: options must be an object');
  const known = ['seed', 'days', 'events', 'now', 'rateLimit', 'faults', 'args', 'bin'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`startEmulator: unknown option \`${key}\` (${known.join(', ')})`);
  }
  const args = [];
  const whole = (name, min) => {
    const v = options[name];
    if (v === undefined) return;
    if (!Number.isSafeInteger(v) || v < min) throw new TypeError(`startEmulator: \`${name}\` must be a whole number ≥ ${min}`);
    args.push(`--${name}`, String(v));
  };
  whole('seed', 0);
  whole('days', 1);
  whole('events', 1);
  const { now, rateLimit, faults, args: extra } = options;
  if (now !== undefined) {
    const at = now instanceof Date ? now : typeof now === 'string' ? new Date(now) : null;
    if (at === null || Number.isNaN(at.getTime())) {
      throw new TypeError('startEmulator: `now` must be a Date or an RFC 3339 string such as "2026-06-01T12:00:00Z"');
    }
    args.push('--now', at.toISOString());
  }
  if (rateLimit !== undefined) {
    if (rateLimit === false) args.push('--rate-limit', 'off');
    else if (typeof rateLimit === 'string' && /^\d+\/\d+$/.test(rateLimit)) args.push('--rate-limit', rateLimit);
    else throw new TypeError('startEmulator: `rateLimit` must be "REQUESTS/SECONDS" (e.g. "60/60") or false');
  }
  if (faults !== undefined) {
    if (typeof faults !== 'string') throw new TypeError('startEmulator: `faults` must be a string such as "503:0.1"');
    args.push('--faults', faults);
  }
  if (extra !== undefined) {
    if (!Array.isArray(extra) || !extra.every((a) => typeof a === 'string')) {
      throw new TypeError('startEmulator: `args` must be an array of strings');
    }
    args.push(...extra);
  }
  return args;
}

/** The binary of the `datafast-emulator` package (CommonJS: `require` works in every runner, Jest included). */
function installedBinary() {
  let emulator;
  try {
    emulator = createRequire(import.meta.url)('datafast-emulator');
  } catch {
    throw new Error(
      'startEmulator: the emulator is not installed; `npm install --save-dev datafast-emulator`, ' +
        'or set DATAFAST_EMULATOR_BIN, or pass { bin }',
    );
  }
  return emulator.binaryPath();
}

/** The emulator writes its tokens file (atomically) once it listens. */
async function waitForTokens(file, child, spawnFailed) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let failure;
  spawnFailed.then((e) => (failure = e));
  for (;;) {
    if (failure) throw failure;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    if (Date.now() > deadline) throw new Error(`no tokens file within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
