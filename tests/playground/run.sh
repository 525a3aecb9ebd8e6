#!/usr/bin/env bash
# Browser tests of the playground: builds the page, serves it from the emulator (`--www`) and
# drives it in the system Chromium with playwright-core. Screenshots: .work/playground/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

[[ -f pkg/browser.js && -f pkg/catalog.js ]] || bash scripts/build-pkg.sh >/dev/null
node_modules/.bin/vite build www --logLevel warn
cargo build --quiet -p datafast-emulator

trap stop_emulator EXIT
start_emulator .work/playground-emulator --www www/dist
echo "playground at $DATAFAST_API_BASE/ (emulator pid $EMULATOR_PID)"
node --test --test-reporter=spec tests/playground/
