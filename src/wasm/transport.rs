//! One HTTP exchange through the runtime's `fetch`, with a timeout, and sleeping between tries.

use super::js::{self, get, set};
use crate::core::response::{snippet, BodyView, EnvelopeFacts};
use crate::core::{ClientError, ErrorCode, PlannedRequest, RateLimit};
use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What came back: status, rate-limit headers, the body's envelope facts and the parsed body.
pub struct Exchange {
    pub status: u16,
    pub rate_limit: RateLimit,
    pub body: BodyView,
    /// The runtime-parsed JSON body (`undefined` when it was empty or not JSON).
    pub parsed: JsValue,
}

/// Sends `request` with `fetch`, aborting after `timeout_ms` (covering the body read too).
pub async fn send(
    fetch: &Function,
    request: &PlannedRequest,
    token: &str,
    timeout_ms: u32,
) -> Result<Exchange, ClientError> {
    let headers = Object::new();
    set(&headers, "Authorization", &format!("Bearer {token}").into());
    set(&headers, "Accept", &"application/json".into());
    let init = Object::new();
    set(&init, "method", &request.method.as_str().into());
    if let Some(body) = &request.body {
        set(&headers, "Content-Type", &"application/json".into());
        set(&init, "body", &body.as_str().into());
    }
    set(&init, "headers", &headers);

    let controller = web_sys::AbortController::new().ok();
    let timer = controller.as_ref().and_then(|c| {
        set(&init, "signal", &c.signal());
        let abort: Function = get(c, "abort").dyn_into().ok()?;
        Some(js::set_timeout(&abort.bind0(c), f64::from(timeout_ms)))
    });
    let result = exchange(fetch, &request.url, &init).await;
    if let Some(t) = &timer {
        js::clear_timeout(t);
    }
    let timed_out = controller.as_ref().is_some_and(|c| c.signal().aborted());
    result.map_err(|cause| {
        if timed_out {
            ClientError::local(ErrorCode::Timeout, format!("no complete response within {timeout_ms} ms"))
        } else {
            ClientError::local(ErrorCode::NetworkError, format!("the request failed: {}", describe(&cause)))
        }
    })
}

async fn exchange(fetch: &Function, url: &str, init: &Object) -> Result<Exchange, JsValue> {
    let pending = fetch.call2(&js_sys::global(), &url.into(), init)?;
    let response = JsFuture::from(Promise::resolve(&pending)).await?;
    if !response.is_object() {
        return Err(JsValue::from_str("fetch did not resolve to a Response"));
    }
    // Duck-typed: a custom `fetch` may return any Response-like object.
    let response: web_sys::Response = response.unchecked_into();
    let status = response.status();
    let headers = response.headers();
    let header = |name: &str| headers.get(name).ok().flatten();
    let rate_limit = RateLimit::from_headers(
        header("x-ratelimit-limit").as_deref(),
        header("x-ratelimit-remaining").as_deref(),
        header("x-ratelimit-reset").as_deref(),
    );
    let text = JsFuture::from(response.text()?).await?;
    let (body, parsed) = read_body(&text);
    Ok(Exchange { status, rate_limit, body, parsed })
}

/// Parses the body text in JS and extracts the envelope facts.
fn read_body(text: &JsValue) -> (BodyView, JsValue) {
    let Some(length) = text.dyn_ref::<js_sys::JsString>().map(|s| s.length()) else {
        return (BodyView::Empty, JsValue::UNDEFINED);
    };
    if length == 0 {
        return (BodyView::Empty, JsValue::UNDEFINED);
    }
    match js::json_parse(text) {
        Ok(parsed) => (BodyView::Json(facts(&parsed)), parsed),
        Err(_) => {
            let head: String = text.unchecked_ref::<js_sys::JsString>().slice(0, 400).into();
            (BodyView::NotJson { snippet: snippet(&head) }, JsValue::UNDEFINED)
        }
    }
}

fn facts(body: &JsValue) -> EnvelopeFacts {
    let is_object = body.is_object() && !js_sys::Array::is_array(body);
    if !is_object {
        return EnvelopeFacts::default();
    }
    let string = |v: JsValue| v.as_string();
    let error = get(body, "error");
    let (error_code, error_message, error_text) = if error.is_object() {
        (get(&error, "code").as_f64(), string(get(&error, "message")), None)
    } else {
        (None, None, string(error))
    };
    EnvelopeFacts {
        is_object,
        status: string(get(body, "status")),
        has_data: !get(body, "data").is_undefined(),
        error_code,
        error_message,
        error_text,
        message: string(get(body, "message")),
        rate_limit: RateLimit {
            limit: get(body, "limit").as_f64(),
            remaining: get(body, "remaining").as_f64(),
            reset: get(body, "reset").as_f64(),
        },
    }
}

/// A JS exception as text: `name: message`, with the `cause` runtimes attach to fetch failures.
fn describe(cause: &JsValue) -> String {
    let message =
        get(cause, "message").as_string().or_else(|| cause.as_string()).unwrap_or_else(|| "unknown error".into());
    let inner = get(cause, "cause");
    let inner_message = get(&inner, "message").as_string().or_else(|| get(&inner, "code").as_string());
    match inner_message {
        Some(m) if !m.is_empty() => format!("{message} ({m})"),
        _ => message,
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        js::set_timeout(&resolve, f64::from(ms));
    });
    let _ = JsFuture::from(promise).await;
}
