// Deno consumer: the bare specifier resolves through the project's node_modules.
import * as lib from "datafast-wasm";
import { runChecks } from "./check.mjs";
import env from "./env.mjs";

try {
  console.log(`resolved ${import.meta.resolve("datafast-wasm")}`);
  console.log(`summary ${JSON.stringify(await runChecks(lib, { ...env, runtime: "deno" }))}`);
} catch (e) {
  console.error(e?.stack ?? String(e));
  console.error(`reason: ${String(e?.message ?? e).split("\n")[0]}`);
  Deno.exit(1);
}
