// Empties the function-table slots that only wasm-bindgen's build-time type descriptions used.
//
// js-sys exports a describe function for each of its ~1,600 imports. The wasm-bindgen CLI runs
// them and deletes them, but the functions they took the address of (a closure `invoke` shim per
// closure type and js-sys's JSPI waker) stay in the function table, and with them about 4.5 KB
// of code. The table is not exported and the package creates no JS closures and no JSPI tasks,
// so nothing can reach those slots: each one becomes a stub that traps, the table keeps its
// indices, and wasm-opt then drops the shims.
//
// Usage: node scripts/wasm-dead-slots.mjs in.wasm out.wasm   (the wasm-bindgen output, with names)
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

const DESCRIBE_ONLY = /^wasm_bindgen::convert::closures::.*::invoke::|^js_sys::futures::jspi::/;
const STUB = 'datafast_dead_table_slot';

const [input, output] = process.argv.slice(2);
const fail = (why) => {
  console.error(`wasm-dead-slots: ${why}`);
  process.exit(1);
};
// The features are those of the target_features section rustc writes.
const mod = binaryen.readBinary(readFileSync(input));

for (let i = 0; i < mod.getNumExports(); i++) {
  const e = binaryen.getExportInfo(mod.getExportByIndex(i));
  if (e.kind === binaryen.ExternalTable && binaryen.getTableInfo(mod.getTable(e.value)).type === binaryen.funcref) {
    fail(`the function table is exported as "${e.name}": JS may call any slot, none can be dropped`);
  }
}

let emptied = 0;
const segments = [];
for (let i = 0; i < mod.getNumElementSegments(); i++) {
  segments.push(binaryen.getElementSegmentInfo(mod.getElementSegmentByIndex(i)));
}
mod.addFunction(STUB, binaryen.none, binaryen.none, [], mod.unreachable());
for (const seg of segments) {
  const names = seg.data.map((name) => (DESCRIBE_ONLY.test(name) ? (emptied++, STUB) : name));
  if (names.every((n, i) => n === seg.data[i])) continue;
  if (!seg.table) fail(`segment ${seg.name} is passive; only active segments are rewritten`);
  const offset = binaryen.getExpressionInfo(seg.offset);
  if (offset.id !== binaryen.ConstId) fail(`segment ${seg.name} has a computed offset`);
  mod.removeElementSegment(seg.name);
  mod.addActiveElementSegment(seg.table, seg.name, names, mod.i32.const(offset.value));
}
if (!mod.validate()) fail('the rewritten module does not validate');
// Names kept, for twiggy; wasm-opt drops them from the shipped module.
binaryen.setDebugInfo(true);
writeFileSync(output, mod.emitBinary());
console.error(`wasm-dead-slots: ${emptied} table slots emptied`);
