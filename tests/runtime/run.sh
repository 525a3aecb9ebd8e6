#!/usr/bin/env bash
# Cross-runtime test of the packed npm package: for each runtime, install the tarball into a
# fresh temp project (exactly as a user would) and run check.mjs there against the emulator.
#
# Usage: tests/runtime/run.sh TARBALL TOKENS_FILE [node|deno|workerd|chromium ...]
#   TARBALL      e.g. .work/datafast-wasm-0.1.0.tgz (from scripts/build-pkg.sh)
#   TOKENS_FILE  the file the running emulator wrote (--tokens-file)
# stdout: `ok <runtime> (<ms> ms)` or `FAIL <runtime>: <reason>` per runtime, then
# `runtime: N passed, M failed`. Details (summaries, failure logs) go to stderr.
# Needs no network; uses the tools in the repo's node_modules.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
TIMEOUT_S=60
ALL_RUNTIMES=(node deno workerd chromium)

die() { echo "run.sh: $*" >&2; exit 2; }
[[ $# -ge 2 ]] || die "usage: $0 TARBALL TOKENS_FILE [${ALL_RUNTIMES[*]}]"
tarball="$(realpath -e "$1" 2>/dev/null)" || die "no such tarball: $1"
tokens="$(realpath -e "$2" 2>/dev/null)" || die "no such tokens file: $2"
shift 2
runtimes=("$@")
[[ ${#runtimes[@]} -gt 0 ]] || runtimes=("${ALL_RUNTIMES[@]}")
for rt in "${runtimes[@]}"; do
  [[ " ${ALL_RUNTIMES[*]} " == *" $rt "* ]] || die "unknown runtime '$rt' (choose from: ${ALL_RUNTIMES[*]})"
done
[[ -d "$root/node_modules/.bin" ]] || die "$root/node_modules is missing (run scripts/setup.sh)"
node -e 'try { const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(t.baseUrl && t.ownerToken && t.websites?.length ? 0 : 1) } catch { process.exit(1) }' "$tokens" ||
  die "tokens file $tokens is not the emulator's JSON (baseUrl, ownerToken, websites)"

work="$(mktemp -d "${TMPDIR:-/tmp}/datafast-runtime.XXXXXX")"
# Drivers append the process groups they start here, so none outlives this script.
export RUNTIME_PGIDS_FILE="$work/pgids"
: >"$RUNTIME_PGIDS_FILE"
current="" # process group of the running driver (timeout makes itself the group leader)

kill_recorded_groups() {
  local g
  while read -r g; do [[ -n $g ]] && kill -KILL -- "-$g" 2>/dev/null; done <"$RUNTIME_PGIDS_FILE"
  : >"$RUNTIME_PGIDS_FILE"
}
cleanup() {
  if [[ -n $current ]]; then
    # TERM first: drivers close Chromium / stop wrangler on it; KILL whatever remains.
    kill -TERM -- "-$current" 2>/dev/null
    for _ in {1..30}; do kill -0 -- "-$current" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$current" 2>/dev/null
  fi
  kill_recorded_groups
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A fresh project with the tarball installed, plus the check, the entry files and env.mjs.
make_project() {
  local dir="$1"
  mkdir -p "$dir" && cd "$dir" || return 1
  npm init -y >/dev/null || return 1
  # --offline: the package has no dependencies, so nothing may come from a registry.
  timeout "$TIMEOUT_S" npm install --offline --no-audit --no-fund --loglevel=error "$tarball" || return 1
  cp "$here/check.mjs" "$here"/entries/* "$dir/" || return 1
  # The tokens file is JSON, hence a valid JS expression: every runtime imports it the same way.
  printf 'export default %s;\n' "$(cat "$tokens")" >"$dir/env.mjs"
}

passed=0 failed=0
for rt in "${runtimes[@]}"; do
  proj="$work/$rt" log="$work/$rt.log"
  t0="$(now_ms)"
  if ! (make_project "$proj") >"$log" 2>&1; then
    echo "FAIL $rt: cannot install $tarball into a fresh project: $(grep -v '^\s*$' "$log" | tail -1)"
    sed 's/^/    /' "$log" >&2
    failed=$((failed + 1))
    continue
  fi
  t1="$(now_ms)"
  timeout -k 5 "$TIMEOUT_S" node "$here/drivers/$rt.mjs" "$proj" >>"$log" 2>&1 &
  current=$!
  wait "$current"
  rc=$?
  kill -KILL -- "-$current" 2>/dev/null # stragglers, e.g. if timeout itself was killed
  current=""
  kill_recorded_groups
  ms=$(($(now_ms) - t1))
  if [[ $rc -eq 0 ]]; then
    echo "ok $rt ($ms ms)"
    echo "    $rt: install $((t1 - t0)) ms; $(grep '^summary ' "$log" | tail -1)" >&2
    passed=$((passed + 1))
  else
    if [[ $rc -eq 124 ]] || [[ $rc -eq 137 && $ms -ge $((TIMEOUT_S * 1000)) ]]; then
      reason="timed out after ${TIMEOUT_S} s"
    elif [[ $rc -gt 128 ]]; then
      reason="driver killed by signal $((rc - 128))"
    else
      reason="$(grep '^reason: ' "$log" | tail -1 | cut -c9-)"
      [[ -n $reason ]] || reason="driver exited $rc: $(grep -v '^\s*$' "$log" | tail -1)"
    fi
    echo "FAIL $rt: $reason"
    sed 's/^/    /' "$log" >&2
    failed=$((failed + 1))
  fi
done

echo "runtime: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
