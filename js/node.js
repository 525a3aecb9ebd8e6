// Node (and Bun): reads the .wasm beside this file when the first client is created.
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { defineInit } from './instance.js';

function readWasm() {
  try {
    return readFileSync(new URL('./datafast_wasm_bg.wasm', import.meta.url));
  } catch (e) {
    // Typical after bundling: the .wasm is not beside the bundle, or `import.meta.url` is gone.
    throw new Error(
      `datafast-wasm: cannot read datafast_wasm_bg.wasm beside the package's code (${e?.message ?? e}). ` +
        'A bundle for Node must keep "datafast-wasm" external (esbuild: --packages=external) or import "datafast-wasm/inline".',
      { cause: e },
    );
  }
}

// Concurrent requests share one AbortSignal (js/driver.js): no listener-count warning for it.
const runtime = { env: (name) => process.env[name], server: true, onNewSignal: (signal) => setMaxListeners(0, signal) };
export const init = defineInit(runtime, { loadSync: readWasm });
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
