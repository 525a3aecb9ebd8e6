// Node: read the .wasm from disk (Node 20's fetch cannot load file: URLs) and compile it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './datafast_wasm.js';
import { finishInit } from './client.js';

initSync({ module: readFileSync(new URL('./datafast_wasm_bg.wasm', import.meta.url)) });
finishInit({ env: (name) => process.env[name], server: true });

export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './client.js';
