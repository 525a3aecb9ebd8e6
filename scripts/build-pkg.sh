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
# wasm-bindgen declares `[Symbol.dispose]()` on every class, which does not type-check for
# projects whose `lib` predates ESNext.Disposable (ES2022 and most Node setups). The method
# still exists at run time; only its declaration goes (tests/types checks an ES2022 project).
sed '/^ *\[Symbol\.dispose\]()\: void;$/d' "$out/datafast_wasm.d.ts" >pkg/datafast_wasm.d.ts
# JS is shipped as written (and as wasm-bindgen generates it): readable in stack traces,
# debuggers and the error source line Node prints for an uncaught error. The bench's size
# row counts it.
cp "$out/datafast_wasm.js" js/client.js js/driver.js js/node.js js/deno.js js/workerd.js js/browser.js pkg/
cp js/index.d.ts pkg/
cp js/README.md pkg/README.md
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.template.json > pkg/package.json

# 3. The tarball users install.
mkdir -p .work
(cd pkg && npm pack --silent --pack-destination "$root/.work" >/dev/null)
echo "$root/.work/datafast-wasm-$version.tgz"
