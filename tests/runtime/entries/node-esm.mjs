// Node ESM consumer: a user's `import` of the installed package.
import * as lib from "datafast-wasm";
import { runChecks } from "./check.mjs";
import env from "./env.mjs";

try {
  console.log(`resolved ${import.meta.resolve("datafast-wasm")}`);
  console.log(`summary ${JSON.stringify(await runChecks(lib, { ...env, runtime: "node" }))}`);
} catch (e) {
  console.error(e?.stack ?? String(e));
  console.error(`reason: ${String(e?.message ?? e).split("\n")[0]}`);
  process.exit(1);
}
