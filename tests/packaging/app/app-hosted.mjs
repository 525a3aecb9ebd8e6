// The app serves the .wasm itself: esbuild's `file` loader copies it and gives its URL.
import * as datafast from 'datafast-wasm';
import wasmUrl from 'datafast-wasm/datafast_wasm_bg.wasm';
import { report } from './report.mjs';

report(async () => {
  await datafast.init({ wasm: wasmUrl });
  return datafast;
});
