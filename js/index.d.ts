// Appended by scripts/build-pkg.sh to the classes and types wasm-bindgen declares, giving the
// package's index.d.ts (ES modules) and index.d.cts (CommonJS) the same content.

/** What `init({ wasm })` accepts: where the app serves the .wasm, or the module itself. */
export type WasmSource =
  | string
  | URL
  | Response
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module
  | PromiseLike<string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module>;

export interface InitOptions {
  /** The .wasm (`datafast-wasm/datafast_wasm_bg.wasm`) as the app serves or bundles it. */
  wasm?: WasmSource;
}

/**
 * Loads the WebAssembly module. Needed once before the first client in browsers (the default
 * entry fetches the .wasm beside the package's code, or `options.wasm`); elsewhere the first
 * client loads it synchronously and `init()` only lets an app load it ahead of time.
 */
export declare function init(options?: InitOptions): Promise<void>;

declare global {
  // `using client = new WebsiteClient(…)` in projects whose `lib` predates ESNext.Disposable
  // (declared the same way as in @types/node and the ES2025 lib, so they merge).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
