// Node: read the .wasm from disk (Node 20's fetch cannot load file: URLs) and compile it synchronously.
import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { initSync } from './datafast_wasm.js';
import { finishInit } from './client.js';

initSync({ module: readFileSync(new URL('./datafast_wasm_bg.wasm', import.meta.url)) });
// Concurrent requests share one AbortSignal (js/driver.js): no listener-count warning for it.
finishInit({ env: (name) => process.env[name], server: true, onNewSignal: (signal) => setMaxListeners(0, signal) });

export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
