// The package's size: the .wasm and the JS a runtime loads, raw, gzip -9 and brotli, and the
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

export function packageSizes(pkgDir, tarball) {
  const wasm = sizes(pkgDir, ['datafast_wasm_bg.wasm']);
  // What a runtime loads besides the .wasm: the glue, the shared client and driver modules
  // and one entry.
  const js = sizes(pkgDir, ['datafast_wasm.js', 'client.js', 'driver.js', 'node.js']);
  const sum = (k) => wasm[k] + js[k];
  return { wasm, js, total: { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') }, tarball: statSync(tarball).size };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = packageSizes(process.argv[2] ?? 'pkg', process.argv[3] ?? defaultTarball());
  console.log(`${'part'.padEnd(34)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const [name, v] of [['datafast_wasm_bg.wasm', s.wasm], ['JS glue + client + driver + entry', s.js], ['.wasm + JS', s.total]]) {
    console.log(`${name.padEnd(34)}${kb(v.raw).padStart(10)}${kb(v.gzip).padStart(10)}${kb(v.brotli).padStart(10)}`);
  }
  console.log(`${'npm tarball'.padEnd(34)}${kb(s.tarball).padStart(10)}`);
}
