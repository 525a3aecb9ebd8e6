//! `WebsiteClient` and `AdminClient`: options, the generic call path, retries.

use super::error;
use super::js::{self, get, has_global, set};
use super::transport;
use crate::core::request::{normalize_base_url, plan};
use crate::core::response::{classify, Delivered};
use crate::core::retry::{delay_before_retry, DEFAULT_MAX_RETRIES};
use crate::core::{ClientError, Credentials, ErrorCode, Value};
use datafast_contract::{registry, Endpoint, Surface, TokenKind, DEFAULT_BASE_URL};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

const DEFAULT_TIMEOUT_MS: u32 = 30_000;
const MAX_TIMEOUT_MS: u32 = 600_000;
const MAX_RETRIES_LIMIT: u32 = 10;
const OPTION_NAMES: &[&str] =
    &["token", "websiteId", "baseUrl", "timeoutMs", "maxRetries", "fetch", "dangerouslyAllowBrowser"];

/// Everything a client holds. The token lives only here: no getter, `toString` or `toJSON`
/// exposes it.
struct Inner {
    token: String,
    credentials: Credentials,
    base_url: String,
    timeout_ms: u32,
    max_retries: u32,
    fetch: Option<Function>,
}

impl Inner {
    fn from_options(options: &JsValue, surface: Surface) -> Result<Inner, ClientError> {
        let invalid = |field: &str, rule: &str| ClientError::invalid_param(field, rule).with_options_code();
        if !options.is_object() || Array::is_array(options) {
            return Err(invalid("options", "must be an object such as { token: \"df_…\" }"));
        }
        for key in Object::keys(options.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()) {
            if !OPTION_NAMES.contains(&key.as_str()) {
                let hint = OPTION_NAMES.iter().find(|n| n.eq_ignore_ascii_case(&key));
                let rule = match hint {
                    Some(n) => format!("is not an option; did you mean `{n}`?"),
                    None => format!("is not an option; known options: {}", OPTION_NAMES.join(", ")),
                };
                return Err(invalid(&key, &rule));
            }
        }
        let string = |field: &str| -> Result<Option<String>, ClientError> {
            let v = get(options, field);
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            v.as_string().map(Some).ok_or_else(|| invalid(field, "must be a string"))
        };
        let number = |field: &str, min: u32, max: u32| -> Result<Option<u32>, ClientError> {
            let v = get(options, field);
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            match v.as_f64() {
                Some(n) if n.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&n) => Ok(Some(n as u32)),
                _ => Err(invalid(field, &format!("must be a whole number from {min} to {max}"))),
            }
        };

        let allow_browser = get(options, "dangerouslyAllowBrowser");
        if (has_global("document") || has_global("importScripts")) && allow_browser.as_bool() != Some(true) {
            return Err(ClientError::local(
                ErrorCode::BrowserNotAllowed,
                "refusing to run in a browser: the token would be visible to every visitor. Call the API from \
                 your server or Worker, or pass `dangerouslyAllowBrowser: true` (for local tools and the emulator)",
            ));
        }
        let token = string("token")?.ok_or_else(|| {
            ClientError::local(
                ErrorCode::InvalidToken,
                "`token` is required (a df_ website key or a dft_ account token)",
            )
        })?;
        let credentials = Credentials::new(&token, string("websiteId")?)?;
        if surface == Surface::Website
            && credentials.kind == TokenKind::AccountToken
            && credentials.website_id.is_none()
        {
            return Err(ClientError::local(
                ErrorCode::MissingWebsiteId,
                "`websiteId` is required when a WebsiteClient uses an account token (dft_)",
            ));
        }
        let base_url = normalize_base_url(&string("baseUrl")?.unwrap_or_else(|| DEFAULT_BASE_URL.into()))?;
        let fetch = match get(options, "fetch") {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(
                v.dyn_into::<Function>().map_err(|_| invalid("fetch", "must be a function like globalThis.fetch"))?,
            ),
        };
        Ok(Inner {
            token,
            credentials,
            base_url,
            timeout_ms: number("timeoutMs", 1, MAX_TIMEOUT_MS)?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: number("maxRetries", 0, MAX_RETRIES_LIMIT)?.unwrap_or(DEFAULT_MAX_RETRIES),
            fetch,
        })
    }

    /// A description without the secret, for `toString`.
    fn describe(&self, class: &str) -> String {
        let mut out = format!(
            "{class} {{ baseUrl: \"{}\", token: \"{}[redacted]\"",
            self.base_url,
            self.credentials.kind.prefix()
        );
        if let Some(id) = &self.credentials.website_id {
            out.push_str(&format!(", websiteId: \"{id}\""));
        }
        out + " }"
    }

    fn to_json(&self) -> JsValue {
        let o = Object::new();
        set(&o, "baseUrl", &self.base_url.as_str().into());
        set(&o, "token", &format!("{}[redacted]", self.credentials.kind.prefix()).into());
        set(&o, "websiteId", &self.credentials.website_id.as_deref().map_or(JsValue::NULL, JsValue::from_str));
        o.into()
    }
}

impl ClientError {
    fn with_options_code(mut self) -> Self {
        self.code = ErrorCode::InvalidOptions;
        self
    }
}

/// Calls one registry endpoint: checks, plans, sends (retrying transient failures) and
/// shapes the result.
async fn call(inner: Rc<Inner>, surface: Surface, endpoint_id: String, args: JsValue) -> Result<JsValue, JsValue> {
    run(&inner, surface, &endpoint_id, &args).await.map_err(|e| error::to_js(&e, Some(&inner.token)))
}

