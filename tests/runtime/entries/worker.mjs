// Cloudflare Worker consumer (module syntax); wrangler bundles the package with its
// `workerd` export condition. Each request runs the checks and answers JSON.
import * as lib from "datafast-wasm";
import { runChecks } from "./check.mjs";
import env from "./env.mjs";

export default {
  async fetch() {
    try {
      return Response.json({ ok: true, summary: await runChecks(lib, { ...env, runtime: "workerd" }) });
    } catch (e) {
      return Response.json({ ok: false, error: String(e?.stack ?? e), reason: String(e?.message ?? e).split("\n")[0] });
    }
  },
};
