// Deno: the inlined .wasm, so no --allow-read is needed and every Deno 2 release parses this
// file (a source-phase `import source` of the .wasm needs Deno 2.6).
import wasmBase64 from './datafast_wasm_base64.js';
import { bytesFromBase64, defineInit } from './instance.js';

export const init = defineInit(
  { env: (name) => Deno.env.get(name), server: true },
  { loadSync: () => bytesFromBase64(wasmBase64) },
);
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
