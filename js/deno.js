// Deno: a source-phase import yields the compiled WebAssembly.Module without --allow-read.
import source wasmModule from './datafast_wasm_bg.wasm';
import { initSync } from './datafast_wasm.js';
import { finishInit } from './client.js';

initSync({ module: wasmModule });
finishInit({ env: (name) => Deno.env.get(name), server: true });

export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
