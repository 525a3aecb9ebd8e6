//! `WebsiteClient` and `AdminClient`: options, and the synchronous steps of a call that the
//! JS half (`js/driver.js`) drives.
//!
//! A call never awaits in Rust. `Calls::start` plans it and answers what to send; the driver does
//! the `fetch`, the timers and the signal, and reports each outcome with one synchronous
//! call, which answers the next step as one number (see [`step_code`]) so the hot path
//! crosses no objects. Calls in flight live in a small slab in the client, keyed by id.
//!
//! Strings cross the boundary as `JsValue` (read with `as_string`, made with `.into()`), with
//! the TypeScript type given where it is public: a `String` parameter or result costs a copy
//! routine in the glue and a decoder in the export each (0.4 KB gzip for these bindings).

use super::error;
use super::js::{self, get, has_global, keys_of, read_option, set};
use crate::core::call::{self, Arguments, Call, CallOptions, ClientConfig, Failure, ResponseHead, Step};
use crate::core::request::normalize_base_url;
use crate::core::response::{snippet, BodyView, EnvelopeFacts};
use crate::core::{ClientError, Credentials, ErrorCode, RateLimit};
use datafast_contract::{Endpoint, Surface, TokenKind, DEFAULT_BASE_URL, ENDPOINTS};
use js_sys::{Array, Object};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const OPTION_NAMES: &[&str] = &[
    "token",
    "websiteId",
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "onRequest",
    "onResponse",
    "dangerouslyAllowBrowser",
];

// Step codes (js/driver.js declares the same numbers; tests/driver_protocol.rs checks they agree).
/// `__onResponse` / `__onFailure`: a number ≥ 0 is a wait in ms before `__onWaitOver`.
/// `__onWaitOver`: a number ≥ 0 is the next attempt's timeout in ms.
/// Done: which part of the parsed body the caller gets.
const DONE_FIRST_OF_DATA: f64 = -1.0;
const DONE_DATA: f64 = -2.0;
const DONE_BODY_WITHOUT_STATUS: f64 = -3.0;
const DONE_BODY: f64 = -4.0;
const DONE_NOTHING: f64 = -5.0;
/// The call failed: `__error(id)` hands over the `DataFastError`.
const FAIL: f64 = -6.0;

/// The number `step` is reported as; a failure is parked in the slab for `__error`.
fn step_code(slot: &mut Slot, step: Step) -> f64 {
    use crate::core::response::Delivered::*;
    match step {
        Step::Send { timeout_ms } => f64::from(timeout_ms),
        Step::Wait { ms } => f64::from(ms),
        Step::Done(success) => {
            *slot = Slot::Free;
            match success.delivered {
                FirstOfData => DONE_FIRST_OF_DATA,
                Data => DONE_DATA,
                BodyWithoutStatus => DONE_BODY_WITHOUT_STATUS,
                Body => DONE_BODY,
                Nothing => DONE_NOTHING,
            }
        }
        Step::Fail(e) => {
            *slot = Slot::Failed(e);
            FAIL
        }
    }
}

enum Slot {
    Free,
    Running(Call),
    Failed(ClientError),
}

/// Everything a client holds. The token lives only here and in the driver's private header
/// object: no getter, `toString` or `toJSON` exposes it.
struct Inner {
    token: String,
    surface: Surface,
    config: ClientConfig,
    /// `[fetch | undefined, onRequest | undefined, onResponse | undefined]` for the driver.
    io: Array,
    calls: RefCell<Vec<Slot>>,
}

