// How each entry brings the wasm instance into being, without top-level await: on the first
// client, synchronously, where the entry can get the module synchronously (Node reads the
// file, workerd imports a compiled module, the inline build decodes its copy); otherwise
// (browsers fetching the .wasm) through `await init()` before the first client.
import initAsync, { initSync } from './datafast_wasm.js';
import { finishInit, setInstantiate } from './client.js';

/**
 * Wires an entry up and returns its `init`. `runtime`: finishInit's options. `loadSync()`
 * returns the module or its bytes, or is null where only `init()` can load them.
 * `defaultSource()`: what `init()` fetches when given nothing (a URL), for entries without
 * `loadSync`.
 */
export function defineInit(runtime, { loadSync = null, defaultSource = null }) {
  let ready = false;
  let loading = null; // the pending `init()`, if any
  const finish = () => {
    finishInit(runtime);
    ready = true;
  };
  setInstantiate(() => {
    if (ready) return;
    if (loading !== null) {
      throw new Error('datafast-wasm: init() is still loading the WebAssembly module; await it before creating a client');
    }
    if (loadSync === null) {
      throw new Error(
        'datafast-wasm: the WebAssembly module is not loaded yet; `await init()` before creating a client ' +
          '(or import "datafast-wasm/inline", which needs no init)',
      );
    }
    initSync({ module: loadSync() });
    finish();
  });

  /** Loads the module: from `options.wasm` if given (URL, Response, bytes or a compiled module), else the entry's own copy. */
  return function init(options) {
    if (ready) return Promise.resolve();
    const source = options?.wasm;
    if (source == null && loadSync !== null) {
      try {
        initSync({ module: loadSync() });
        finish();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    loading ??= initAsync({ module_or_path: source ?? defaultSource() }).then(
      () => {
        loading = null;
        finish();
      },
      (e) => {
        loading = null; // a later init() may try again
        throw e;
      },
    );
    return loading;
  };
}

/** Bytes of a base64 string (the inline builds); `atob` exists in every supported runtime. */
export function bytesFromBase64(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Server runtimes send a User-Agent and read environment defaults; browsers do neither. */
export function isBrowser() {
  return /^Mozilla\//.test(globalThis.navigator?.userAgent ?? '');
}
