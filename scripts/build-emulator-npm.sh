#!/usr/bin/env bash
# Builds the emulator's npm packages, the way esbuild ships native binaries: `datafast-emulator`
# (the `npx datafast-emulator` launcher and `binaryPath()`) and, as its optional dependency,
# `@datafast-emulator/linux-x64` carrying the release binary. Packs both into .work/ and
# prints their paths, launcher first. Other platforms: add a package under npm/ built on that
# platform and list it in npm/emulator/index.js PLATFORMS and the launcher's
# optionalDependencies.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version=$(cargo metadata --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.find(p=>p.name==="datafast-emulator").version))')
cargo build --release --quiet -p datafast-emulator --bin datafast-emulator
target_dir=${CARGO_TARGET_DIR:-target}

out=.work/emulator-npm
rm -rf "$out" && mkdir -p "$out"
cp -r npm/emulator "$out/launcher" && cp -r npm/emulator-linux-x64 "$out/linux-x64"
mkdir -p "$out/linux-x64/bin"
cp "$target_dir/release/datafast-emulator" "$out/linux-x64/bin/datafast-emulator"
strip "$out/linux-x64/bin/datafast-emulator"
for dir in "$out/launcher" "$out/linux-x64"; do
  node -e 'const fs = require("fs"); const [file, v] = process.argv.slice(1);
    const p = JSON.parse(fs.readFileSync(file, "utf8")); p.version = v;
    for (const dep of Object.keys(p.optionalDependencies ?? {})) p.optionalDependencies[dep] = v;
    fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");' "$dir/package.json" "$version"
done
(cd "$out/launcher" && npm pack --silent --pack-destination "$root/.work" >/dev/null)
(cd "$out/linux-x64" && npm pack --silent --pack-destination "$root/.work" >/dev/null)
echo "$root/.work/datafast-emulator-$version.tgz"
echo "$root/.work/datafast-emulator-linux-x64-$version.tgz"
