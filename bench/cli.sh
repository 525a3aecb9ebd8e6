#!/usr/bin/env bash
# Measures the `datafast` CLI (see "CLI" in bench/README.md): start-up to first output
# (`datafast --version`, and a whole `datafast api analytics.overview` against a local
# release emulator) as the median of repeated runs beside a `/bin/true` baseline measured in
# the same run, `datafast mcp` from spawn to its initialize response and the size of its
# `tools/list`, and the release binary's size. Builds the release CLI and emulator first;
# needs Node (bash scripts/setup.sh). About a minute. Timings are never asserted in tests.
#
# Usage: bash bench/cli.sh [RUNS]   (default 200 runs per command)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v node >/dev/null || { echo "bench: node is missing; run bash scripts/setup.sh" >&2; exit 2; }
echo "[bench] building the release CLI and emulator" >&2
cargo build --release --quiet -p datafast-cli -p datafast-emulator
target_dir=${CARGO_TARGET_DIR:-target}
bin="$target_dir/release/datafast"

EMULATOR_BIN="$target_dir/release/datafast-emulator" start_emulator .work/bench/cli --rate-limit off
trap stop_emulator EXIT

node bench/cli.mjs --bin "$bin" --runs "${1:-200}"
