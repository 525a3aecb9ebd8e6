//! The only part of the crate that touches JS: the client classes, option reading, errors
//! and the conversions a call's steps need.
//!
//! A call's I/O (fetch, timers, the caller's signal) is JS: `js/driver.js` drives the core's
//! state machine through each client's `Calls` object (`start`, `onResponse`, `onFailure`,
//! `onWaitOver`, …), one synchronous wasm call per step. The package's JS entry attaches the namespaced methods
//! (`client.analytics.overview(q)`) from the registry list [`endpoint_list`], so all 65
//! routes share one code path.

mod catalog;
mod client;
pub use client::{AdminClient, WebsiteClient};
mod error;
mod js;
mod types;

use crate::core::call::Arguments;
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// For every registry entry, in registry order (the index the driver passes to `__start`):
/// `[jsMethodPath, endpointId, surface, paged, paramsIndex, optionsIndex]`. `paged`: the
/// result is a page that can fetch the next one; `paramsIndex` is -1 when the method takes no
/// parameters object.
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
            let args = Arguments::of(ep);
            let params_index = if args.takes_params { args.ids as f64 } else { -1.0 };
            let row = Array::of4(&ep.js_method_path().into(), &ep.id.into(), &surface.into(), &paged.into());
            row.push(&params_index.into());
            row.push(&(args.options_index() as f64).into());
            JsValue::from(row)
        })
        .collect()
}

/// The package version, for the `User-Agent` server runtimes send.
#[wasm_bindgen(js_name = "__version", skip_typescript)]
pub fn version() -> JsValue {
    env!("CARGO_PKG_VERSION").into()
}
