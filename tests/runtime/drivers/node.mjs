// Node driver: the installed package consumed via ESM `import` and via CommonJS `require`.
// Both are always run so one report shows whether each way of loading works.
import { entryResult, Failure, installedPackage, main, relativeToPackage, run } from "./common.mjs";

const projectDir = process.argv[2];
const TIMEOUT_MS = 20_000; // two runs must fit run.sh's 60 s budget

main(async () => {
  const { dir } = installedPackage(projectDir);
  const result = {}, failures = [];
  for (const [label, entry] of [["esm", "node-esm.mjs"], ["cjs", "node-cjs.cjs"]]) {
    try {
      const r = entryResult(`node ${label}`, await run(process.execPath, [entry], { cwd: projectDir, timeoutMs: TIMEOUT_MS }), TIMEOUT_MS);
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
