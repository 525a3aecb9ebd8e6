// Cloudflare Workers: the bundler turns a .wasm import into a compiled WebAssembly.Module.
import wasmModule from './datafast_wasm_bg.wasm';
import { initSync } from './datafast_wasm.js';
import { finishInit } from './client.js';

initSync({ module: wasmModule });
finishInit({ server: true });

export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
