#!/usr/bin/env bash
# Installs everything the build, demo and tests need, skipping what is already there.
# Safe to run on every invocation: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
WASM_PACK_VERSION=0.15.1

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Rust target for the client, and clippy for scripts/test.sh.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo clippy --version >/dev/null 2>&1; then
  log "adding rust component clippy"
  rustup component add clippy
fi

# wasm-bindgen CLI (also provides wasm-bindgen-test-runner) pinned to the library's version.
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # --locked first; the registry mirror may lack a crate version the CLI's own lockfile pins.
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" ||
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" ||
    cargo install wasm-pack --version "$WASM_PACK_VERSION"
fi

# The datafast CLI on the PATH (~/.cargo/bin), reinstalled when its sources are newer.
cli_bin="${CARGO_HOME:-$HOME/.cargo}/bin/datafast"
if [[ ! -x "$cli_bin" ]] || [[ -n "$(find crates/cli crates/contract src/core Cargo.lock -newer "$cli_bin" -type f -print -quit)" ]]; then
  log "installing the datafast CLI (a few minutes, once)"
  cargo install --path crates/cli --locked --quiet
fi

# Debian's Chromium + ChromeDriver for browser tests (never a downloaded browser build).
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm tooling from the committed lockfile: binaryen, esbuild, deno, wrangler, playwright-core,
# typescript; the playground's vite, uplot, axe-core; the packaging matrix's publint, attw,
# vite 6, webpack, rollup, jest, vitest, bun, deno 2.4 and @types/node; the MCP SDK and its
# conformance suite.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dev dependencies"
  # Not `npm ci`: the registry mirror lacks deno's and workerd's macOS/Windows builds, so the
  # lockfile cannot list them and `npm ci` refuses it. `npm install` installs the locked
  # versions and leaves the lockfile as it is.
  npm install --no-audit --no-fund --loglevel=error
fi
log "ready"
