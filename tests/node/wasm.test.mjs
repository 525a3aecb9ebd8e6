// What the shipped .wasm must not contain. Rust's float printing (`format!("{}", some_f64)`)
// costs about 10 KB gzip, a sixth of the size budget, and slips in through any message that
// formats an f64: numbers reach messages as integers, and JS prints the floats it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('the .wasm has no float-printing code (its "NaN"/"inf" strings are the marker)', () => {
  const text = readFileSync(new URL('../../pkg/datafast_wasm_bg.wasm', import.meta.url)).toString('latin1');
  assert.ok(!text.includes('NaN'), 'core::fmt::float is linked: an f64 is formatted somewhere in the client');
});
