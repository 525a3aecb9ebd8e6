#!/usr/bin/env bash
# A user's project testing against the emulator, from the packed tarballs only: a fresh
# project installs the SDK and the emulator packages, then node:test, Vitest and Jest (CommonJS)
# tests start the emulator with `datafast-wasm/testing` and call it with the SDK. The emulator's
# launcher package is linted first (the SDK's lint is tests/packaging/lint.sh).
#
# Usage: tests/testing/run.sh SDK_TARBALL EMULATOR_TARBALL EMULATOR_PLATFORM_TARBALL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -eq 3 ]] || { echo "usage: $0 SDK_TARBALL EMULATOR_TARBALL EMULATOR_PLATFORM_TARBALL" >&2; exit 2; }
tarballs=("$(realpath -e "$1")" "$(realpath -e "$2")" "$(realpath -e "$3")")
work="$(mktemp -d "${TMPDIR:-/tmp}/datafast-testing.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# The packages' own binary, not one a developer pointed at.
unset DATAFAST_EMULATOR_BIN DATAFAST_API_BASE DATAFAST_TOKEN DATAFAST_SITE_KEY

echo "== publint datafast-emulator"
"$root/node_modules/.bin/publint" run "${tarballs[1]}" --strict

cd "$work"
npm init -y >/dev/null
npm install --offline --no-audit --no-fund --loglevel=error "${tarballs[@]}"
cp "$root"/tests/testing/*.test.* .
[[ -x node_modules/@datafast-emulator/linux-x64/bin/datafast-emulator ]] || {
  echo "the platform package did not install its binary" >&2; exit 1; }
echo "== npx datafast-emulator --version"
npx --no-install datafast-emulator --version
echo "== node:test"
node --test node.test.mjs
echo "== Vitest"
"$root/node_modules/.bin/vitest" run --root "$work" --reporter=verbose vitest.test.mjs
echo "== Jest (CommonJS)"
"$root/node_modules/.bin/jest" --rootDir "$work" --ci --config '{"transform":{},"testMatch":["**/jest.test.cjs"]}'
