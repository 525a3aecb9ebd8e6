// Helpers shared by the per-runtime drivers (Node-only code; check.mjs is the portable part).
// Protocol with run.sh: on success the last stdout line is `summary {...}`; on failure the
// details go to stderr and the last stderr line is `reason: <one line>`, exit code 1.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, realpathSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const bin = (name) => path.join(repoRoot, "node_modules", ".bin", name);

/** An expected failure: `message` is the one-line reason, `details` the evidence. */
export class Failure extends Error {
  constructor(message, details = "") {
    super(message);
    this.details = details;
  }
}

/** Runs a driver body, prints the protocol lines and exits (so no stray handle keeps us alive). */
export async function main(body) {
  let code = 0;
  try {
    console.log(`summary ${JSON.stringify(await body())}`);
  } catch (e) {
    console.error(e instanceof Failure ? e.details : e?.stack ?? String(e));
    console.error(`reason: ${String(e?.message ?? e).split("\n")[0]}`);
    code = 1;
  }
  process.exit(code);
}

/** Remembers a process group so run.sh can kill it even if this driver is SIGKILLed. */
export function recordProcessGroup(pgid) {
  if (process.env.RUNTIME_PGIDS_FILE) appendFileSync(process.env.RUNTIME_PGIDS_FILE, `${pgid}\n`);
}

/**
 * Spawns a command in its own process group, collects its output and kills the whole group
 * once it exits or the deadline passes. Resolves { code, signal, stdout, stderr, timedOut }.
 */
export function run(cmd, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    recordProcessGroup(child.pid);
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => { timedOut = true; killGroup(child.pid, "SIGKILL"); }, timeoutMs);
    child.on("error", (e) => { clearTimeout(timer); reject(new Failure(`cannot start ${cmd}: ${e.message}`)); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid, "SIGKILL"); // grandchildren left behind, if any
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

export function killGroup(pgid, signal = "SIGTERM") {
  try { process.kill(-pgid, signal); } catch { /* already gone */ }
}

/** Parses the `resolved …` and `summary …` lines an entry script prints; throws its reason otherwise. */
export function entryResult(label, r, timeoutMs) {
  const output = `--- ${label} stdout\n${r.stdout}--- ${label} stderr\n${r.stderr}`;
  if (r.timedOut) throw new Failure(`${label} did not finish within ${timeoutMs} ms`, output);
  const line = (prefix, text) => text.split("\n").filter((l) => l.startsWith(prefix)).pop()?.slice(prefix.length);
  const summary = line("summary ", r.stdout);
  if (r.code !== 0 || summary === undefined) {
    const reason = line("reason: ", r.stderr) ?? `exit code ${r.code ?? r.signal}: ${r.stderr.trim().split("\n").pop() ?? ""}`;
    throw new Failure(`${label}: ${reason}`, output);
  }
  // Runtime warnings (e.g. an ExperimentalWarning on require(esm)) are what a user would see.
  const warnings = r.stderr.split("\n").filter((l) => /warning/i.test(l)).map((l) => l.trim());
  return { resolved: line("resolved ", r.stdout), summary: JSON.parse(summary), ...(warnings.length ? { warnings } : {}) };
}

/** The installed package's directory and package.json inside a temp project. */
export function installedPackage(projectDir) {
  const dir = path.join(projectDir, "node_modules", "datafast-wasm");
  return { dir: realpathSync(dir), pkg: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) };
}

/**
 * Resolves the package's "." export for a list of conditions, following the Node algorithm:
 * keys are tried in object order, the first listed one wins. Pass "default" to accept it.
 */
export function resolveExport(pkg, conditions) {
  let target = pkg.exports;
  if (target === undefined) return null;
  if (target && typeof target === "object" && !Array.isArray(target) && Object.keys(target).some((k) => k.startsWith("."))) {
    target = target["."];
  }
  const pick = (t) => {
    if (typeof t === "string") return t;
    if (Array.isArray(t)) return t.map(pick).find((x) => x) ?? null;
    if (t && typeof t === "object") {
      for (const [k, v] of Object.entries(t)) {
        if (conditions.includes(k)) {
          const r = pick(v);
          if (r) return r;
        }
      }
    }
    return null;
  };
  return pick(target);
}

/** A file URL or path printed by a runtime, as a path relative to the package directory. */
export function relativeToPackage(pkgDir, resolved) {
  if (!resolved) return null;
  const p = resolved.startsWith("file:") ? fileURLToPath(resolved) : resolved;
  return "./" + path.relative(pkgDir, realpathSync(p)).split(path.sep).join("/");
}

/** A currently free loopback TCP port (the OS picks it; released immediately for the child). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
