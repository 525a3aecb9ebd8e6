#!/usr/bin/env bash
# Type-checks tests/types/*.ts against the packed package, as a user's project would:
# typed.ts must compile under --strict, wrong.ts must fail on exactly its `// error:` lines.
#
# Usage: tests/types/run.sh TARBALL
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarball="$(realpath -e "$1")"
tsc="$root/node_modules/.bin/tsc"
[[ -x $tsc ]] || { echo "typescript is not installed (run scripts/setup.sh)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/datafast-types.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '{ "name": "types-check", "private": true, "type": "module" }\n' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
cp "$here"/typed.ts "$here"/wrong.ts .

echo "tsc $("$tsc" --version | awk '{print $2}'): typed.ts"
if ! "$tsc" --strict --noEmit --target ES2022 --lib ES2022,DOM --module NodeNext --moduleResolution NodeNext \
  --types '' typed.ts; then
  echo "FAIL: typed.ts does not compile" >&2; exit 1
fi

expected=$(grep -n '// error:' wrong.ts | cut -d: -f1 | sort -n | tr '\n' ' ')
out=$("$tsc" --strict --noEmit --target ES2022 --lib ES2022,DOM --module NodeNext --moduleResolution NodeNext \
  --types '' wrong.ts 2>&1 || true)
actual=$(grep -o '^wrong\.ts([0-9]*' <<<"$out" | cut -d'(' -f2 | sort -nu | tr '\n' ' ')
echo "wrong.ts: errors on lines [${actual% }], expected [${expected% }]"
if [[ "$actual" != "$expected" ]]; then
  echo "$out" >&2
  echo "FAIL: wrong.ts must fail on exactly its marked lines" >&2; exit 1
fi
echo "types: ok"
