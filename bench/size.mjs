// Prints the package's size: the .wasm raw and gzip, the JS glue gzip, the tarball.
// Usage: node bench/size.mjs [pkg-dir] [tarball]   (scripts/build-pkg.sh builds both)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { join } from 'node:path';

const pkg = process.argv[2] ?? 'pkg';
const tarball = process.argv[3] ?? join('.work', readdirSync('.work').find((f) => /^datafast-wasm-.*\.tgz$/.test(f)));
const sizes = (files) => {
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(pkg, f))));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
};
const wasm = sizes(['datafast_wasm_bg.wasm']);
// What a runtime loads besides the .wasm: the glue, the shared client module and one entry.
const glue = sizes(['datafast_wasm.js', 'client.js', 'node.js']);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['datafast_wasm_bg.wasm', wasm],
  ['JS glue + client.js + one entry', glue],
  ['.wasm + JS', { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip, brotli: wasm.brotli + glue.brotli }],
];
console.log(`${'part'.padEnd(34)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`);
for (const [name, s] of rows) console.log(`${name.padEnd(34)}${kb(s.raw).padStart(10)}${kb(s.gzip).padStart(10)}${kb(s.brotli).padStart(10)}`);
console.log(`${'npm tarball'.padEnd(34)}${kb(statSync(tarball).size).padStart(10)}`);
