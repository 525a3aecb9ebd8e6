//! Small JS bindings and the JS → [`Value`] conversion of call parameters.

use crate::core::{ClientError, Value};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: &JsValue);
}

/// Reads `obj[key]`; `undefined` when `obj` is not an object or the getter throws.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(obj: &Object, key: &str, value: &JsValue) {
    // Defining a property on a plain object we created cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Whether a global exists (`typeof globalThis[name] !== "undefined"`).
pub fn has_global(name: &str) -> bool {
    !get(&js_sys::global(), name).is_undefined()
}

const MAX_DEPTH: usize = 16;

/// Converts call parameters into a [`Value`]. `undefined` members are dropped (as
/// `JSON.stringify` does), `Date`s become ISO strings, functions and symbols are refused.
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
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        if date.get_time().is_nan() {
            return Err(ClientError::invalid_param(field, "is an invalid Date"));
        }
        return Ok(Value::String(date.to_iso_string().into()));
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
