// Any runtime, any bundler, no asset to serve: the .wasm travels inside this module as base64
// (about 18 KB gzip more than fetching the .wasm) and is instantiated synchronously when the
// first client is created.
import wasmBase64 from './datafast_wasm_base64.js';
import { bytesFromBase64, defineInit, isBrowser } from './instance.js';

const browser = isBrowser();
const node = browser ? undefined : globalThis.process;
// In Node: the environment defaults, and no listener-count warning for the AbortSignal
// concurrent requests share (js/driver.js), as in node.js.
const events = node?.getBuiltinModule?.('node:events');
const runtime = {
  env: node?.env ? (name) => node.env[name] : null,
  server: !browser,
  onNewSignal: events ? (signal) => events.setMaxListeners(0, signal) : undefined,
};
export const init = defineInit(runtime, { loadSync: () => bytesFromBase64(wasmBase64) });
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
