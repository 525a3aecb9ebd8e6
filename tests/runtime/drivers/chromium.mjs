// Chromium driver: a loopback static server serves the temp project, the page maps
// "datafast-wasm" to the package's browser entry with an import map, and Debian's Chromium
// (driven by playwright-core, never a downloaded browser) runs the checks.
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";
import { Failure, installedPackage, main, recordProcessGroup, resolveExport } from "./common.mjs";

const projectDir = process.argv[2];
// Launch 15 s + connect 5 s + load 15 s + result 20 s stays under run.sh's 60 s.
const PAGE_TIMEOUT_MS = 20_000;
const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
// .wasm must be application/wasm or WebAssembly.instantiateStreaming/compileStreaming refuse it.
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".cjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".map": "application/json" };

main(async () => {
  const { pkg } = installedPackage(projectDir);
  // What a bundler targeting browsers would pick.
  const entry = resolveExport(pkg, ["browser", "import", "module", "default"]);
  if (!entry) throw new Failure('package.json exports resolves to nothing for the "browser" condition');
  const importMap = { imports: { "datafast-wasm": `/node_modules/datafast-wasm/${entry.replace(/^\.\//, "")}` } };
  const html = readFileSync(path.join(projectDir, "index.html"), "utf8").replace("IMPORT_MAP", JSON.stringify(importMap));

  const requests = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(projectDir, path.normalize(urlPath));
    let status = 200, body, type;
    if (urlPath === "/" || urlPath === "/index.html") {
      [body, type] = [html, MIME[".html"]];
    } else if (file.startsWith(projectDir + path.sep) && statSync(file, { throwIfNoEntry: false })?.isFile()) {
      [body, type] = [readFileSync(file), MIME[path.extname(file)] ?? "application/octet-stream"];
    } else {
      [status, body, type] = [404, "not found", "text/plain"];
    }
    requests.push(`${status} ${urlPath}`);
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

  const logs = [];
  // launchServer rather than launch: it exposes the browser's process, whose group run.sh must
  // be able to kill (Playwright starts it detached, so it would outlive a SIGKILLed driver).
  const browserServer = await chromium.launchServer({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 15_000 });
  recordProcessGroup(browserServer.process().pid);
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: 5_000 });
    const page = await browser.newPage();
    page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => logs.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    const evidence = () => `import map: ${JSON.stringify(importMap)}\n--- requests\n${requests.join("\n")}\n--- page\n${logs.join("\n")}`;
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { timeout: 15_000 });
    let result;
    try {
      // evaluate() awaits the page's promise with no deadline of its own.
      result = await Promise.race([
        page.evaluate(() => window.__result),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no result within ${PAGE_TIMEOUT_MS} ms`)), PAGE_TIMEOUT_MS).unref()),
      ]);
      if (result === undefined) throw new Error("the page's module script did not run (window.__result unset)");
    } catch (e) {
      throw new Failure(`page produced no result: ${e.message.split("\n")[0]}`, evidence());
    }
    const missing = requests.filter((r) => r.startsWith("404")).map((r) => r.slice(4));
    const missingNote = missing.length ? `page requested missing files: ${missing.join(", ")}` : "";
    if (!result.ok) throw new Failure(`${result.reason}${missingNote && ` (${missingNote})`}`, `${result.error}\n${evidence()}`);
    if (missingNote) throw new Failure(missingNote, evidence());
    return { entry, summary: result.summary };
  } finally {
    await browserServer.close().catch(() => {});
    server.close();
  }
});
