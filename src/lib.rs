//! datafast-wasm: a DataFast API client compiled to WebAssembly.
//!
//! * [`core`]: sans-IO request planning, validation, response classification, retries.
//! * `wasm` (wasm32 only): the JS classes, the fetch transport, timers and JS errors.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(not(target_arch = "wasm32"))]
pub mod typescript;
