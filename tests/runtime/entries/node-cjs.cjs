// Node CommonJS consumer: `require()` of the installed package (its CommonJS build).
"use strict";
let lib;
try {
  lib = require("datafast-wasm");
  console.log(`resolved ${require.resolve("datafast-wasm")}`);
} catch (e) {
  console.error(e?.stack ?? String(e));
  console.error(`reason: require("datafast-wasm") failed: ${e?.code ?? ""} ${String(e?.message ?? e).split("\n")[0]}`);
  process.exit(1);
}
(async () => {
  const { runChecks } = await import("./check.mjs");
  const { default: env } = await import("./env.mjs");
  console.log(`summary ${JSON.stringify(await runChecks(lib, { ...env, runtime: "node" }))}`);
})().catch((e) => {
  console.error(e?.stack ?? String(e));
  console.error(`reason: ${String(e?.message ?? e).split("\n")[0]}`);
  process.exit(1);
});
