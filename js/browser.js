// Browsers and bundlers: `await init()` fetches the .wasm beside this file (bundlers that
// understand `new URL(…, import.meta.url)` emit it and rewrite the URL), or `init({ wasm })`
// loads one the app hosts itself.
import { defineInit } from './instance.js';

export const init = defineInit(
  { server: false },
  { defaultSource: () => new URL('./datafast_wasm_bg.wasm', import.meta.url) },
);
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
