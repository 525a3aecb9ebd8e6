// The toolchain matrix: each case builds the consumer apps in app/ with one toolchain (from
// the repo's pinned devDependencies) against the installed tarball, then runs the result —
// bundles for browsers in Chromium, the rest in their runtime — and the shared checks
// (tests/runtime/check.mjs) compare what the client returns with the emulator's raw API.
//
// Usage: node matrix.mjs PROJECT [case…]   (run.sh prepares PROJECT)
//        node matrix.mjs --build CASE PROJECT   (one build, in its own process)
// stdout: `ok <case> (<build> + <run> ms)` or `FAIL <case>: <reason>` per case, then a count.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bin, entryResult, Failure, run } from "../runtime/drivers/common.mjs";
import { launchChromium, pageResult, staticServer } from "../runtime/drivers/page.mjs";

const BUILD_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 30_000;
const self = fileURLToPath(import.meta.url);
const page = (script, { module = true } = {}) =>
  readFileSync(path.join(path.dirname(self), "app", "page.html"), "utf8")
    .replace('type="module" src="./APP"', module ? `type="module" src="./${script}"` : `src="./${script}"`);

// Each case: `build(project, out)` runs in a child process (bundlers are CPU-bound; two
// run side by side), then either `page` (the HTML to open in Chromium from `out`) or `cmd`.
const CASES = {
  "esbuild-browser": {
    about: "esbuild, browser, the app hosting the .wasm (file loader + init({ wasm }))",
    build: (p, out) => esbuild(p, out, "app-hosted.mjs", { platform: "browser", format: "esm", loader: { ".wasm": "file" } }),
    page: page("main.js"),
  },
  "esbuild-browser-inline": {
    about: "esbuild, browser, defaults, datafast-wasm/inline",
    build: (p, out) => esbuild(p, out, "app-inline.mjs", { platform: "browser", format: "esm" }),
    page: page("main.js"),
  },
  "esbuild-node-esm": {
    about: "esbuild, Node ESM bundle, package external",
    build: (p, out) => esbuild(p, out, "app-default.mjs", { platform: "node", format: "esm", packages: "external", outExtension: { ".js": ".mjs" } }),
    cmd: (p, out) => [process.execPath, [path.join(out, "main.mjs")]],
  },
  "esbuild-node-cjs": {
    about: "esbuild, Node CommonJS bundle, package external, run without require(esm)",
    build: (p, out) => esbuild(p, out, "app-default.mjs", { platform: "node", format: "cjs", packages: "external", outExtension: { ".js": ".cjs" } }),
    cmd: (p, out) => [process.execPath, ["--no-experimental-require-module", path.join(out, "main.cjs")]],
  },
  "esbuild-node-inline": {
    about: "esbuild, Node ESM, everything bundled, datafast-wasm/inline",
    build: (p, out) => esbuild(p, out, "app-inline.mjs", { platform: "node", format: "esm", outExtension: { ".js": ".mjs" } }),
    cmd: (p, out) => [process.execPath, [path.join(out, "main.mjs")]],
  },
  vite: {
    about: "Vite (current), defaults, await init()",
    build: (p, out) => vite("vite", p, out, "app-default.mjs"),
    page: null, // Vite writes the page
  },
  vite6: {
    about: "Vite 6, defaults, await init()",
    build: (p, out) => vite("vite6", p, out, "app-default.mjs"),
    page: null,
  },
  "vite6-url": {
    about: "Vite 6, the .wasm imported with ?url, init({ wasm })",
    build: (p, out) => vite("vite6", p, out, "app-vite-url.mjs"),
    page: null,
  },
  "vite-dev": {
    about: "Vite (current) dev server, await init()",
    serve: (p) => viteDev("vite", p, "app-default.mjs"),
  },
  "vite6-dev": {
    about: "Vite 6 dev server, await init(), optimizeDeps.exclude (its pre-bundling moves the module away from the .wasm)",
    serve: (p) => viteDev("vite6", p, "app-default.mjs", { optimizeDeps: { exclude: ["datafast-wasm"] } }),
  },
  "vite6-dev-url": {
    about: "Vite 6 dev server, the .wasm imported with ?url, init({ wasm })",
    serve: (p) => viteDev("vite6", p, "app-vite-url.mjs"),
  },
  webpack: {
    about: "webpack 5, production, await init()",
    build: (p, out) => webpack(p, out),
    page: page("main.js", { module: false }),
  },
  rollup: {
    about: "Rollup + @rollup/plugin-node-resolve (browser), the .wasm copied beside the bundle",
    build: (p, out) => rollup(p, out),
    page: page("main.js"),
  },
  jest: {
    about: "Jest 30, CommonJS test, node environment",
    cmd: (p) => [bin("jest"), ["--rootDir", p, "--ci", "--config", JSON.stringify({ transform: {}, testMatch: ["**/jest.test.cjs"] })]],
  },
  vitest: {
    about: "Vitest, node environment",
    cmd: (p) => [bin("vitest"), ["run", "--root", p, "--globals", "--reporter=verbose", "vitest.test.mjs"]],
  },
  deno: {
    about: "Deno (current), npm package through node_modules",
    cmd: (p) => [bin("deno"), denoArgs()],
  },
  "deno-2.4": {
    about: "Deno 2.4 (the documented minimum)",
    cmd: (p, out, root) => [path.join(root, "node_modules", "deno-2.4", "bin.cjs"), denoArgs()],
  },
  bun: {
    about: "Bun, the package's node entry",
    cmd: (p) => [bin("bun"), ["app-default.mjs"]],
  },
};

