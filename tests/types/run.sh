#!/usr/bin/env bash
# Type-checks tests/types/*.ts against the packed package, as users' projects would, under
# --strict in every supported setup: `module` node16, nodenext and bundler, each with the DOM
# lib and with @types/node (no DOM); for node16 and nodenext also as CommonJS (.cts, which
# resolves the package's `require` types). In each, typed.ts must compile and wrong.ts must
# fail on exactly its `// error:` lines.
#
# Usage: tests/types/run.sh TARBALL
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarball="$(realpath -e "$1")"
tsc="$root/node_modules/.bin/tsc"
[[ -x $tsc ]] || { echo "typescript is not installed (run scripts/setup.sh)" >&2; exit 2; }
[[ -d $root/node_modules/@types/node ]] || { echo "@types/node is not installed (run scripts/setup.sh)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/datafast-types.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '{ "name": "types-check", "private": true, "type": "module" }\n' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
cp "$here"/typed.ts "$here"/wrong.ts .
# The same sources as CommonJS modules.
cp typed.ts typed.cts && cp wrong.ts wrong.cts

declare -A module_flags=(
  [node16]="--module Node16 --moduleResolution Node16"
  [nodenext]="--module NodeNext --moduleResolution NodeNext"
  [bundler]="--module ESNext --moduleResolution Bundler"
)
declare -A env_flags=(
  [dom]="--lib ES2022,DOM --types ''"
  [node]="--lib ES2022 --types node --typeRoots $root/node_modules/@types"
)
expected=$(grep -n '// error:' wrong.ts | cut -d: -f1 | sort -n | tr '\n' ' ')

failed=0
# check NAME TYPED WRONG FLAGS…
check() {
  local name=$1 typed=$2 wrong=$3; shift 3
  local out actual
  if ! out=$("$tsc" --strict --noEmit --target ES2022 "$@" "$typed" 2>&1); then
    echo "FAIL $name: $typed does not compile"; echo "$out" | sed 's/^/    /'; failed=$((failed + 1)); return
  fi
  out=$("$tsc" --strict --noEmit --target ES2022 "$@" "$wrong" 2>&1 || true)
  actual=$(grep -o "^${wrong//./\\.}([0-9]*" <<<"$out" | cut -d'(' -f2 | sort -nu | tr '\n' ' ')
  if [[ "$actual" != "$expected" ]]; then
    echo "FAIL $name: $wrong errors on lines [${actual% }], expected [${expected% }]"; echo "$out" | sed 's/^/    /'
    failed=$((failed + 1)); return
  fi
  echo "ok $name"
}

echo "tsc $("$tsc" --version | awk '{print $2}'); wrong.ts must fail on lines [${expected% }]"
for module in node16 nodenext bundler; do
  for env in dom node; do
    eval "flags=(${module_flags[$module]} ${env_flags[$env]})"
    check "$module $env ESM" typed.ts wrong.ts "${flags[@]}"
    [[ $module == bundler ]] || check "$module $env CJS" typed.cts wrong.cts "${flags[@]}"
  done
done
(( failed == 0 )) && echo "types: ok" || { echo "types: $failed failed"; exit 1; }
