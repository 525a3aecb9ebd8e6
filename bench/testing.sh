#!/usr/bin/env bash
# Start-up of the test helper (see "Test helper" in bench/README.md): `startEmulator()` from
# `datafast-wasm/testing` until it resolves, then `stop()`, from the packed tarballs in a fresh
# project, beside the emulator binary alone (spawn until its tokens file appears). Builds the
# package and the emulator's npm packages first. About two minutes.
#
# Usage: bash bench/testing.sh [RUNS]   (default 20 runs per case)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sdk=$(bash scripts/build-pkg.sh | tail -1)
emulator=($(bash scripts/build-emulator-npm.sh))
project=.work/bench/testing
rm -rf "$project" && mkdir -p "$project"
(cd "$project" && npm init -y >/dev/null &&
  npm install --offline --no-audit --no-fund --loglevel=error "$sdk" "${emulator[@]}")
cp bench/testing.mjs "$project/"
(cd "$project" && env -u DATAFAST_EMULATOR_BIN node testing.mjs "${1:-20}")