impl Inner {
    fn from_options(options: &JsValue, surface: Surface) -> Result<Inner, ClientError> {
        let invalid = |field: &str, rule: &str| ClientError::invalid_option(field, rule);
        if !options.is_object() || Array::is_array(options) {
            return Err(invalid("options", "must be an object such as { token: \"df_…\" }"));
        }
        for key in keys_of(options, "options")? {
            if !OPTION_NAMES.contains(&key.as_str()) {
                let hint = OPTION_NAMES.iter().find(|n| n.eq_ignore_ascii_case(&key));
                let rule = match hint {
                    Some(n) => format!("is not an option; did you mean `{n}`?"),
                    None => format!("is not an option; known options: {}", OPTION_NAMES.join(", ")),
                };
                return Err(invalid(&key, &rule));
            }
        }
        let option = |field: &str| -> Result<Option<JsValue>, ClientError> {
            let v = read_option(options, field)?;
            Ok(if v.is_undefined() || v.is_null() { None } else { Some(v) })
        };
        let string = |field: &str| -> Result<Option<String>, ClientError> {
            option(field)?.map(|v| v.as_string().ok_or_else(|| invalid(field, "must be a string"))).transpose()
        };
        let number = |field: &str, check: fn(&str, f64) -> Result<u32, ClientError>| {
            option(field)?
                .map(|v| v.as_f64().ok_or_else(|| invalid(field, "must be a number")).and_then(|n| check(field, n)))
                .transpose()
        };
        let function = |field: &str, what: &str| -> Result<JsValue, ClientError> {
            match option(field)? {
                None => Ok(JsValue::UNDEFINED),
                Some(v) if v.is_function() => Ok(v),
                Some(_) => Err(invalid(field, &format!("must be a function{what}"))),
            }
        };

        let allow_browser = option("dangerouslyAllowBrowser")?;
        if (has_global("document") || has_global("importScripts"))
            && allow_browser.as_ref().and_then(JsValue::as_bool) != Some(true)
        {
            return Err(ClientError::local(
                ErrorCode::BrowserNotAllowed,
                "refusing to run in a browser: the token would be visible to every visitor. Call the API from \
                 your server or Worker, or pass `dangerouslyAllowBrowser: true` (for local tools and the emulator)",
            ));
        }
        let token = string("token")?.ok_or_else(|| {
            ClientError::local(
                ErrorCode::InvalidToken,
                "`token` is required (a df_ website key or a dft_ account token; in Node and Deno \
                 DATAFAST_TOKEN or DATAFAST_SITE_KEY is read when it is missing)",
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
        let mut config = ClientConfig::new(credentials, base_url);
        if let Some(ms) = number("timeoutMs", call::timeout_option)? {
            config.timeout_ms = ms;
        }
        if let Some(n) = number("maxRetries", call::max_retries_option)? {
            config.max_retries = n;
        }
        let io = Array::of3(
            &function("fetch", " like globalThis.fetch")?,
            &function("onRequest", " receiving { endpoint, method, url, attempt }")?,
            &function("onResponse", " receiving { endpoint, method, url, attempt, status, durationMs }")?,
        );
        Ok(Inner { token, surface, config, io, calls: RefCell::new(Vec::new()) })
    }

    fn error(&self, e: &ClientError) -> JsValue {
        error::to_js(e, Some(&self.token))
    }

    /// A description without the secret, for `toString`.
    fn describe(&self, class: &str) -> String {
        let mut out = format!(
            "{class} {{ baseUrl: \"{}\", token: \"{}[redacted]\"",
            self.config.base_url,
            self.config.credentials.kind.prefix()
        );
        if let Some(id) = &self.config.credentials.website_id {
            out.push_str(&format!(", websiteId: \"{id}\""));
        }
        out + " }"
    }

    fn to_json(&self) -> JsValue {
        let o = Object::new();
        set(&o, "baseUrl", &self.config.base_url.as_str().into());
        set(&o, "token", &format!("{}[redacted]", self.config.credentials.kind.prefix()).into());
        let website = self.config.credentials.website_id.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        set(&o, "websiteId", &website);
        o.into()
    }

    /// The headers every request of this client sends; the driver keeps them privately.
    fn headers(&self, user_agent: Option<String>) -> JsValue {
        let o = request_headers(&self.token, false);
        if let Some(ua) = user_agent {
            set(&o, "User-Agent", &ua.into());
        }
        o.into()
    }

    /// Plans a call: `args` are the method's arguments as given (ids read from them), `params`
    /// and `options` the driver's plain copies of the parameters and per-call options.
    /// Answers `[callId, method, url, body | undefined, timeoutMs, headers | undefined]`.
    fn start(&self, index: u32, args: &Array, params: &JsValue, options: &JsValue, now: f64) -> Result<Array, JsValue> {
        let endpoint = ENDPOINTS
            .get(index as usize)
            .filter(|e| e.surface == self.surface)
            .ok_or_else(|| self.error(&ClientError::invalid_param("endpoint", "is not an endpoint of this client")))?;
        let planned = (|| {
            let (ids, params) = call_inputs(endpoint, args, params)?;
            Call::start(endpoint, &self.config, call_options(options)?, &ids, params, now)
        })();
        let (call, step) = planned.map_err(|e: ClientError| self.error(&e.at(endpoint.id)))?;
        let Step::Send { timeout_ms } = step else {
            return Err(
                self.error(&ClientError::local(ErrorCode::InvalidResponse, "internal: a call must start by sending"))
            );
        };
        let request = call.request();
        let out = Array::new();
        let extra = if call.extra_headers().is_empty() {
            JsValue::UNDEFINED
        } else {
            let o = Object::new();
            for (name, value) in call.extra_headers() {
                set(&o, name, &value.as_str().into());
            }
            o.into()
        };
        out.push(&JsValue::UNDEFINED); // the id, once the call is stored
        out.push(&request.method.as_str().into());
        out.push(&request.url.as_str().into());
        out.push(&request.body.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str));
        out.push(&f64::from(timeout_ms).into());
        out.push(&extra);
        out.set(0, self.store(call).into());
        Ok(out)
    }

    fn store(&self, call: Call) -> u32 {
        let mut calls = self.calls.borrow_mut();
        match calls.iter().position(|s| matches!(s, Slot::Free)) {
            Some(i) => {
                calls[i] = Slot::Running(call);
                i as u32
            }
            None => {
                calls.push(Slot::Running(call));
                (calls.len() - 1) as u32
            }
        }
    }

    /// Runs `f` on a running call and reports the step it answers. An id that is not running
    /// (a driver bug) fails instead of trapping.
    fn advance(&self, id: u32, f: impl FnOnce(&mut Call) -> Step) -> f64 {
        let mut calls = self.calls.borrow_mut();
        let Some(slot) = calls.get_mut(id as usize) else { return FAIL };
        let step = match slot {
            Slot::Running(call) => f(call),
            _ => Step::Fail(ClientError::local(ErrorCode::InvalidResponse, "internal: this call is not running")),
        };
        step_code(slot, step)
    }

    /// Takes the error of a failed (or aborted) call and frees its slot.
    fn take_error(&self, id: u32, aborted: bool) -> JsValue {
        let slot = self.calls.borrow_mut().get_mut(id as usize).map(|s| std::mem::replace(s, Slot::Free));
        let error = match slot {
            Some(Slot::Running(mut call)) if aborted => call.abort(),
            Some(Slot::Failed(e)) => e,
            _ => ClientError::local(ErrorCode::InvalidResponse, "internal: this call has no error"),
        };
        self.error(&error)
    }

    fn end(&self, id: u32) {
        if let Some(slot) = self.calls.borrow_mut().get_mut(id as usize) {
            *slot = Slot::Free;
        }
    }
}

/// A method's path ids, read from its arguments as given, and the driver's plain copy of its
/// parameters object as a [`Value`](crate::core::Value). Counts the arguments first.
pub(super) fn call_inputs(
    endpoint: &'static Endpoint,
    args: &Array,
    params: &JsValue,
) -> Result<(Vec<String>, Option<crate::core::Value>), ClientError> {
    let layout = Arguments::of(endpoint);
    layout.check_count(endpoint, args.length() as usize)?;
    let mut ids = Vec::with_capacity(layout.ids);
    for (i, name) in endpoint.path_params().enumerate() {
        let id = args.get(i as u32).as_string();
        ids.push(id.ok_or_else(|| ClientError::invalid_param(name, "must be given as a string id"))?);
    }
    let params = if params.is_undefined() || params.is_null() { None } else { Some(js::to_value(params, "")?) };
    Ok((ids, params))
}

/// The headers a request carries for `token` (`Authorization`, `Accept`, and `Content-Type`
/// with a JSON body): the client's, and the preview's with a masked token.
pub(super) fn request_headers(token: &str, json_body: bool) -> Object {
    let o = Object::new();
    set(&o, "Authorization", &format!("Bearer {token}").into());
    set(&o, "Accept", &"application/json".into());
    if json_body {
        set(&o, "Content-Type", &"application/json".into());
    }
    o
}

/// The driver's plain copy of `{ timeoutMs, maxRetries, headers }` (the signal stays in JS).
fn call_options(options: &JsValue) -> Result<CallOptions, ClientError> {
    let mut out = CallOptions::default();
    if options.is_undefined() {
        return Ok(out);
    }
    let number = |field: &str| get(options, field).as_f64();
    if let Some(ms) = number("timeoutMs") {
        out.timeout_ms = Some(call::timeout_option("timeoutMs", ms)?);
    }
    if let Some(n) = number("maxRetries") {
        out.max_retries = Some(call::max_retries_option("maxRetries", n)?);
    }
    let headers = get(options, "headers");
    if !headers.is_undefined() {
        for entry in Object::entries(headers.unchecked_ref()).iter() {
            let pair = Array::from(&entry);
            let (name, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1));
            let value = value
                .as_string()
                .ok_or_else(|| ClientError::invalid_option(format!("headers.{name}"), "must be a string"))?;
            out.push_header(&name, &value)?;
        }
    }
    Ok(out)
}

/// A number the driver read from a header or body: absent (`NaN`) unless finite and ≥ 0.
fn reported(n: f64) -> Option<f64> {
    (n.is_finite() && n >= 0.0).then_some(n)
}

/// The slots of `onResponse`'s `texts` array (js/driver.js fills it in this order).
#[derive(Clone, Copy)]
enum ResponseText {
    /// The `Retry-After` header.
    RetryAfter,
    /// The start of a body that is not JSON.
    BodyStart,
    /// The envelope's `status`.
    EnvelopeStatus,
    /// `error.message` when `error` is an object.
    ErrorMessage,
    /// `error` when it is a string.
    ErrorText,
    /// The body's `message`.
    Message,
}

/// The steps of one client's calls, for js/driver.js: one object per client (both classes
/// share it, so each step's JS binding exists once).
#[wasm_bindgen(skip_typescript)]
pub struct Calls {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl Calls {
    pub fn start(
        &self,
        index: u32,
        args: &Array,
        params: &JsValue,
        options: &JsValue,
        now: f64,
    ) -> Result<Array, JsValue> {
        self.inner.start(index, args, params, options, now)
    }

