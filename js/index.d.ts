// Appended by scripts/build-pkg.sh to the classes and types wasm-bindgen declares, giving the
// package's index.d.ts (ES modules) and index.d.cts (CommonJS) the same content.

/** `WebAssembly.Module` where the project declares it (the DOM lib, newer @types/node). */
type CompiledModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;
type WasmValue = string | URL | Response | ArrayBuffer | ArrayBufferView | CompiledModule;
/** What `init({ wasm })` accepts: where the app serves the .wasm, or the module itself. */
export type WasmSource = WasmValue | PromiseLike<WasmValue>;

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
  // (declared as @types/node and the ESNext.Disposable lib declare them, so they merge).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}
