// Browsers and bundlers: fetch the .wasm next to this file (bundlers rewrite the URL).
import init from './datafast_wasm.js';
import { finishInit } from './client.js';

await init({ module_or_path: new URL('./datafast_wasm_bg.wasm', import.meta.url) });
finishInit();

export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
