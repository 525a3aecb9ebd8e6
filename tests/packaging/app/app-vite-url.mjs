// Vite's `?url` import of the .wasm, which also works under `vite dev`.
import * as datafast from 'datafast-wasm';
import wasmUrl from 'datafast-wasm/datafast_wasm_bg.wasm?url';
import { report } from './report.mjs';

report(async () => {
  await datafast.init({ wasm: wasmUrl });
  return datafast;
});
