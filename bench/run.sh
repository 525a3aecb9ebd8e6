#!/usr/bin/env bash
# Measures the client's performance budgets and prints one table (see bench/README.md):
# builds the npm package and the release emulator, starts the emulator on loopback, runs
# bench/run.mjs against it. Needs `bash scripts/setup.sh` once. Not part of scripts/test.sh:
# timings depend on the machine and are never asserted in tests.
#
# Usage: bash bench/run.sh [--only size,node,workerd,overhead,memory]
#   BENCH_SKIP_BUILD=1       reuse pkg/ and the tarball in .work/ instead of rebuilding
#   BENCH_EMULATOR_DAYS=N    days of emulator traffic (default 1; see the README for why)
#   BENCH_SCALE, BENCH_COLD_SAMPLES, BENCH_WORKERD_SAMPLES: iteration counts (bench/run.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

[[ -x node_modules/.bin/workerd ]] || { echo "bench: node_modules is incomplete; run bash scripts/setup.sh" >&2; exit 2; }

if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
  tarball=$(ls .work/datafast-wasm-*.tgz 2>/dev/null | tail -1)
  [[ -n $tarball && -f pkg/datafast_wasm_bg.wasm ]] || { echo "bench: no package built yet; run without BENCH_SKIP_BUILD" >&2; exit 2; }
else
  echo "[bench] building the npm package (release, wasm-opt -Oz)" >&2
  tarball=$(bash scripts/build-pkg.sh | tail -1)
fi
echo "[bench] building the release emulator" >&2
cargo build --release --quiet -p datafast-emulator
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')

trap stop_emulator EXIT
EMULATOR_BIN="$target_dir/release/datafast-emulator" \
  start_emulator .work/bench/emulator --rate-limit off --days "${BENCH_EMULATOR_DAYS:-1}"
echo "[bench] emulator at $DATAFAST_API_BASE (pid $EMULATOR_PID)" >&2

node bench/run.mjs --tokens "$DATAFAST_TOKENS_FILE" --tarball "$tarball" --json .work/bench/results.json "$@"
