//! TypeScript declarations that the wasm-bindgen output carries beside the classes.
//! The per-endpoint namespace interfaces are generated from the registry into
//! `namespaces.d.ts`, the result types from the declared responses into `results.d.ts`
//! (both by `src/typescript.rs`), and included here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_AND_ERRORS: &str = include_str!("types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const NAMESPACES: &str = include_str!("namespaces.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const RESULTS: &str = include_str!("results.d.ts");
