#!/usr/bin/env bash
# Builds the package and the emulator, starts the emulator, runs examples/node-demo.mjs
# against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/setup.sh
cargo build --quiet -p datafast-emulator
bash scripts/build-pkg.sh >/dev/null
(cd examples && npm install --no-audit --no-fund --loglevel=error >/dev/null)

trap stop_emulator EXIT
start_emulator .work/demo-emulator
echo "Emulator running at $DATAFAST_API_BASE (pid $EMULATOR_PID)"
echo
node examples/node-demo.mjs
