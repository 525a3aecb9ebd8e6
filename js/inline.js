// Any runtime, any bundler, no asset to serve: the .wasm travels inside this module as base64
// (about 16 KB gzip more than fetching the .wasm) and is instantiated synchronously when the
// first client is created.
import wasmBase64 from './datafast_wasm_base64.js';
import { bytesFromBase64, defineInit, isBrowser } from './instance.js';

const browser = isBrowser();
const env = !browser && typeof process !== 'undefined' && process.env ? (name) => process.env[name] : null;
export const init = defineInit({ env, server: !browser }, { loadSync: () => bytesFromBase64(wasmBase64) });
export { WebsiteClient, AdminClient, DataFastError } from './client.js';