function denoArgs() {
  return ["run", "--no-prompt", "--no-remote", "--node-modules-dir=manual", "--allow-net=127.0.0.1",
    "--allow-env=DATAFAST_TOKEN,DATAFAST_SITE_KEY,DATAFAST_API_BASE", "app-default.mjs"];
}

async function esbuild(project, out, entry, options) {
  const { build } = await import("esbuild");
  await build({ entryPoints: { main: path.join(project, entry) }, bundle: true, outdir: out, logLevel: "warning", absWorkingDir: project, ...options });
}

async function vite(pkg, project, out, app) {
  const { build } = await import(pkg);
  const html = `page-${path.basename(out)}.html`;
  writeFileSync(path.join(project, html), page(app));
  await build({ root: project, configFile: false, logLevel: "warn", build: { outDir: out, emptyOutDir: true, rollupOptions: { input: path.join(project, html) } } });
  copyFileSync(path.join(out, html), path.join(out, "index.html"));
}

/** Starts a dev server in this process; resolves { url, close }. */
async function viteDev(pkg, project, app, config = {}) {
  const { createServer } = await import(pkg);
  const html = `page-dev-${path.basename(app, ".mjs")}.html`;
  writeFileSync(path.join(project, html), page(app));
  // Each server its own cache: two dev servers share the project.
  const cacheDir = path.join(project, "node_modules", `.vite-${pkg}-${path.basename(app, ".mjs")}`);
  // No file watcher: the builds running alongside write into the project, which would make
  // the dev server reload the page.
  const server = await createServer({ root: project, configFile: false, logLevel: "warn", cacheDir, server: { host: "127.0.0.1", port: 0, watch: null }, ...config });
  await server.listen();
  return { url: `${server.resolvedUrls.local[0]}${html}`, requests: [], close: () => server.close() };
}

async function webpack(project, out) {
  const { default: webpack } = await import("webpack");
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: "production", context: project, entry: "./app-default.mjs", output: { path: out, filename: "main.js" }, performance: { hints: false } },
      (err, s) => (err ? reject(err) : resolve(s))));
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
}

async function rollup(project, out) {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const bundle = await rollup({ input: path.join(project, "app-default.mjs"), plugins: [nodeResolve({ browser: true, rootDir: project })] });
  await bundle.write({ file: path.join(out, "main.js"), format: "es" });
  // The README's Rollup recipe: the .wasm beside the bundle (the entry fetches it from there).
  copyFileSync(path.join(project, "node_modules/datafast-wasm/datafast_wasm_bg.wasm"), path.join(out, "datafast_wasm_bg.wasm"));
}

const now = () => Number(process.hrtime.bigint() / 1_000_000n);

