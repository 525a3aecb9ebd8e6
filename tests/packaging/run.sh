#!/usr/bin/env bash
# The packed package through every supported toolchain (tests/packaging/matrix.mjs): esbuild
# (browser, Node ESM, Node CommonJS, inline), Vite (current and 6), webpack 5, Rollup, Jest 30,
# Vitest, Deno (current and 2.4), Bun; browser bundles run in Chromium. Every case runs the
# shared checks against the running emulator.
#
# Usage: tests/packaging/run.sh TARBALL TOKENS_FILE [case…]
# stdout: `ok <case> …` / `FAIL <case>: <reason>` lines, then `packaging: N passed, M failed`;
# failure details go to stderr. Needs no network: the tools are the repo's devDependencies.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

die() { echo "run.sh: $*" >&2; exit 2; }
[[ $# -ge 2 ]] || die "usage: $0 TARBALL TOKENS_FILE [case…]"
tarball="$(realpath -e "$1" 2>/dev/null)" || die "no such tarball: $1"
tokens="$(realpath -e "$2" 2>/dev/null)" || die "no such tokens file: $2"
shift 2
[[ -d "$root/node_modules/.bin" ]] || die "$root/node_modules is missing (run scripts/setup.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/datafast-packaging.XXXXXX")"
# Processes the matrix starts record their process groups here, so none outlives this script.
export RUNTIME_PGIDS_FILE="$work/pgids"
: >"$RUNTIME_PGIDS_FILE"
matrix_pid=""
cleanup() {
  [[ -n $matrix_pid ]] && kill -TERM "$matrix_pid" 2>/dev/null
  local g
  while read -r g; do [[ -n $g ]] && kill -KILL -- "-$g" 2>/dev/null; done <"$RUNTIME_PGIDS_FILE"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One consumer project: the tarball installed as a user installs it, the apps, the checks and
# the emulator's tokens (JSON is a JS expression) as ES and CommonJS modules.
project="$work/project"
mkdir -p "$project" && cd "$project" || exit 2
printf '{ "name": "packaging-check", "private": true, "type": "module" }\n' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null || die "cannot install $tarball"
cp "$here"/app/* "$root/tests/runtime/check.mjs" .
printf 'export default %s;\n' "$(cat "$tokens")" >env.mjs
printf 'module.exports = %s;\n' "$(cat "$tokens")" >env.cjs
"$root/node_modules/.bin/esbuild" check.mjs --format=cjs --log-level=warning --outfile=check.cjs || die "cannot build check.cjs"

start=$SECONDS
node "$here/matrix.mjs" "$project" "$@" &
matrix_pid=$!
wait "$matrix_pid"
rc=$?
matrix_pid=""
echo "packaging: $((SECONDS - start)) s"
exit "$rc"
