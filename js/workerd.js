// Cloudflare Workers: the bundler turns a .wasm import into a compiled WebAssembly.Module;
// it is instantiated when the first client is created (not at startup).
import wasmModule from './datafast_wasm_bg.wasm';
import { defineInit } from './instance.js';

export const init = defineInit({ server: true }, { loadSync: () => wasmModule });
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
