// The package's types: both classes with their generated namespaces, the error class and
// every parameter and result type (all declared in the wasm-bindgen output).
export { WebsiteClient, AdminClient, DataFastError, previewRequest } from './datafast_wasm.js';
export type * from './datafast_wasm.js';
