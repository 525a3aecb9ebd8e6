// The package's size: the .wasm and the JS each entry loads, raw, gzip -9 and brotli, and the
// tarball. bench/run.mjs uses `packageSizes`; run alone it prints the sizes.
// Usage: node bench/size.mjs [pkg-dir] [tarball]   (scripts/build-pkg.sh builds both)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kb } from './lib.mjs';

/** The newest-named `datafast-wasm-*.tgz` in `.work`, as scripts/build-pkg.sh leaves it. */
export function defaultTarball(workDir = '.work') {
  const name = readdirSync(workDir).filter((f) => /^datafast-wasm-.*\.tgz$/.test(f)).sort().pop();
  if (!name) throw new Error(`no datafast-wasm-*.tgz in ${workDir}: run scripts/build-pkg.sh`);
  return join(workDir, name);
}

function sizes(pkgDir, files) {
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(pkgDir, f))));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// The JS every entry loads: the wasm-bindgen glue, the client classes, the call driver and the
// loader the entries share.
const SHARED_JS = ['datafast_wasm.js', 'client.js', 'driver.js', 'instance.js'];
// Per entry: its own files, whether it loads the shared JS and whether it fetches the .wasm
// (else it carries it as base64). node.cjs is one esbuild file holding the shared JS.
const ENTRIES = {
  node: { files: ['node.js'], fetchesWasm: true },
  'node (require)': { files: ['node.cjs'], fetchesWasm: true, bundled: true },
  browser: { files: ['browser.js'], fetchesWasm: true },
  workerd: { files: ['workerd.js'], fetchesWasm: true },
  deno: { files: ['deno.js', 'datafast_wasm_base64.js'], fetchesWasm: false },
  inline: { files: ['inline.js', 'datafast_wasm_base64.js'], fetchesWasm: false },
};

export function packageSizes(pkgDir, tarball) {
  const wasm = sizes(pkgDir, ['datafast_wasm_bg.wasm']);
  const entries = {};
  for (const [name, { files, fetchesWasm, bundled }] of Object.entries(ENTRIES)) {
    const js = sizes(pkgDir, bundled ? files : [...SHARED_JS, ...files]);
    const add = (k) => js[k] + (fetchesWasm ? wasm[k] : 0);
    entries[name] = { js, total: { raw: add('raw'), gzip: add('gzip'), brotli: add('brotli') } };
  }
  // `js` and `total` (what bench/run.mjs reports): the Node entry.
  return { wasm, js: entries.node.js, total: entries.node.total, entries, tarball: statSync(tarball).size };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = packageSizes(process.argv[2] ?? 'pkg', process.argv[3] ?? defaultTarball());
  console.log(`${'part'.padEnd(34)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`);
  const rows = [['datafast_wasm_bg.wasm', s.wasm]];
  for (const [name, e] of Object.entries(s.entries)) {
    rows.push([`${name}: JS it loads`, e.js], [`${name}: total${ENTRIES[name].fetchesWasm ? ' (+ .wasm)' : ' (inlined)'}`, e.total]);
  }
  for (const [name, v] of rows) {
    console.log(`${name.padEnd(34)}${kb(v.raw).padStart(10)}${kb(v.gzip).padStart(10)}${kb(v.brotli).padStart(10)}`);
  }
  console.log(`${'npm tarball'.padEnd(34)}${kb(s.tarball).padStart(10)}`);
}
