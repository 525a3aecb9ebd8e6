// Renames the wasm-bindgen glue's imports and exports to match a .wasm whose names wasm-opt
// shortened (`--minify-imports-and-exports-and-modules`, which prints the mapping as JSON).
//
// wasm-bindgen names each import after the JS it runs plus a 16-hex-digit hash
// (`__wbg_get_2080c49015e35254`); those names appear in the .wasm and again in the glue, and
// hashes do not compress. Short names save 1.4 KB gzip (bench/README.md).
//
// Usage: node scripts/wasm-names.mjs names.json module.wasm glue.js   (rewrites glue.js)
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

const [namesFile, wasmFile, glueFile] = process.argv.slice(2);
const fail = (why) => {
  console.error(`wasm-names: ${why}`);
  process.exit(1);
};
const names = JSON.parse(readFileSync(namesFile, 'utf8'));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let glue = readFileSync(glueFile, 'utf8');

// The import module's new name, read back from the module: wasm-opt renames every module.
const mod = binaryen.readBinary(readFileSync(wasmFile));
const modules = new Set();
for (let i = 0; i < mod.getNumFunctions(); i++) {
  const f = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
  if (f.module) modules.add(f.module);
}
mod.dispose();
const oldModules = new Set(names.imports.map(([module]) => module));
if (modules.size !== 1 || oldModules.size !== 1) fail(`expected one import module, got ${[...oldModules]}`);
const [oldModule] = oldModules;
const [newModule] = modules;

// The import object: `"./x_bg.js": import0` and one `name: function(…)` per import.
const replaceOnce = (pattern, replacement, what) => {
  const matches = glue.match(new RegExp(pattern.source, 'gm'));
  if (matches?.length !== 1) fail(`${what}: expected once in the glue, found ${matches?.length ?? 0} times`);
  glue = glue.replace(pattern, replacement);
};
replaceOnce(new RegExp(`"${escape(oldModule)}": import0`, 'm'), `${JSON.stringify(newModule)}: import0`, 'the import module');
for (const [, base, short] of names.imports) {
  replaceOnce(new RegExp(`^(\\s+)${escape(base)}(: function\\()`, 'm'), `$1${short}$2`, `import ${base}`);
}

// Exports: the glue reaches them as `wasm.name`.
const exported = new Set();
for (const [name, short] of names.exports) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm.${short}`);
  exported.add(short);
}
const stale = [...glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]).filter((n) => !exported.has(n));
if (stale.length > 0) fail(`the glue uses exports the module no longer has: ${[...new Set(stale)].join(', ')}`);

writeFileSync(glueFile, glue);
console.error(`wasm-names: ${names.imports.length} imports and ${names.exports.length} exports renamed`);
