// Chromium driver: a loopback static server serves the temp project, the page maps
// "datafast-wasm" to the package's browser entry with an import map, and Debian's Chromium
// (driven by playwright-core, never a downloaded browser) runs the checks.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Failure, installedPackage, main, resolveExport } from "./common.mjs";
import { launchChromium, pageResult, staticServer } from "./page.mjs";

const projectDir = process.argv[2];
// Launch 15 s + connect 5 s + load 15 s + result 20 s stays under run.sh's 60 s.
const PAGE_TIMEOUT_MS = 20_000;

main(async () => {
  const { pkg } = installedPackage(projectDir);
  // What a bundler targeting browsers would pick.
  const entry = resolveExport(pkg, ["browser", "import", "module", "default"]);
  if (!entry) throw new Failure('package.json exports resolves to nothing for the "browser" condition');
  const importMap = { imports: { "datafast-wasm": `/node_modules/datafast-wasm/${entry.replace(/^\.\//, "")}` } };
  const html = readFileSync(path.join(projectDir, "index.html"), "utf8").replace("IMPORT_MAP", JSON.stringify(importMap));

  const server = await staticServer(projectDir, html);
  const chromium = await launchChromium();
  try {
    const { result, logs, error } = await pageResult(chromium.browser, server.url, PAGE_TIMEOUT_MS);
    const evidence = `import map: ${JSON.stringify(importMap)}\n--- requests\n${server.requests.join("\n")}\n--- page\n${logs.join("\n")}`;
    if (result === undefined) throw new Failure(`page produced no result: ${error}`, evidence);
    const missing = server.requests.filter((r) => r.startsWith("404")).map((r) => r.slice(4));
    const missingNote = missing.length ? `page requested missing files: ${missing.join(", ")}` : "";
    if (!result.ok) throw new Failure(`${result.reason}${missingNote && ` (${missingNote})`}`, `${result.error}\n${evidence}`);
    if (missingNote) throw new Failure(missingNote, evidence);
    return { entry, summary: result.summary };
  } finally {
    await chromium.close();
    server.close();
  }
});
