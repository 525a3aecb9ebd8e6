// Deno driver: runs the entry with network limited to loopback and reads limited to the
// project; Deno must resolve the package through node_modules with its `deno` condition.
import path from "node:path";
import { bin, entryResult, Failure, installedPackage, main, relativeToPackage, resolveExport, run } from "./common.mjs";

const projectDir = process.argv[2];
const TIMEOUT_MS = 40_000;

main(async () => {
  const { dir, pkg } = installedPackage(projectDir);
  const args = ["run", "--no-prompt", "--no-remote", "--node-modules-dir=manual",
    "--allow-net=127.0.0.1", `--allow-read=${projectDir}`, "--allow-env=DATAFAST_TOKEN,DATAFAST_SITE_KEY,DATAFAST_API_BASE",
    "deno.mjs"];
  // The package's environment defaults are checked too (check.mjs: `new WebsiteClient()`).
  const { default: tokens } = await import(path.join(projectDir, "env.mjs"));
  const env = {
    DENO_NO_UPDATE_CHECK: "1", // no version check against the internet
    DENO_DIR: path.join(projectDir, ".deno"), // a throwaway cache, not the user's
    NO_COLOR: "1",
    DATAFAST_SITE_KEY: tokens.websites[0].key,
    DATAFAST_API_BASE: tokens.baseUrl,
  };
  const raw = await run(bin("deno"), args, { cwd: projectDir, env, timeoutMs: TIMEOUT_MS });
  // Which file Deno picked matters more than what it then did, so check that first.
  const resolved = raw.stdout.match(/^resolved (.*)$/m)?.[1];
  const entry = resolved && relativeToPackage(dir, resolved);
  const expected = resolveExport(pkg, ["deno"]);
  if (!expected) throw new Failure(`package.json exports has no "deno" condition (Deno loaded ${entry ?? "nothing"})`, raw.stderr);
  if (entry && path.posix.normalize(entry) !== path.posix.normalize(expected)) {
    throw new Failure(`Deno loaded ${entry}, not the "deno" export ${expected}`, raw.stderr);
  }
  const r = entryResult("deno", raw, TIMEOUT_MS);
  return { entry, ...(r.warnings ? { warnings: r.warnings } : {}), summary: r.summary };
});
