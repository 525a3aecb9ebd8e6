//! The only part of the crate that touches JS: classes, fetch, timers, errors, conversions.
//!
//! The public surface is two classes with one generic `request(endpointId, args)` method each;
//! the package's JS entry attaches the namespaced methods (`client.analytics.overview(q)`)
//! from the registry list [`endpoint_list`], so all 65 routes share one code path.

mod catalog;
mod client;
pub use client::{AdminClient, WebsiteClient};
mod error;
mod js;
mod transport;
mod types;

use js_sys::Array;
use wasm_bindgen::prelude::*;

/// `[methodPath, endpointId, surface, paged]` for every registry entry, for the JS entry to
/// build the namespaces from (`paged`: the result is a page that can fetch the next one).
#[wasm_bindgen(js_name = "__endpoints", skip_typescript)]
pub fn endpoint_list() -> Array {
    datafast_contract::ENDPOINTS
        .iter()
        .map(|ep| {
            let surface = match ep.surface {
                datafast_contract::Surface::Website => "website",
                datafast_contract::Surface::Admin => "admin",
            };
            let paged = ep.shape == datafast_contract::ResultShape::Page;
            JsValue::from(Array::of4(&ep.method_path().into(), &ep.id.into(), &surface.into(), &paged.into()))
        })
        .collect()
}
