// Runs the shared checks (tests/runtime/check.mjs) against the emulator and reports the
// outcome the way the matrix reads it: `window.__result` in a page, else a `summary {...}`
// line on stdout or a `reason: …` line on stderr and exit code 1.
import { runChecks } from './check.mjs';
import env from './env.mjs';

export const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : inBrowser ? 'chromium' : 'node';

/** `load()` resolves to the package namespace, ready for clients. */
export function report(load) {
  const result = (async () => runChecks(await load(), { ...env, runtime, dangerouslyAllowBrowser: inBrowser }))().then(
    (summary) => ({ ok: true, summary }),
    (e) => ({ ok: false, error: String(e?.stack ?? e), reason: String(e?.message ?? e).split('\n')[0] }),
  );
  if (inBrowser) {
    window.__result = result;
    return;
  }
  result.then((r) => {
    if (r.ok) return console.log(`summary ${JSON.stringify(r.summary)}`);
    console.error(r.error);
    console.error(`reason: ${r.reason}`);
    if (globalThis.Deno) Deno.exit(1);
    process.exitCode = 1;
  });
}
