//! What the wasm-bindgen suites share: the emulator's address and demo credentials, which
//! `scripts/test.sh` puts into the environment at compile time, and small JS helpers.
#![allow(dead_code)] // each suite uses its own subset

use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn env(name: &str, value: Option<&'static str>) -> &'static str {
    value.unwrap_or_else(|| panic!("{name} must be set when building the wasm tests (scripts/test.sh sets it)"))
}
pub fn base_url() -> &'static str {
    env("DATAFAST_TEST_BASE_URL", option_env!("DATAFAST_TEST_BASE_URL"))
}
pub fn owner_token() -> &'static str {
    env("DATAFAST_TEST_OWNER_TOKEN", option_env!("DATAFAST_TEST_OWNER_TOKEN"))
}
pub fn site_key() -> &'static str {
    env("DATAFAST_TEST_SITE_KEY", option_env!("DATAFAST_TEST_SITE_KEY"))
}
pub fn site_id() -> &'static str {
    env("DATAFAST_TEST_SITE_ID", option_env!("DATAFAST_TEST_SITE_ID"))
}
pub fn visitor_id() -> &'static str {
    env("DATAFAST_TEST_VISITOR_ID", option_env!("DATAFAST_TEST_VISITOR_ID"))
}

/// `value[key]`, `undefined` when absent.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}
pub fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| panic!("bad JSON in the test: {text}"))
}
pub fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).map(String::from).unwrap_or_else(|_| format!("{value:?}"))
}
