// Node driver: the installed package consumed via ESM `import` and via CommonJS `require`.
// Both are always run so one report shows whether each way of loading works.
import path from "node:path";
import { entryResult, Failure, installedPackage, main, relativeToPackage, run } from "./common.mjs";

const projectDir = process.argv[2];
const TIMEOUT_MS = 20_000; // two runs must fit run.sh's 60 s budget

main(async () => {
  const { dir } = installedPackage(projectDir);
  // The package's environment defaults are checked too (check.mjs: `new WebsiteClient()`).
  const { default: tokens } = await import(path.join(projectDir, "env.mjs"));
  const env = { DATAFAST_SITE_KEY: tokens.websites[0].key, DATAFAST_API_BASE: tokens.baseUrl };
  const result = {}, failures = [];
  for (const [label, entry] of [["esm", "node-esm.mjs"], ["cjs", "node-cjs.cjs"]]) {
    try {
      const r = entryResult(`node ${label}`, await run(process.execPath, [entry], { cwd: projectDir, env, timeoutMs: TIMEOUT_MS }), TIMEOUT_MS);
      result[label] = { entry: relativeToPackage(dir, r.resolved), ...(r.warnings ? { warnings: r.warnings } : {}) };
      result.summary ??= r.summary;
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      failures.push(e);
    }
  }
  if (failures.length) throw new Failure(failures.map((f) => f.message).join("; "), failures.map((f) => f.details).join("\n"));
  return result;
});
