#!/usr/bin/env bash
# Builds the package, the playground and the emulator, starts the emulator (serving the
# playground), runs examples/node-demo.mjs against it, and stops it; in a terminal it keeps
# the emulator running for the playground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/setup.sh
cargo build --quiet -p datafast-emulator
bash scripts/build-pkg.sh >/dev/null
node_modules/.bin/vite build www --logLevel warn
(cd examples && npm install --no-audit --no-fund --loglevel=error >/dev/null)

trap stop_emulator EXIT
start_emulator .work/demo-emulator --www www/dist
echo "Emulator running at $DATAFAST_API_BASE (pid $EMULATOR_PID)"
echo "Playground: $DATAFAST_API_BASE/  (website key $DATAFAST_SITE_KEY, owner token $DATAFAST_TOKEN)"
echo
node examples/node-demo.mjs
echo
echo "The same data from the datafast CLI (installed on the PATH by scripts/setup.sh):"
echo "\$ datafast --website $DATAFAST_WEBSITE_ID analytics pages --period last7d --limit 5"
datafast --website "$DATAFAST_WEBSITE_ID" analytics pages --period last7d --limit 5
if [[ -t 0 && -t 1 ]]; then
  echo
  echo "Playground: $DATAFAST_API_BASE/ — the emulator keeps running; Ctrl-C stops it."
  wait "$EMULATOR_PID" || true
fi
