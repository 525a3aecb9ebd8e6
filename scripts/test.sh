#!/usr/bin/env bash
# Runs every test: native Rust tests, the wasm build in Node and headless Chromium against the
# emulator, and the packed npm tarball in Node, Deno, workerd and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/setup.sh

passed=0; failed=0; failures=()
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# run NAME CMD…: runs one suite, counting it, and keeps going so every failure is reported.
run() {
  local name=$1; shift
  step "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "-- $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "-- $name: FAILED ($((SECONDS - start)) s)"
  fi
}
trap stop_emulator EXIT

run "formatting (cargo fmt --check)" cargo fmt --all --check
# The client and the contract also for wasm32, where they ship (the contract's tests use
# proptest, which does not build there, so only its library).
clippy_wasm() {
  cargo clippy --quiet -p datafast-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings &&
    cargo clippy --quiet -p datafast-contract --target wasm32-unknown-unknown -- -D warnings
}
run "clippy, host (every crate and test)" cargo clippy --quiet --workspace --all-targets -- -D warnings
run "clippy, wasm32 (client and contract)" clippy_wasm
run "cargo test (contract, client core, emulator, CLI; short fuzz rounds)" cargo test --workspace --quiet

step "start the emulator"
cargo build --quiet -p datafast-emulator
# The suites share the demo tokens: a limit they never reach keeps the X-RateLimit-* headers
# without throttling (the emulator's own tests cover 429s).
emulator_args=(--rate-limit 100000/60)
start_emulator .work/test-emulator "${emulator_args[@]}"
echo "emulator at $DATAFAST_API_BASE (pid $EMULATOR_PID)"
# The wasm suites read these at compile time. The demo data moves with the clock (which visitor
# is the sample one depends on when the traffic ends), so they are exported again after every
# restart; cargo rebuilds the test crates when a value changed.
export_test_env() {
  export DATAFAST_TEST_BASE_URL=$DATAFAST_API_BASE DATAFAST_TEST_OWNER_TOKEN=$DATAFAST_TOKEN \
    DATAFAST_TEST_SITE_KEY=$DATAFAST_SITE_KEY DATAFAST_TEST_SITE_ID=$DATAFAST_WEBSITE_ID \
    DATAFAST_TEST_VISITOR_ID=$DATAFAST_VISITOR_ID
}
export_test_env

# Only the suites that need a server: the core's unit tests already ran natively above.
# Each suite changes the emulator's state (the endpoint scenario removes a team member,
# renames the account…), so each one starts from a freshly seeded emulator.
run "wasm-bindgen tests in Node" wasm-pack test --node --mode no-install -- --test emulator --test endpoints --test transport
restart_emulator .work/test-emulator "${emulator_args[@]}" && export_test_env
run "wasm-bindgen tests in headless Chromium" \
  env CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  wasm-pack test --headless --chrome --mode no-install -- --test emulator --test endpoints --test transport
restart_emulator .work/test-emulator "${emulator_args[@]}"

cargo build --quiet -p datafast-cli
run "datafast mcp over stdio, driven by the official MCP SDK client (tests/mcp)" node --test tests/mcp/stdio.test.mjs
restart_emulator .work/test-emulator "${emulator_args[@]}"

step "build and pack the npm package"
tarball=$(bash scripts/build-pkg.sh | tail -1)
echo "$tarball"
run "playground in Chromium (tests/playground)" bash tests/playground/run.sh
run "the package's JS edges in Node: hostile input, fetch failures, uncaught errors (node --test)" \
  node --test tests/node/
run "TypeScript matrix (node16, nodenext, bundler; DOM and @types/node; ESM and CJS): typed compiles, wrong fails where marked" \
  bash tests/types/run.sh "$tarball"
run "runtime tests from the tarball (Node, Deno, workerd, Chromium)" \
  bash tests/runtime/run.sh "$tarball" "$DATAFAST_TOKENS_FILE"
run "pacing against the emulator's rate limit (one client, two clients, Durable Object limiter in workerd)" \
  node bench/pacing.mjs --rate-limit 20/2 --goals 50 --pages 50
run "remote MCP server (examples/mcp-worker) in workerd from the tarball, official SDK client; deploy dry run" \
  env MCP_TARBALL="$tarball" node --test tests/mcp/remote.test.mjs
emulator_tarballs=($(bash scripts/build-emulator-npm.sh))
run "a user's tests against the emulator from the tarballs (datafast-wasm/testing, datafast-emulator: publint, node:test, Vitest, Jest)" \
  bash tests/testing/run.sh "$tarball" "${emulator_tarballs[@]}"
run "package lint from the tarball (publint --strict, @arethetypeswrong/cli)" \
  bash tests/packaging/lint.sh "$tarball"
run "toolchain matrix from the tarball (esbuild, Vite 8/6 build and dev, webpack, Rollup, Jest, Vitest, Deno 2.9/2.4, Bun)" \
  bash tests/packaging/run.sh "$tarball" "$DATAFAST_TOKENS_FILE"

stop_emulator
echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "suites: $passed passed, $failed failed"
(( failed == 0 ))
