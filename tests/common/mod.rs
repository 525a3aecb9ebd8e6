//! What the wasm-bindgen suites share: the emulator's address and demo credentials, which
//! `scripts/test.sh` puts into the environment at compile time, and small JS helpers.
#![allow(dead_code)] // each suite uses its own subset

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

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

/// A client as JS holds it, with calls driven by the package's own JS half (`js/driver.js`),
/// exactly as the package's namespaced methods drive them.
pub struct Client(pub JsValue);

#[wasm_bindgen(module = "/js/driver.js")]
extern "C" {
    #[wasm_bindgen(js_name = callEndpoint)]
    fn call_endpoint(client: &JsValue, index: u32, args: &js_sys::Array) -> js_sys::Promise;
    #[wasm_bindgen(js_name = configureDriver)]
    fn configure_driver(options: &JsValue);
}

impl Client {
    pub fn website(options: JsValue) -> Result<Client, JsValue> {
        datafast_wasm::wasm::WebsiteClient::new(options).map(|c| Client(c.into()))
    }
    pub fn admin(options: JsValue) -> Result<Client, JsValue> {
        datafast_wasm::wasm::AdminClient::new(options).map(|c| Client(c.into()))
    }

    /// Calls an endpoint by registry id with the method's arguments (ids, params, options).
    pub fn request(&self, id: &str, args: JsValue) -> js_sys::Promise {
        let config = js_sys::Object::new();
        Reflect::set(&config, &"endpoints".into(), &datafast_wasm::wasm::endpoint_list()).unwrap();
        configure_driver(&config);
        let index = datafast_contract::ENDPOINTS.iter().position(|e| e.id == id);
        let index = index.unwrap_or_else(|| panic!("{id} is not in the registry")) as u32;
        call_endpoint(&self.0, index, &js_sys::Array::from(&args))
    }

    /// Calls a method of the JS object (`toString`, `toJSON`, `free`).
    pub fn method(&self, name: &str) -> JsValue {
        let f: js_sys::Function = get(&self.0, name).into();
        f.call0(&self.0).unwrap()
    }
}
