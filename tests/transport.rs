//! The fetch exchange and its failure paths, with scripted `fetch` functions instead of a
//! server: timeouts, network errors, retries, non-JSON and empty bodies, the 429 body.
//! Runs in Node and headless Chromium beside the emulator suites.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{get, json, stringify};
use datafast_wasm::wasm::WebsiteClient;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const KEY: &str = "df_transporttestkey0000000000000";

/// A client whose `fetch` is `script` (the body of `function (url, init)`, with `calls` — an
/// array recording every call — as `this`).
fn client(script: &str, extra: &[(&str, JsValue)]) -> (WebsiteClient, Array) {
    let calls = Array::new();
    let fetch = Function::new_with_args("url, init", &format!("this.push([url, init]); {script}")).bind0(&calls);
    let o = Object::new();
    for (k, v) in [
        ("token", JsValue::from(KEY)),
        ("baseUrl", "http://127.0.0.1:9".into()),
        ("dangerouslyAllowBrowser", true.into()),
        ("fetch", fetch.into()),
    ]
    .iter()
    .chain(extra)
    {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    (WebsiteClient::new(o.into()).unwrap(), calls)
}

async fn outcome(c: &WebsiteClient, id: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(c.request(id.into(), Array::new().into())).await
}

fn code(e: &JsValue) -> String {
    get(e, "code").as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_success_sends_the_planned_request_and_unwraps_data() {
    let (c, calls) = client(
        r#"return new Response('{"status":"success","data":[{"visitors":3}]}',
             { status: 200, headers: { "X-RateLimit-Limit": "60" } });"#,
        &[],
    );
    let overview = outcome(&c, "analytics.overview").await.unwrap();
    assert_eq!(get(&overview, "visitors").as_f64(), Some(3.0));
    let call = Array::from(&calls.get(0));
    assert_eq!(call.get(0).as_string().as_deref(), Some("http://127.0.0.1:9/api/v1/analytics/overview"));
    let init = call.get(1);
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("GET"));
    let headers = get(&init, "headers");
    assert_eq!(get(&headers, "Authorization").as_string(), Some(format!("Bearer {KEY}")));
    assert!(get(&init, "body").is_undefined(), "a GET has no body");
    assert!(!get(&init, "signal").is_undefined(), "every request can be aborted");
}

#[wasm_bindgen_test]
async fn a_request_that_never_answers_times_out_and_is_aborted() {
    let (c, calls) = client(
        "return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));",
        &[("timeoutMs", 50.into()), ("maxRetries", 1.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "timeout", "{}", stringify(&e));
    assert_eq!(get(&e, "status").as_f64(), Some(0.0));
    assert_eq!(calls.length(), 2, "a timeout of an idempotent call is retried once");
}

#[wasm_bindgen_test]
async fn network_errors_are_retried_then_reported_without_the_token() {
    let (c, calls) = client(
        &format!("return Promise.reject(new TypeError('fetch failed', {{ cause: new Error('ECONNREFUSED {KEY}') }}));"),
        &[("maxRetries", 2.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "network_error", "{}", stringify(&e));
    assert_eq!(calls.length(), 3, "two retries");
    let message = get(&e, "message").as_string().unwrap();
    assert!(message.contains("ECONNREFUSED"), "{message}");
    assert!(!message.contains(KEY), "the token is scrubbed even from a runtime's own text");
}

#[wasm_bindgen_test]
async fn a_5xx_with_an_html_body_is_retried_and_recovers() {
    let (c, calls) = client(
        r#"return this.length < 2
             ? new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { "Content-Type": "text/html" } })
             : new Response('{"status":"success","data":[{"visitors":1}]}', { status: 200 });"#,
        &[("maxRetries", 2.into())],
    );
    let overview = outcome(&c, "analytics.overview").await.unwrap();
    assert_eq!(get(&overview, "visitors").as_f64(), Some(1.0));
    assert_eq!(calls.length(), 2);

    let (c, _) = client(
        r#"return new Response('<html><body>Bad gateway</body></html>', { status: 502 });"#,
        &[("maxRetries", 0.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(get(&e, "status").as_f64(), Some(502.0));
    assert_eq!(code(&e), "server_error");
    assert!(get(&e, "message").as_string().unwrap().contains("Bad gateway"), "{}", stringify(&e));
}

#[wasm_bindgen_test]
async fn posts_are_not_retried_on_5xx() {
    let (c, calls) = client(r#"return new Response('', { status: 503 });"#, &[("maxRetries", 3.into())]);
    let body = json(r#"{"datafast_visitor_id":"a3ab2331-989f-4cfa-91c6-2461c9e3c6bd","name":"signup"}"#);
    let e =
        JsFuture::from(c.request("goals.create".into(), [body].iter().collect::<Array>().into())).await.unwrap_err();
    assert_eq!(get(&e, "status").as_f64(), Some(503.0));
    assert_eq!(calls.length(), 1, "a POST may have been applied: not repeated");
    let init = Array::from(&calls.get(0)).get(1);
    assert_eq!(get(&get(&init, "headers"), "Content-Type").as_string().as_deref(), Some("application/json"));
    assert!(get(&init, "body").as_string().unwrap().contains(r#""name":"signup""#));
}

#[wasm_bindgen_test]
async fn the_flat_429_body_becomes_rate_limit_fields() {
    let (c, _) = client(
        r#"return new Response('{"error":"Too many requests","message":"Rate limit exceeded","limit":60,"remaining":0,"reset":1716249600}',
             { status: 429, headers: { "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1716249600" } });"#,
        &[("maxRetries", 0.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "rate_limited");
    assert_eq!(get(&e, "retryable").as_bool(), Some(true));
    let rl = get(&e, "rateLimit");
    assert_eq!(get(&rl, "limit").as_f64(), Some(60.0));
    assert_eq!(get(&rl, "remaining").as_f64(), Some(0.0));
    assert_eq!(get(&rl, "reset").as_f64(), Some(1716249600.0));
}

#[wasm_bindgen_test]
async fn an_error_envelope_and_a_bad_success_body_are_reported() {
    let (c, _) = client(
        r#"return new Response('{"status":"error","error":{"code":404,"message":"Website not found"}}', { status: 404 });"#,
        &[],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "not_found");
    assert_eq!(get(&e, "message").as_string().as_deref(), Some("Website not found"));

    let (c, _) = client(r#"return new Response('not json at all', { status: 200 });"#, &[]);
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "invalid_response", "{}", stringify(&e));

    let (c, _) = client(r#"return { status: 200 };"#, &[("maxRetries", 0.into())]);
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "network_error", "a fetch that resolves to no Response: {}", stringify(&e));
}
