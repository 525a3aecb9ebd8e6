//! One HTTP exchange through the runtime's `fetch`, with a timeout, and sleeping between tries.

use super::js::{self, get};
use crate::core::response::{snippet, BodyView, EnvelopeFacts};
use crate::core::{ClientError, ErrorCode, PlannedRequest, RateLimit};
use js_sys::{Array, Function, Promise};
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

// One HTTP exchange in JS: the request, the timeout, reading headers and body, `JSON.parse`
// and the envelope's few fields all happen on the JS side, and Rust gets one flat array back.
// Awaiting a single promise and reading array slots costs a fraction of crossing into JS for
// every step (each crossing with a string key decodes that key from wasm memory).
#[wasm_bindgen(inline_js = r#"
const text = (v) => (typeof v === "string" ? v : undefined);
const num = (v) => (typeof v === "number" ? v : undefined);
export function exchange(fetch, url, method, authorization, body, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers = { Authorization: authorization, Accept: "application/json" };
  const init = { method, headers, signal: controller.signal };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = body;
  }
  return (async () => {
    try {
      const res = await fetch.call(globalThis, url, init);
      if (res === null || typeof res !== "object") throw new TypeError("fetch did not resolve to a Response");
      const h = res.headers;
      const raw = await res.text();
      const out = [res.status, h.get("x-ratelimit-limit"), h.get("x-ratelimit-remaining"), h.get("x-ratelimit-reset"), raw];
      if (typeof raw !== "string" || raw.length === 0) return out;
      let b;
      try { b = JSON.parse(raw); } catch { return out; }
      out.push(b);
      if (b !== null && typeof b === "object" && !Array.isArray(b)) {
        const e = b.error;
        const nested = e !== null && typeof e === "object";
        out.push(text(b.status), b.data !== undefined, nested ? num(e.code) : undefined,
          nested ? text(e.message) : undefined, nested ? undefined : text(e), text(b.message),
          num(b.limit), num(b.remaining), num(b.reset));
      }
      return out;
    } catch (cause) {
      throw [controller.signal.aborted, cause];
    } finally {
      clearTimeout(timer);
    }
  })();
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = exchange)]
    fn js_exchange(
        fetch: &Function,
        url: &str,
        method: &str,
        authorization: &str,
        body: Option<String>,
        timeout_ms: u32,
    ) -> Promise;
}

// Slots of the array `exchange` resolves to.
const STATUS: u32 = 0;
const RATE_LIMIT: u32 = 1; // limit, remaining, reset
const TEXT: u32 = 4;
const PARSED: u32 = 5;
const FACTS: u32 = 6; // status, has data, error.code, error.message, error (text), message, limit, remaining, reset

/// Sends `request` with `fetch`, aborting after `timeout_ms` (covering the body read too).
pub async fn send(
    fetch: &Function,
    request: &PlannedRequest,
    token: &str,
    timeout_ms: u32,
) -> Result<Exchange, ClientError> {
    let authorization = format!("Bearer {token}");
    let pending =
        js_exchange(fetch, &request.url, request.method.as_str(), &authorization, request.body.clone(), timeout_ms);
    match JsFuture::from(pending).await {
        Ok(out) => Ok(read_exchange(&Array::from(&out))),
        Err(failure) => {
            let failure = Array::from(&failure);
            if failure.get(0).as_bool() == Some(true) {
                Err(ClientError::local(ErrorCode::Timeout, format!("no complete response within {timeout_ms} ms")))
            } else {
                Err(ClientError::local(
                    ErrorCode::NetworkError,
                    format!("the request failed: {}", describe(&failure.get(1))),
                ))
            }
        }
    }
}

fn read_exchange(out: &Array) -> Exchange {
    let string = |i: u32| out.get(i).as_string();
    let number = |i: u32| out.get(i).as_f64();
    let status = number(STATUS).unwrap_or(0.0) as u16;
    let rate_limit = RateLimit::from_headers(
        string(RATE_LIMIT).as_deref(),
        string(RATE_LIMIT + 1).as_deref(),
        string(RATE_LIMIT + 2).as_deref(),
    );
    let parsed = out.get(PARSED);
    let body = if out.length() <= PARSED {
        // No JSON: empty, or text we only quote the start of.
        match out.get(TEXT).dyn_ref::<js_sys::JsString>() {
            Some(t) if t.length() > 0 => BodyView::NotJson { snippet: snippet(&String::from(t.slice(0, 400))) },
            _ => BodyView::Empty,
        }
    } else if out.length() <= FACTS {
        BodyView::Json(EnvelopeFacts::default())
    } else {
        BodyView::Json(EnvelopeFacts {
            is_object: true,
            status: string(FACTS),
            has_data: out.get(FACTS + 1).as_bool() == Some(true),
            error_code: number(FACTS + 2),
            error_message: string(FACTS + 3),
            error_text: string(FACTS + 4),
            message: string(FACTS + 5),
            rate_limit: RateLimit { limit: number(FACTS + 6), remaining: number(FACTS + 7), reset: number(FACTS + 8) },
        })
    };
    Exchange { status, rate_limit, body, parsed: if out.length() > PARSED { parsed } else { JsValue::UNDEFINED } }
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
