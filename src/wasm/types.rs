//! TypeScript declarations that the wasm-bindgen output carries beside the classes.
//! The per-endpoint namespace interfaces are generated from the registry into
//! `namespaces.d.ts` (see `tests/typescript_namespaces.rs`) and included here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_AND_ERRORS: &str = include_str!("types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const NAMESPACES: &str = include_str!("namespaces.d.ts");