    /// What `fetch` answered. The body: `body_kind` 0 empty, 1 not JSON, 2 JSON but not an
    /// object, 3 a JSON object (the envelope facts follow), 4 too large to read (`bytes`).
    /// Numbers the driver could not read are `NaN`. `texts` holds the strings it read, each a
    /// string or `undefined` (see [`ResponseText`]): one array rather than six string
    /// arguments, whose conversions made this binding the largest of the package.
    #[wasm_bindgen(js_name = onResponse)]
    #[allow(clippy::too_many_arguments)]
    pub fn on_response(
        &self,
        id: u32,
        status: f64,
        limit: f64,
        remaining: f64,
        reset: f64,
        body_kind: u8,
        bytes: f64,
        has_data: bool,
        error_code: f64,
        body_limit: f64,
        body_remaining: f64,
        body_reset: f64,
        now: f64,
        random: f64,
        texts: &Array,
    ) -> f64 {
        let text = |t: ResponseText| texts.get(t as u32).as_string();
        let body = match body_kind {
            0 => BodyView::Empty,
            1 => BodyView::NotJson { snippet: snippet(text(ResponseText::BodyStart).as_deref().unwrap_or_default()) },
            2 => BodyView::Json(EnvelopeFacts::default()),
            // Rust never formats floats (that code is a fifth of the .wasm): bytes go as an integer.
            4 => BodyView::TooLarge { bytes: bytes as u64 },
            _ => BodyView::Json(EnvelopeFacts {
                is_object: true,
                status: text(ResponseText::EnvelopeStatus),
                has_data,
                error_code: error_code.is_finite().then_some(error_code),
                error_message: text(ResponseText::ErrorMessage),
                error_text: text(ResponseText::ErrorText),
                message: text(ResponseText::Message),
                rate_limit: RateLimit {
                    limit: reported(body_limit),
                    remaining: reported(body_remaining),
                    reset: reported(body_reset),
                },
            }),
        };
        let retry_after = text(ResponseText::RetryAfter);
        let head = ResponseHead {
            status,
            rate_limit: RateLimit { limit: reported(limit), remaining: reported(remaining), reset: reported(reset) },
            retry_after: retry_after.as_deref(),
        };
        self.inner.advance(id, |call| call.on_response(&head, &body, now, random))
    }

