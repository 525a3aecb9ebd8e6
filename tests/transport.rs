//! The fetch exchange and its failure paths, with scripted `fetch` functions instead of a
//! server: timeouts, network errors, retries, non-JSON and empty bodies, the 429 body.
//! Runs in Node and headless Chromium beside the emulator suites.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{get, json, stringify, Client};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const KEY: &str = "df_transporttestkey0000000000000";

/// A client whose `fetch` is `script` (the body of `function (url, init)`, with `calls` — an
/// array recording every call — as `this`).
fn client(script: &str, extra: &[(&str, JsValue)]) -> (Client, Array) {
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
    (Client::website(o.into()).unwrap(), calls)
}

async fn outcome(c: &Client, id: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(c.request(id, Array::new().into())).await
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
async fn a_request_that_never_answers_ends_at_the_calls_budget_and_is_aborted() {
    let (c, calls) = client(
        "return new Promise((_, reject) => init.signal.addEventListener('abort', () => { this.aborted = true; reject(new Error('aborted')); }));",
        &[("timeoutMs", 50.into()), ("maxRetries", 1.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "timeout", "{}", stringify(&e));
    assert_eq!(get(&e, "status").as_f64(), Some(0.0));
    assert_eq!(get(&e, "retryable").as_bool(), Some(true), "a GET that timed out is what this client retries");
    assert_eq!(calls.length(), 1, "the budget is spent: no time is left for a retry");
    assert_eq!(get(&calls, "aborted").as_bool(), Some(true), "the hung request itself is aborted");
}

#[wasm_bindgen_test]
async fn a_fetch_that_ignores_its_signal_and_a_body_that_never_ends_still_settle_in_time() {
    let (c, _) = client("return new Promise(() => {});", &[("timeoutMs", 40.into())]);
    assert_eq!(code(&outcome(&c, "analytics.overview").await.unwrap_err()), "timeout");
    let (c, _) = client(
        "return { status: 200, headers: new Headers(), text: () => new Promise(() => {}) };",
        &[("timeoutMs", 40.into())],
    );
    assert_eq!(code(&outcome(&c, "analytics.overview").await.unwrap_err()), "timeout");
}

/// The method's arguments: `[params, options]`.
fn with_options(params: JsValue, options: &str) -> JsValue {
    Array::of2(&params, &json(options)).into()
}

#[wasm_bindgen_test]
async fn per_call_options_override_the_clients_and_merge_headers() {
    let (c, calls) = client(
        r#"return new Response('', { status: 503 });"#,
        &[("maxRetries", 0.into()), ("timeoutMs", 20_000.into())],
    );
    let args = with_options(JsValue::UNDEFINED, r#"{"maxRetries":1,"headers":{"X-Request-Id":"r-1"}}"#);
    let e = JsFuture::from(c.request("analytics.overview", args)).await.unwrap_err();
    assert_eq!(code(&e), "server_error");
    assert_eq!(calls.length(), 2, "the call's maxRetries wins");
    let headers = get(&Array::from(&calls.get(1)).get(1), "headers");
    assert_eq!(get(&headers, "X-Request-Id").as_string().as_deref(), Some("r-1"));
    assert!(get(&headers, "Authorization").as_string().unwrap().starts_with("Bearer df_"));

    let args = with_options(JsValue::UNDEFINED, r#"{"headers":{"authorization":"Bearer other"}}"#);
    let e = JsFuture::from(c.request("analytics.overview", args)).await.unwrap_err();
    assert_eq!(
        (code(&e), get(&e, "field").as_string()),
        ("invalid_options".into(), Some("headers.authorization".into()))
    );
    let args = with_options(JsValue::UNDEFINED, r#"{"timeoutMs":-5}"#);
    let e = JsFuture::from(c.request("analytics.overview", args)).await.unwrap_err();
    assert_eq!(get(&e, "field").as_string().as_deref(), Some("timeoutMs"));
    let args = with_options(JsValue::UNDEFINED, r#"{"retries":1}"#);
    let e = JsFuture::from(c.request("analytics.overview", args)).await.unwrap_err();
    assert_eq!(get(&e, "field").as_string().as_deref(), Some("retries"));
    assert_eq!(calls.length(), 2, "bad options send nothing");
}

#[wasm_bindgen_test]
async fn a_429_whose_window_outlasts_the_budget_fails_at_once() {
    let (c, calls) = client(
        r#"const reset = Math.floor(Date.now() / 1000) + 59;
           return new Response(JSON.stringify({ error: "Too many requests", message: "Rate limit exceeded", limit: 60, remaining: 0, reset }),
             { status: 429, headers: { "X-RateLimit-Reset": String(reset) } });"#,
        &[("timeoutMs", 2_000.into())],
    );
    let started = js_sys::Date::now();
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "rate_limited");
    assert!(js_sys::Date::now() - started < 1_500.0, "no wait for a window past the budget");
    assert!(get(&get(&e, "rateLimit"), "reset").as_f64().unwrap() > js_sys::Date::now() / 1000.0 + 50.0);
    assert_eq!(calls.length(), 1);
}

/// `[undefined, { signal }]` with a controller that aborts after `ms`.
fn aborting_after(ms: i32) -> (JsValue, JsValue) {
    let controller = Function::new_no_args("return new AbortController();").call0(&JsValue::NULL).unwrap();
    let abort = Function::new_with_args("c, ms", "setTimeout(() => c.abort(new Error('caller gave up')), ms);");
    abort.call2(&JsValue::NULL, &controller, &ms.into()).unwrap();
    let options = Object::new();
    Reflect::set(&options, &"signal".into(), &get(&controller, "signal")).unwrap();
    (Array::of2(&JsValue::UNDEFINED, &options).into(), controller)
}

#[wasm_bindgen_test]
async fn aborting_rejects_promptly_during_a_request_a_backoff_or_a_rate_limit_wait() {
    let scripts = [
        ("during the request", "return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));"),
        ("during a backoff", "return new Response('', { status: 503 });"),
        (
            "during a rate-limit wait",
            r#"return new Response('{}', { status: 429, headers: { "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 20) } });"#,
        ),
    ];
    for (when, script) in scripts {
        let (c, calls) = client(script, &[("maxRetries", 3.into())]);
        let (args, _controller) = aborting_after(30);
        let started = js_sys::Date::now();
        let e = JsFuture::from(c.request("analytics.overview", args)).await.unwrap_err();
        assert_eq!(code(&e), "aborted", "{when}: {}", stringify(&e));
        assert_eq!(get(&get(&e, "cause"), "message").as_string().as_deref(), Some("caller gave up"), "{when}");
        assert!(js_sys::Date::now() - started < 400.0, "{when}: rejected promptly");
        assert_eq!(calls.length(), 1, "{when}");
    }
    let (c, calls) = client("return new Response('{}');", &[]);
    let controller = Function::new_no_args("const c = new AbortController(); c.abort('early'); return c;")
        .call0(&JsValue::NULL)
        .unwrap();
    let options = Object::new();
    Reflect::set(&options, &"signal".into(), &get(&controller, "signal")).unwrap();
    let e = JsFuture::from(c.request("analytics.overview", Array::of2(&JsValue::UNDEFINED, &options).into()))
        .await
        .unwrap_err();
    assert_eq!(code(&e), "aborted");
    assert_eq!(calls.length(), 0, "an aborted signal sends nothing");
}

#[wasm_bindgen_test]
async fn network_errors_are_retried_then_reported_without_the_token() {
    let (c, calls) = client(
        &format!("return Promise.reject(new TypeError('fetch failed', {{ cause: new Error('ECONNREFUSED {KEY} ({KEY})') }}));"),
        &[("maxRetries", 2.into())],
    );
    let e = outcome(&c, "analytics.overview").await.unwrap_err();
    assert_eq!(code(&e), "network_error", "{}", stringify(&e));
    assert_eq!(calls.length(), 3, "two retries");
    let message = get(&e, "message").as_string().unwrap();
    assert!(message.contains("ECONNREFUSED"), "{message}");
    assert!(!message.contains(KEY), "the token is scrubbed even from a runtime's own text");
    assert_eq!(message.matches("[redacted]").count(), 2, "every occurrence: {message}");
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
    let e = JsFuture::from(c.request("goals.create", [body].iter().collect::<Array>().into())).await.unwrap_err();
    assert_eq!(get(&e, "status").as_f64(), Some(503.0));
    assert_eq!(get(&e, "retryable").as_bool(), Some(false), "this client does not retry it");
    assert_eq!(calls.length(), 1, "a POST may have been applied: not repeated");
    let init = Array::from(&calls.get(0)).get(1);
    assert_eq!(get(&get(&init, "headers"), "Content-Type").as_string().as_deref(), Some("application/json"));
    assert!(get(&init, "body").as_string().unwrap().contains(r#""name":"signup""#));
}

#[wasm_bindgen_test]
async fn a_payment_is_retried_because_the_api_deduplicates_its_transaction_id() {
    let (c, calls) = client(
        r#"return this.length < 2 ? new Response('', { status: 503, headers: { "Retry-After": "0" } })
             : new Response('{"message":"Payment recorded","transaction_id":"tx_9"}', { status: 200 });"#,
        &[],
    );
    let body = json(r#"{"amount":29.99,"currency":"USD","transaction_id":"tx_9"}"#);
    let paid = JsFuture::from(c.request("payments.create", Array::of1(&body).into())).await.unwrap();
    assert_eq!(get(&paid, "transaction_id").as_string().as_deref(), Some("tx_9"));
    assert_eq!(calls.length(), 2);
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