async function runCase(name, project, root, chromium) {
  const c = CASES[name];
  const out = path.join(project, "dist", name);
  mkdirSync(out, { recursive: true });
  const t0 = now();
  if (c.build) {
    const r = await run(process.execPath, [self, "--build", name, project], { cwd: project, timeoutMs: BUILD_TIMEOUT_MS });
    if (r.timedOut) throw new Failure(`build did not finish within ${BUILD_TIMEOUT_MS} ms`, r.stderr);
    if (r.code !== 0) {
      const reason = r.stderr.split("\n").filter((l) => l.startsWith("reason: ")).pop()?.slice(8) ?? `exit code ${r.code}`;
      throw new Failure(`build failed: ${reason}`, r.stdout + r.stderr);
    }
  }
  const t1 = now();
  let summary;
  if (c.page !== undefined || c.serve) {
    const server = c.serve ? await c.serve(project) : await staticServer(out, c.page ?? readFileSync(path.join(out, "index.html"), "utf8"));
    try {
      const { result, logs, error } = await pageResult((await chromium()).browser, server.url, PAGE_TIMEOUT_MS);
      const evidence = `--- requests\n${server.requests.join("\n")}\n--- page\n${logs.join("\n")}`;
      if (result === undefined) throw new Failure(`page produced no result: ${error}`, evidence);
      if (!result.ok) throw new Failure(result.reason, `${result.error}\n${evidence}`);
      const missing = server.requests.filter((r) => r.startsWith("404"));
      if (missing.length) throw new Failure(`page requested missing files: ${missing.join(", ")}`, evidence);
      summary = result.summary;
    } finally {
      server.close();
    }
  } else {
    const [cmd, args] = c.cmd(project, out, root);
    // The checks also create clients from DATAFAST_* in the runtimes that read them (Node, Deno).
    const { default: tokens } = await import(path.join(project, "env.mjs"));
    const env = { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: path.join(project, ".deno"), NO_COLOR: "1", CI: "1",
      DATAFAST_SITE_KEY: tokens.websites[0].key, DATAFAST_API_BASE: tokens.baseUrl };
    const r = await run(cmd, args, { cwd: project, env, timeoutMs: RUN_TIMEOUT_MS });
    // Jest and Vitest print the test's console.log on stdout or stderr; look at both.
    summary = entryResult(name, { ...r, stdout: r.stdout + "\n" + r.stderr }, RUN_TIMEOUT_MS).summary;
  }
  return { buildMs: t1 - t0, runMs: now() - t1, summary };
}

async function matrix(project, names) {
  const root = path.resolve(path.dirname(self), "../..");
  let browser = null;
  const chromium = () => (browser ??= launchChromium());
  const queue = [...names];
  let failed = 0;
  // Two at a time: builds are CPU-bound and the machine has two cores.
  const worker = async () => {
    for (let name; (name = queue.shift()) !== undefined;) {
      try {
        const r = await runCase(name, project, root, chromium);
        console.log(`ok ${name} (build ${r.buildMs} ms + run ${r.runMs} ms): visitors ${r.summary.visitors}, ${r.summary.methods} methods`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}: ${String(e?.message ?? e).split("\n")[0]}`);
        console.error(`--- ${name} (${CASES[name].about})\n${e instanceof Failure ? e.details : e?.stack ?? e}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (browser) await (await browser).close();
  console.log(`packaging: ${names.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

const args = process.argv.slice(2);
if (args[0] === "--build") {
  const [, name, project] = args;
  try {
    await CASES[name].build(project, path.join(project, "dist", name));
  } catch (e) {
    // Bundlers name the first error in the message's first lines ("Build failed with 1 error:", then it).
    console.error(e?.stack ?? e);
    const lines = String(e?.message ?? e).split("\n").map((l) => l.trim()).filter(Boolean);
    console.error(`reason: ${lines[0]?.endsWith(":") ? lines.slice(0, 2).join(" ") : lines[0]}`);
    process.exit(1);
  }
} else {
  const [project, ...only] = args;
  const unknown = only.filter((n) => !CASES[n]);
  if (!project || unknown.length) {
    console.error(`usage: node matrix.mjs PROJECT [${Object.keys(CASES).join(" ")}]${unknown.length ? ` (unknown: ${unknown})` : ""}`);
    process.exit(2);
  }
  process.exit((await matrix(project, only.length ? only : Object.keys(CASES))) ? 0 : 1);
}
