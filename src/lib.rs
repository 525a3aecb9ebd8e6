//! datafast-wasm: a DataFast API client compiled to WebAssembly.
//!
//! * [`core`]: sans-IO request planning, validation, response classification, retries.
//! * `wasm` (wasm32 only): the JS classes, the fetch transport, timers and JS errors.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(not(target_arch = "wasm32"))]
pub mod typescript;

/// Talc instead of the default dlmalloc: the same job in fewer bytes of wasm. The client makes
/// small, short-lived allocations per call, which is what talc's wasm configuration is for.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
