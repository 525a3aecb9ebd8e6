#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it into .work/datafast-wasm-<version>.tgz.
# Prints the tarball path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=.work/wasm-bindgen
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# 1. Rust → wasm + ESM glue. wasm-pack's own wasm-opt step is off (Cargo.toml): Debian's
#    binaryen corrupts the module, so the npm build of binaryen runs below instead.
wasm-pack --quiet build --release --target web --mode no-install --weak-refs --no-pack \
  --out-dir "$out" --out-name datafast_wasm >&2

rm -rf pkg && mkdir -p pkg
# 2. Size optimisation with binaryen from npm.
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/datafast_wasm_bg.wasm" -o pkg/datafast_wasm_bg.wasm
# The glue's own default (a URL beside itself) is never used: every entry passes the module
# or its URL (js/instance.js). Removing it keeps bundlers from emitting the .wasm a second
# time for entries that inline it.
default_url="module_or_path = new URL('datafast_wasm_bg.wasm', import.meta.url);"
grep -qF "$default_url" "$out/datafast_wasm.js" ||
  { echo "build-pkg: the wasm-bindgen glue changed: its default .wasm URL is not where expected" >&2; exit 1; }
sed "s|$default_url|throw new Error('datafast-wasm: no .wasm given');|" "$out/datafast_wasm.js" >pkg/datafast_wasm.js
# The .wasm as a base64 module, for the entries that carry it (deno.js, inline.js).
node -e 'const fs = require("fs");
  fs.writeFileSync(process.argv[2], `export default "${fs.readFileSync(process.argv[1]).toString("base64")}";\n`)' \
  pkg/datafast_wasm_bg.wasm pkg/datafast_wasm_base64.js
# JS is shipped as written: readable in stack traces, debuggers and the error source line
# Node prints for an uncaught error. The bench's size rows count it.
cp js/client.js js/driver.js js/instance.js js/node.js js/deno.js js/workerd.js js/browser.js js/inline.js pkg/
# CommonJS builds for `require` (Node without require(esm), Jest): one file each, with
# `import.meta.url` standing for the file's own URL.
for entry in node inline; do
  node_modules/.bin/esbuild "pkg/$entry.js" --bundle --format=cjs --platform=node --target=node20 \
    --log-level=warning --define:import.meta.url=__datafast_module_url \
    --banner:js="const __datafast_module_url = require('node:url').pathToFileURL(__filename).href;" \
    --outfile="pkg/$entry.cjs"
done
# Types: the classes and types wasm-bindgen declares, without the glue's own init API
# (js/instance.js wraps it), plus js/index.d.ts. The same declarations serve `import`
# (index.d.ts) and `require` (index.d.cts).
{
  sed '/^export type InitInput = /,$d' "$out/datafast_wasm.d.ts"
  cat js/index.d.ts
} >pkg/index.d.ts
cp pkg/index.d.ts pkg/index.d.cts
# For TypeScript's `node10` resolution, which ignores `exports` and looks beside inline.js.
echo "export * from './index.js';" >pkg/inline.d.ts
cp js/README.md pkg/README.md
cp CHANGELOG.md pkg/CHANGELOG.md
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.template.json > pkg/package.json

# 3. The tarball users install.
mkdir -p .work
(cd pkg && npm pack --silent --pack-destination "$root/.work" >/dev/null)
echo "$root/.work/datafast-wasm-$version.tgz"
