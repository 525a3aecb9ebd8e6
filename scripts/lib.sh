# Shared by demo.sh, test.sh and bench: start the emulator on a free port and stop it by PID.
# Source it; it defines start_emulator and stop_emulator and exports the DATAFAST_* variables.

EMULATOR_PID=""

# start_emulator DIR [extra emulator args…]: runs target/<profile>/datafast-emulator, waits for
# its tokens file (written once it listens) and exports what clients need.
start_emulator() {
  local dir=$1; shift
  local bin=${EMULATOR_BIN:-${CARGO_TARGET_DIR:-target}/debug/datafast-emulator}
  mkdir -p "$dir"
  rm -f "$dir/tokens.json"
  "$bin" --port "${EMULATOR_PORT:-0}" --tokens-file "$dir/tokens.json" "$@" >"$dir/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  local deadline=$((SECONDS + 30))
  until [[ -s "$dir/tokens.json" ]]; do
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      echo "the emulator exited during start-up:" >&2; cat "$dir/emulator.log" >&2; return 1
    fi
    if (( SECONDS > deadline )); then echo "the emulator did not start within 30 s" >&2; return 1; fi
    sleep 0.1
  done
  export DATAFAST_TOKENS_FILE="$dir/tokens.json"
  eval "$(node -e '
    const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const site = t.websites[0];
    const out = { DATAFAST_API_BASE: t.baseUrl, DATAFAST_TOKEN: t.ownerToken, DATAFAST_SITE_KEY: site.key,
                  DATAFAST_WEBSITE_ID: site.id, DATAFAST_VISITOR_ID: site.sampleVisitorId ?? "" };
    for (const [k, v] of Object.entries(out)) console.log(`export ${k}=${JSON.stringify(v)}`);
  ' "$dir/tokens.json")"
}

# restart_emulator DIR [extra args…]: a fresh emulator (seeded state again) on the same port,
# so URLs compiled into test builds stay valid.
restart_emulator() {
  local dir=$1; shift
  local port=${DATAFAST_API_BASE##*:}
  stop_emulator
  EMULATOR_PORT=$port start_emulator "$dir" "$@"
}

stop_emulator() {
  if [[ -n "$EMULATOR_PID" ]] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  EMULATOR_PID=""
}