async fn run(inner: &Inner, surface: Surface, endpoint_id: &str, args: &JsValue) -> Result<JsValue, ClientError> {
    let endpoint = registry::find(endpoint_id).filter(|e| e.surface == surface).ok_or_else(|| {
        ClientError::invalid_param("endpoint", format!("`{endpoint_id}` is not an endpoint of this client"))
    })?;
    let (path_args, params) = split_args(endpoint, args)?;
    let request = plan(endpoint, &inner.credentials, &inner.base_url, &path_args, params)?;

    let fetch = match &inner.fetch {
        Some(f) => f.clone(),
        None => get(&js_sys::global(), "fetch").dyn_into::<Function>().map_err(|_| {
            ClientError::local(
                ErrorCode::InvalidOptions,
                "this runtime has no global fetch; pass `fetch` in the options",
            )
            .at(endpoint.id)
        })?,
    };
    let mut retries_done = 0;
    loop {
        let outcome = match transport::send(&fetch, &request, &inner.token, inner.timeout_ms).await {
            Ok(ex) => classify(ex.status, ex.rate_limit, &ex.body, endpoint.shape).map(|d| deliver(d, &ex.parsed)),
            Err(e) => Err(e),
        };
        let error = match outcome {
            Ok(value) => return Ok(value),
            Err(e) => e.at(endpoint.id),
        };
        let now = js_sys::Date::now();
        match delay_before_retry(inner.max_retries, retries_done, endpoint.method, &error, now, js_sys::Math::random())
        {
            Some(ms) => {
                transport::sleep(ms).await;
                retries_done += 1;
            }
            None => return Err(error),
        }
    }
}

/// A call's arguments: the path ids (in path order), then one optional parameters object.
pub(super) fn split_args(endpoint: &Endpoint, args: &JsValue) -> Result<(Vec<String>, Option<Value>), ClientError> {
    let args = if Array::is_array(args) { Array::from(args) } else { Array::new() };
    let id_count = endpoint.path_params().count();
    let mut path_args = Vec::with_capacity(id_count);
    for (i, name) in endpoint.path_params().enumerate() {
        let arg = args.get(i as u32);
        let id = arg
            .as_string()
            .ok_or_else(|| ClientError::invalid_param(name, "must be given as a string id").at(endpoint.id))?;
        path_args.push(id);
    }
    if args.length() as usize > id_count + 1 {
        return Err(ClientError::invalid_param(
            "arguments",
            format!("expected {id_count} id(s) and one parameters object"),
        )
        .at(endpoint.id));
    }
    let params = match args.get(id_count as u32) {
        v if v.is_undefined() || v.is_null() => None,
        v => Some(js::to_value(&v, "").map_err(|e| e.at(endpoint.id))?),
    };
    Ok((path_args, params))
}

/// Picks what the caller receives from a classified success body.
fn deliver(what: Delivered, body: &JsValue) -> JsValue {
    match what {
        Delivered::FirstOfData => {
            let data = get(body, "data");
            if Array::is_array(&data) {
                let first = Array::from(&data).get(0);
                if first.is_undefined() {
                    JsValue::NULL
                } else {
                    first
                }
            } else {
                data
            }
        }
        Delivered::Data => get(body, "data"),
        Delivered::BodyWithoutStatus => {
            let _ = Reflect::delete_property(body.unchecked_ref::<Object>(), &"status".into());
            body.clone()
        }
        Delivered::Body => body.clone(),
        Delivered::Nothing => JsValue::UNDEFINED,
    }
}

/// Declares one client class for a surface; both classes are the same machinery.
macro_rules! client_class {
    ($class:ident, $surface:expr, $options_ts:literal) => {
        #[wasm_bindgen]
        pub struct $class {
            inner: Rc<Inner>,
        }

        #[wasm_bindgen]
        impl $class {
            #[wasm_bindgen(constructor)]
            pub fn new(#[wasm_bindgen(unchecked_param_type = $options_ts)] options: JsValue) -> Result<$class, JsValue> {
                Inner::from_options(&options, $surface)
                    .map(|inner| $class { inner: Rc::new(inner) })
                    .map_err(|e| error::to_js(&e, get(&options, "token").as_string().as_deref()))
            }

            /// Calls an endpoint by its registry id: path ids first, then one parameters
            /// object. The namespaced methods (`client.analytics.overview(q)`) call this.
            #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
            pub fn request(&self, endpoint_id: String, #[wasm_bindgen(unchecked_param_type = "unknown[]")] args: JsValue) -> Promise {
                let inner = Rc::clone(&self.inner);
                future_to_promise(call(inner, $surface, endpoint_id, args))
            }

            /// The API origin this client talks to.
            #[wasm_bindgen(getter, js_name = baseUrl)]
            pub fn base_url(&self) -> String {
                self.inner.base_url.clone()
            }

            /// The website `dft_` tokens act on, if set.
            #[wasm_bindgen(getter, js_name = websiteId)]
            pub fn website_id(&self) -> Option<String> {
                self.inner.credentials.website_id.clone()
            }

            #[wasm_bindgen(js_name = toString)]
            pub fn to_string_js(&self) -> String {
                self.inner.describe(stringify!($class))
            }

            #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; token: string; websiteId: string | null }")]
            pub fn to_json(&self) -> JsValue {
                self.inner.to_json()
            }
        }
    };
}

client_class!(WebsiteClient, Surface::Website, "WebsiteClientOptions");
client_class!(AdminClient, Surface::Admin, "AdminClientOptions");
