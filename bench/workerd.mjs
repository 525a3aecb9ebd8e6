// workerd cold start: fresh workerd processes serving a worker that imports the package, against
// fresh processes serving a control worker that makes the same request with bare fetch.
//
// Per sample: spawn workerd (no wrangler or miniflare in the request path), time spawn → its
// `listen` event (workerd compiles the .wasm and runs the module bodies, i.e. instantiates,
// before it listens), then time the first HTTP request (the first call through the client) and
// warm requests after it. Bundles are made once by `wrangler deploy --dry-run`, as for a deploy.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { p50, progress } from './lib.mjs';

const WORKERD_READY_MS = 20_000;

/** Bundles `entry` (a file in `projectDir`) with wrangler into `projectDir/dist-<name>`. */
async function bundle(repoRoot, projectDir, name, entry) {
  const outdir = path.join(projectDir, `dist-${name}`);
  rmSync(outdir, { recursive: true, force: true });
  // wrangler's bin refuses Node < 22.12; its CLI bundle runs on Node 20 (as in tests/runtime).
  const cli = path.join(repoRoot, 'node_modules', 'wrangler', 'wrangler-dist', 'cli.js');
  const args = [cli, 'deploy', '--dry-run', '--outdir', outdir, '--name', `bench-${name}`,
    '--compatibility-date', '2025-09-01', entry];
  const out = await collect(process.execPath, args, {
    cwd: projectDir,
    env: {
      ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', NO_COLOR: '1',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false', XDG_CONFIG_HOME: path.join(projectDir, '.config'),
    },
  });
  const upload = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
  const files = readdirSync(outdir);
  const main = files.find((f) => f.endsWith('.js'));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  if (!main) throw new Error(`wrangler produced no bundle for ${entry}:\n${out}`);
  const configPath = path.join(outdir, 'workerd.capnp');
  // Outbound fetches go to the emulator on loopback, which workerd's default network refuses.
  const modules = [`(name = "${main}", esModule = embed "${main}")`,
    ...wasm.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
  writeFileSync(configPath, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "2025-09-01",
);
`);
  return { configPath, uploadKiB: upload ? Number(upload[1]) : NaN, uploadGzipKiB: upload ? Number(upload[2]) : NaN };
}

/** Runs a command to completion; resolves its combined output, rejects on a non-zero exit. */
function collect(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/**
 * One fresh workerd: spawn → listen, first request, then `warm` more requests. Always kills the
 * process it started (by its pid) before returning.
 */
async function sample(workerdBin, configPath, warm) {
  const t0 = performance.now();
  // fd 3 is workerd's control channel: it writes {"event":"listen",…,"port":N} once it serves.
  const child = spawn(workerdBin, ['serve', configPath, '--control-fd=3'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const port = await new Promise((resolve, reject) => {
      let control = '';
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${WORKERD_READY_MS} ms:\n${stderr}`)), WORKERD_READY_MS);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`workerd exited ${code}:\n${stderr}`)); });
      child.stdio[3].on('data', (d) => {
        control += d;
        for (const line of control.split('\n')) {
          if (!line.startsWith('{')) continue;
          const event = JSON.parse(line);
          if (event.event === 'listen') { clearTimeout(timer); resolve(event.port); }
        }
      });
    });
    const startup = performance.now() - t0;
    const url = `http://127.0.0.1:${port}/`;
    const request = async () => {
      const s = performance.now();
      const res = await fetch(url);
      const body = await res.json();
      const latency = performance.now() - s;
      if (!res.ok || !(body.rows > 0)) throw new Error(`worker answered ${res.status}: ${JSON.stringify(body)}\n${stderr}`);
      return { latency, ...body };
    };
    const first = await request();
    const warmLatencies = [];
    for (let i = 0; i < warm; i++) warmLatencies.push((await request()).latency);
    return { startup, first: first.latency, warm: p50(warmLatencies) };
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * Bundles the three workers and takes `samples` fresh-process samples of each, interleaved:
 *   client   imports the package (compile + glue + instantiate at load, then the client's call)
 *   compile  imports only the package's .wasm (workerd compiles it) and calls with bare fetch
 *   bare     no package, bare fetch
 * `projectDir` holds the installed package, the worker sources and env.mjs.
 */
export async function workerdColdStart({ repoRoot, projectDir, samples, warm = 20 }) {
  const workerdBin = path.join(repoRoot, 'node_modules', '.bin', 'workerd');
  if (!existsSync(workerdBin)) throw new Error(`${workerdBin} is missing (run scripts/setup.sh)`);
  progress('workerd: bundling the bench workers with wrangler');
  const kinds = ['client', 'compile', 'bare'];
  const bundles = {};
  for (const kind of kinds) bundles[kind] = await bundle(repoRoot, projectDir, kind, `worker-${kind}.mjs`);
  // One discarded round warms the page cache for the workerd binary and the bundles.
  for (const kind of kinds) await sample(workerdBin, bundles[kind].configPath, 1);
  const runs = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let i = 0; i < samples; i++) {
    progress(`workerd: sample ${i + 1}/${samples}`);
    // Rotate the order so drifting machine load hits every kind alike.
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(i + k) % kinds.length];
      runs[kind].push(await sample(workerdBin, bundles[kind].configPath, warm));
    }
  }
  const figures = {};
  for (const key of ['startup', 'first', 'warm']) {
    figures[key] = Object.fromEntries(kinds.map((kind) => [kind, p50(runs[kind].map((r) => r[key]))]));
  }
  return { samples, figures, runs, upload: Object.fromEntries(kinds.map((k) => [k, bundles[k]])) };
}
