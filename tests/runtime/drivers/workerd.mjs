// workerd driver: `wrangler dev --local` serves worker.mjs (which bundles the package with the
// `workerd` condition); one request runs the checks inside workerd and answers JSON.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Failure, freePort, installedPackage, killGroup, main, recordProcessGroup, repoRoot, resolveExport } from "./common.mjs";

const projectDir = process.argv[2];
const READY_TIMEOUT_MS = 40_000;
const REQUEST_TIMEOUT_MS = 15_000;

main(async () => {
  // No nodejs_compat: the package must not need Node APIs inside a Worker.
  writeFileSync(path.join(projectDir, "wrangler.toml"),
    'name = "datafast-runtime-check"\nmain = "worker.mjs"\ncompatibility_date = "2025-09-01"\n');
  const [port, inspectorPort] = [await freePort(), await freePort()];
  // wrangler's bin/wrangler.js refuses Node < 22.12 outright; its CLI bundle runs on Node 20
  // (it only warns), so start that directly with the current Node.
  const cli = path.join(repoRoot, "node_modules", "wrangler", "wrangler-dist", "cli.js");
  const args = [cli, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"];
  const child = spawn(process.execPath, args, {
    cwd: projectDir,
    detached: true, // own process group: wrangler and its workerd child die together
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true", // the banner runs an update check against registry.npmjs.org
      XDG_CONFIG_HOME: path.join(projectDir, ".config"), // wrangler's logs/metrics state stay in the temp dir
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    },
  });
  recordProcessGroup(child.pid);
  let log = "";
  // wrangler colours its output regardless of NO_COLOR; keep the log readable.
  const append = (d) => (log += String(d).replace(/\x1b\[[0-9;]*m/g, ""));
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(`wrangler exited (${code ?? signal})`)));
  try {
    // Ready = wrangler says so; fail fast if it dies first.
    const ready = await Promise.race([
      waitFor(() => /Ready on http/.test(log), READY_TIMEOUT_MS),
      exited,
    ]);
    if (ready !== true) throw new Failure(ready === false ? `wrangler not ready within ${READY_TIMEOUT_MS} ms` : ready, log);
    let res, body;
    try {
      res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      body = await res.text();
    } catch (e) {
      throw new Failure(`request to the worker failed: ${e.message}`, log);
    }
    let result;
    try { result = JSON.parse(body); } catch { throw new Failure(`worker answered ${res.status} non-JSON: ${body.slice(0, 200)}`, log); }
    if (!result.ok) throw new Failure(result.reason, `${result.error}\n--- wrangler log\n${log}`);
    return { entry: bundledEntry(), summary: result.summary };
  } finally {
    killGroup(child.pid, "SIGTERM");
    // Give wrangler a moment to stop workerd itself, then make sure the whole group is gone.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    killGroup(child.pid, "SIGKILL");
  }
});

/**
 * Which of the package's export targets wrangler bundled: esbuild marks each module in the dev
 * bundle with a `// node_modules/datafast-wasm/<file>` comment. Must be the `workerd` one alone.
 */
function bundledEntry() {
  const { pkg } = installedPackage(projectDir);
  const expected = resolveExport(pkg, ["workerd"]);
  if (!expected) throw new Failure('package.json exports has no "workerd" condition');
  const targets = new Set(Object.values(pkg.exports?.["."] ?? {}).filter((t) => typeof t === "string").map((t) => path.posix.normalize(t)));
  const bundles = readdirSync(path.join(projectDir, ".wrangler", "tmp"), { recursive: true })
    .filter((f) => f.endsWith(".js")).map((f) => readFileSync(path.join(projectDir, ".wrangler", "tmp", f), "utf8"));
  const used = new Set(bundles.flatMap((b) => [...b.matchAll(/^\/\/ node_modules\/datafast-wasm\/(\S+)$/gm)].map((m) => m[1])));
  const entries = [...used].filter((f) => targets.has(f));
  if (entries.length !== 1 || entries[0] !== path.posix.normalize(expected)) {
    throw new Failure(`wrangler bundled ${entries.join(", ") || "no package entry"}, not only the "workerd" export ${expected}`);
  }
  return expected;
}

/** Polls `cond` every 100 ms; true once it holds, false at the deadline. */
async function waitFor(cond, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
