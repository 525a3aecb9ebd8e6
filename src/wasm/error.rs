//! Turning a [`ClientError`] into the package's JS `DataFastError`.

use super::js::set;
use crate::core::ClientError;
use js_sys::{Array, Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The `DataFastError` class of the package's JS entry (a real `Error` subclass, so
    /// `instanceof` and stacks work). Registered once at start-up.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

#[wasm_bindgen(js_name = "__setErrorClass", skip_typescript)]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// Builds the JS error. `secret` is scrubbed from the message as a last line of defence: no
/// code path puts it there, but a runtime's own error text is quoted in network errors.
pub fn to_js(error: &ClientError, secret: Option<&str>) -> JsValue {
    let message = match secret.filter(|s| !s.is_empty()) {
        Some(s) => redact(&error.message, s),
        None => error.message.clone(),
    };
    let fields = Object::new();
    set(&fields, "message", &message.as_str().into());
    set(&fields, "status", &error.status.into());
    set(&fields, "code", &error.code.as_str().into());
    set(&fields, "endpoint", &error.endpoint.map_or(JsValue::NULL, JsValue::from_str));
    set(&fields, "retryable", &error.retryable.into());
    set(&fields, "field", &error.field.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    let rate_limit = match &error.rate_limit {
        Some(rl) => {
            let o = Object::new();
            let num = |n: Option<f64>| n.map_or(JsValue::NULL, JsValue::from_f64);
            set(&o, "limit", &num(rl.limit));
            set(&o, "remaining", &num(rl.remaining));
            set(&o, "reset", &num(rl.reset));
            o.into()
        }
        None => JsValue::NULL,
    };
    set(&fields, "rateLimit", &rate_limit);

    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        if let Ok(err) = Reflect::construct(&class, &Array::of1(&fields)) {
            return err;
        }
    }
    // Without the entry (wasm-bindgen tests load the module directly): a plain Error with
    // the same fields.
    let err = js_sys::Error::new(&message);
    err.set_name("DataFastError");
    Object::assign(err.unchecked_ref(), &fields).into()
}

/// `message` with every occurrence of `secret` (not empty) replaced by `[redacted]`. A byte
/// search rather than `str::replace`, whose substring searcher is about 1 KB of wasm.
fn redact(message: &str, secret: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.as_bytes().windows(secret.len()).position(|w| w == secret.as_bytes()) {
        // A match of a whole UTF-8 string starts and ends on character boundaries.
        let (Some(before), Some(after)) = (rest.get(..i), rest.get(i + secret.len()..)) else { break };
        out.push_str(before);
        out.push_str("[redacted]");
        rest = after;
    }
    out.push_str(rest);
    out
}