    /// `timeout`: the attempt's time ran out; otherwise the connection failed.
    #[wasm_bindgen(js_name = onFailure)]
    pub fn on_failure(&self, id: u32, timeout: bool, description: JsValue, now: f64, random: f64) -> f64 {
        let failure =
            if timeout { Failure::Timeout } else { Failure::Network(description.as_string().unwrap_or_default()) };
        self.inner.advance(id, |call| call.on_failure(failure, now, random))
    }

    #[wasm_bindgen(js_name = onWaitOver)]
    pub fn on_wait_over(&self, id: u32, now: f64) -> f64 {
        self.inner.advance(id, |call| call.on_wait_over(now))
    }

    /// The failed call's `DataFastError`; frees its slot.
    pub fn error(&self, id: u32) -> JsValue {
        self.inner.take_error(id, false)
    }

    /// Aborts the call (its signal fired) and answers its `DataFastError`.
    pub fn abort(&self, id: u32) -> JsValue {
        self.inner.take_error(id, true)
    }

    /// Frees the call's slot, whatever state it is in.
    pub fn end(&self, id: u32) {
        self.inner.end(id)
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
                Inner::from_options(&options, $surface).map(|inner| $class { inner: Rc::new(inner) }).map_err(|e| {
                    let token = js::get(&options, "token").as_string();
                    error::to_js(&e, token.as_deref())
                })
            }

