// Control worker that makes workerd compile the package's .wasm (it compiles wasm modules when it
// loads a worker) without running the glue or instantiating it; serves like worker-bare.
import wasmModule from './node_modules/datafast-wasm/datafast_wasm_bg.wasm';
import { bareHandler } from './worker-bare.mjs';

export default {
  fetch() {
    if (!(wasmModule instanceof WebAssembly.Module)) throw new Error('the .wasm did not load as a module');
    return bareHandler();
  },
};
