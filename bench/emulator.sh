#!/usr/bin/env bash
# Measures the emulator and prints one table (see "Emulator" in bench/README.md): start-up
# time, requests/s and p50/p99 latency of analytics.overview and of a filtered breakdown,
# and memory, on the default data set and on 1M events (`--events 1000000`), then the latency
# of a write with `--state` after 100,000 goals were added through the API. Builds the release
# emulator and the load generator (crates/emulator/examples/load.rs) first; needs
# `bash scripts/setup.sh` once (Node). 2 to 6 minutes, with the machine's load. Not part of scripts/test.sh: timings
# are never asserted.
#
# Usage: bash bench/emulator.sh [--quick] [--keep-state]
#   --quick        short windows, fewer start-up samples, 20,000 added goals: rough figures
#   --keep-state   keep the state file (and journal) of the write run in .work/bench/emulator/
# Every sample is written to .work/bench/emulator-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "bench: node is missing; run bash scripts/setup.sh" >&2; exit 2; }
echo "[bench] building the release emulator and load generator" >&2
cargo build --release --quiet -p datafast-emulator --bin datafast-emulator --example load
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')

node bench/emulator.mjs --bin "$target_dir/release/datafast-emulator" --load "$target_dir/release/examples/load" \
  --work .work/bench/emulator --json .work/bench/emulator-results.json "$@"
