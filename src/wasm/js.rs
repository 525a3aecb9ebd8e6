//! Small JS bindings and the JS → [`Value`] conversion of call parameters.
//!
//! Everything here reads values the caller handed over. The JS half of a call
//! (`js/driver.js`) copies parameters into plain data first, so the reads below cannot run
//! a getter or a Proxy trap; constructor options are read with the throwing operations
//! caught, because a JS exception that unwinds through wasm would skip Rust's clean-up.

use crate::core::{ClientError, Value};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, with its exceptions (a Proxy's `ownKeys` trap) returned as `Err`.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(o: &JsValue) -> Result<Array, JsValue>;

    /// `globalThis`, which every supported runtime has (`js_sys::global` also probes `self`,
    /// `window` and `global`: four imports and their glue).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// Reads `obj[key]`; `undefined` when `obj` is not an object or the getter throws.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads `obj[key]` of a caller's object, refusing it by name when a getter throws.
pub fn read_option(obj: &JsValue, key: &str) -> Result<JsValue, ClientError> {
    Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| ClientError::invalid_option(key, "could not be read (its getter threw)"))
}

/// The own enumerable string keys of a caller's object.
pub fn keys_of(obj: &JsValue, field: &str) -> Result<Vec<String>, ClientError> {
    let keys = object_keys(obj).map_err(|_| ClientError::invalid_option(field, "could not be read (it threw)"))?;
    Ok(keys.iter().filter_map(|k| k.as_string()).collect())
}

pub fn set(obj: &Object, key: &str, value: &JsValue) {
    // Defining a property on a plain object we created cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Whether a global exists (`typeof globalThis[name] !== "undefined"`).
pub fn has_global(name: &str) -> bool {
    GLOBAL_THIS.with(|global| !get(global, name).is_undefined())
}

const MAX_DEPTH: usize = 16;

/// Converts call parameters, already copied into plain JSON-like data by the driver, into a
/// [`Value`]. Numbers keep the text the runtime prints them as.
pub fn to_value(v: &JsValue, field: &str) -> Result<Value, ClientError> {
    to_value_at(v, field, 0)
}

fn to_value_at(v: &JsValue, field: &str, depth: usize) -> Result<Value, ClientError> {
    if depth > MAX_DEPTH {
        return Err(ClientError::invalid_param(field, "is nested too deeply (or refers to itself)"));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        if !n.is_finite() {
            return Err(ClientError::invalid_param(field, "must be a finite number"));
        }
        let text = js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default();
        return Ok(Value::number_with_text(n, text));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if Array::is_array(v) {
        let items = Array::from(v);
        let mut out = Vec::with_capacity(items.length() as usize);
        for (i, item) in items.iter().enumerate() {
            out.push(to_value_at(&item, &format!("{field}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        let entries = Object::entries(v.unchecked_ref());
        let mut out = Vec::with_capacity(entries.length() as usize);
        for entry in entries.iter() {
            let pair = Array::from(&entry);
            let value = pair.get(1);
            if value.is_undefined() {
                continue;
            }
            let key = pair.get(0).as_string().unwrap_or_default();
            let path = if field.is_empty() { key.clone() } else { format!("{field}.{key}") };
            out.push((key, to_value_at(&value, &path, depth + 1)?));
        }
        return Ok(Value::Object(out));
    }
    Err(ClientError::invalid_param(
        if field.is_empty() { "params" } else { field },
        "must be JSON-like (no functions, symbols or bigints)",
    ))
}
