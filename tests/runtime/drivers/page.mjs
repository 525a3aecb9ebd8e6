// Debian's Chromium through playwright-core (never a downloaded browser) and a loopback static
// server: what the Chromium driver and the packaging matrix (tests/packaging) share.
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";
import { recordProcessGroup } from "./common.mjs";

const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
// .wasm must be application/wasm or WebAssembly.instantiateStreaming/compileStreaming refuse it.
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".cjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".map": "application/json" };

/**
 * Serves `dir` on a free loopback port, `/` being `index` (HTML text). Resolves
 * { url, requests, close }; `requests` lists `<status> <path>` lines.
 */
export async function staticServer(dir, index) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(dir, path.normalize(urlPath));
    let status = 200, body, type;
    if (urlPath === "/" || urlPath === "/index.html") {
      [body, type] = [index, MIME[".html"]];
    } else if (file.startsWith(dir + path.sep) && statSync(file, { throwIfNoEntry: false })?.isFile()) {
      [body, type] = [readFileSync(file), MIME[path.extname(file)] ?? "application/octet-stream"];
    } else {
      [status, body, type] = [404, "not found", "text/plain"];
    }
    requests.push(`${status} ${urlPath}`);
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, requests, close: () => server.close() };
}

/**
 * Starts Chromium. launchServer rather than launch: it exposes the browser's process, whose
 * group the caller's run.sh must be able to kill (Playwright starts it detached, so it would
 * outlive a SIGKILLed driver). Resolves { browser, close }.
 */
export async function launchChromium() {
  const browserServer = await chromium.launchServer({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 15_000 });
  recordProcessGroup(browserServer.process().pid);
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: 5_000 });
    return { browser, close: () => browserServer.close().catch(() => {}) };
  } catch (e) {
    await browserServer.close().catch(() => {});
    throw e;
  }
}

/**
 * Opens `url` and awaits the page's `window.__result` ({ ok, summary } or { ok: false,
 * reason, error }). Resolves { result, logs }; result is undefined when the page gave none,
 * with `error` saying why.
 */
export async function pageResult(browser, url, timeoutMs) {
  const logs = [];
  const page = await browser.newPage();
  page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => logs.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    await page.goto(url, { timeout: 15_000 });
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs).unref());
    // evaluate() awaits the page's promise with no deadline of its own. A page may reload
    // itself once (Vite's dev server does after optimizing a newly found dependency): then
    // the result comes from the reloaded page.
    const evaluate = async (reloads) => {
      try {
        return await page.evaluate(() => window.__result);
      } catch (e) {
        if (reloads === 0 || !/context was destroyed/.test(e.message)) throw e;
        logs.push("page reloaded itself");
        await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs });
        return evaluate(reloads - 1);
      }
    };
    const result = await Promise.race([evaluate(2), deadline]);
    if (result === undefined) return { logs, error: "the page's module script did not run (window.__result unset)" };
    return { result, logs };
  } catch (e) {
    return { logs, error: e.message.split("\n")[0] };
  } finally {
    await page.close().catch(() => {});
  }
}