            /// The API origin this client talks to.
            #[wasm_bindgen(getter, js_name = baseUrl, unchecked_return_type = "string")]
            pub fn base_url(&self) -> JsValue {
                self.inner.config.base_url.as_str().into()
            }

            /// The website `dft_` tokens act on, if set.
            #[wasm_bindgen(getter, js_name = websiteId, unchecked_return_type = "string | undefined")]
            pub fn website_id(&self) -> JsValue {
                self.inner.config.credentials.website_id.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str)
            }

            #[wasm_bindgen(js_name = toString, unchecked_return_type = "string")]
            pub fn to_string_js(&self) -> JsValue {
                self.inner.describe(stringify!($class)).into()
            }

            #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; token: string; websiteId: string | null }")]
            pub fn to_json(&self) -> JsValue {
                self.inner.to_json()
            }

            /// The driver's handle on this client's calls (js/driver.js; not public API).
            #[wasm_bindgen(js_name = "__io", skip_typescript)]
            pub fn io(&self, user_agent: JsValue) -> Array {
                let out = Array::from(&self.inner.io);
                out.push(&self.inner.headers(user_agent.as_string()));
                out.push(&Calls { inner: Rc::clone(&self.inner) }.into());
                out
            }
        }
    };
}

client_class!(WebsiteClient, Surface::Website, "WebsiteClientOptions");
client_class!(AdminClient, Surface::Admin, "AdminClientOptions");

/// Builds a `DataFastError` for a failure the driver detects before Rust sees the call
/// (parameters that cannot be read, a freed client): same class, same fields.
#[wasm_bindgen(js_name = "__localError", skip_typescript)]
pub fn local_error(code: JsValue, field: JsValue, message: JsValue, endpoint_index: Option<u32>) -> JsValue {
    let code = code.as_string();
    let code = ErrorCode::ALL
        .iter()
        .copied()
        .find(|c| Some(c.as_str()) == code.as_deref())
        .unwrap_or(ErrorCode::InvalidParams);
    let message = message.as_string().unwrap_or_default();
    let mut e = match field.as_string() {
        Some(f) => ClientError { code, ..ClientError::invalid_param(f, &message) },
        None => ClientError::local(code, message),
    };
    e.endpoint = endpoint_index.and_then(|i| ENDPOINTS.get(i as usize)).map(|ep| ep.id);
    error::to_js(&e, None)
}
