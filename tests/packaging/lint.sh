#!/usr/bin/env bash
# Lints the packed package's package.json and types as registries and users' tools see them:
# publint (strict) and @arethetypeswrong/cli (every entry under node10, node16 CJS and ESM,
# and bundler resolution). The .wasm subpath is an asset, not a module, so attw skips it.
#
# Usage: tests/packaging/lint.sh TARBALL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tarball="$(realpath -e "$1")"
"$root/node_modules/.bin/publint" run "$tarball" --strict
"$root/node_modules/.bin/attw" "$tarball" --exclude-entrypoints ./datafast_wasm_bg.wasm --format table-flipped --no-color
