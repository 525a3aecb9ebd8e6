//! The wasm build against a running emulator, in Node and in headless Chromium
//! (`scripts/test.sh` runs both with the emulator's address and demo tokens in the
//! environment at compile time).
#![cfg(target_arch = "wasm32")]

mod common;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use common::{base_url, get, json, owner_token, site_id, site_key, stringify, visitor_id, Client};

fn options(entries: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    // The browser run needs the explicit opt-in; Node ignores it.
    Reflect::set(&o, &"dangerouslyAllowBrowser".into(), &true.into()).unwrap();
    Reflect::set(&o, &"baseUrl".into(), &base_url().into()).unwrap();
    for (k, v) in entries {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn website_with_key() -> Client {
    Client::website(options(&[("token", site_key().into())])).unwrap()
}
fn admin() -> Client {
    Client::admin(options(&[("token", owner_token().into())])).unwrap()
}

fn args(items: &[JsValue]) -> JsValue {
    items.iter().collect::<Array>().into()
}
async fn ok(promise: js_sys::Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => v,
        Err(e) => panic!("call failed: {}", stringify(&e)),
    }
}
async fn err(promise: js_sys::Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("call succeeded unexpectedly: {}", stringify(&v)),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
async fn overview_is_the_same_through_a_key_and_through_an_account_token() {
    let by_key = ok(website_with_key().request("analytics.overview", args(&[]))).await;
    assert!(get(&by_key, "visitors").as_f64().unwrap() > 0.0);
    assert!(get(&by_key, "sessions").as_f64().unwrap() >= get(&by_key, "visitors").as_f64().unwrap());
    let by_token =
        Client::website(options(&[("token", owner_token().into()), ("websiteId", site_id().into())])).unwrap();
    let by_token = ok(by_token.request("analytics.overview", args(&[]))).await;
    assert_eq!(stringify(&by_key), stringify(&by_token));
}

#[wasm_bindgen_test]
async fn pages_are_paginated() {
    let client = website_with_key();
    let first = ok(client.request("analytics.pages", args(&[json(r#"{"limit":3}"#)]))).await;
    let rows = Array::from(&get(&first, "data"));
    assert_eq!(rows.length(), 3);
    let pagination = get(&first, "pagination");
    assert_eq!(get(&pagination, "limit").as_f64(), Some(3.0));
    assert_eq!(get(&pagination, "offset").as_f64(), Some(0.0));
    assert!(get(&pagination, "total").as_f64().unwrap() > 3.0);
    assert!(get(&first, "status").is_undefined(), "the envelope's status is not part of a page");
    let second = ok(client.request("analytics.pages", args(&[json(r#"{"limit":3,"offset":3}"#)]))).await;
    let second_rows = stringify(&get(&second, "data"));
    assert!(!second_rows.contains(&stringify(&rows.get(0))), "offset moves to other rows");
    // Rows come sorted by visitors, descending.
    let visitors: Vec<f64> = rows.iter().map(|r| get(&r, "visitors").as_f64().unwrap()).collect();
    assert!(visitors.windows(2).all(|w| w[0] >= w[1]), "{visitors:?}");
}

#[wasm_bindgen_test]
async fn a_goal_is_recorded_and_counted() {
    let client = website_with_key();
    let count = |page: &JsValue| {
        Array::from(&get(page, "data"))
            .iter()
            .find(|r| get(r, "goal").as_string().as_deref() == Some("wasm_test_goal"))
            .map_or(0.0, |r| get(&r, "completions").as_f64().unwrap())
    };
    let before = count(&ok(client.request("analytics.goals", args(&[json(r#"{"limit":1000}"#)]))).await);
    let body = json(&format!(
        r#"{{"datafast_visitor_id":"{}","name":"WASM Test Goal","metadata":{{"via":"wasm"}}}}"#,
        visitor_id()
    ));
    let created = ok(client.request("goals.create", args(&[body]))).await;
    assert_eq!(get(&created, "eventId").as_string().map(|s| s.len()), Some(24));
    let after = count(&ok(client.request("analytics.goals", args(&[json(r#"{"limit":1000}"#)]))).await);
    assert_eq!(after, before + 1.0, "the normalized goal name `wasm_test_goal` is counted once more");
}

#[wasm_bindgen_test]
async fn account_and_websites() {
    let admin = admin();
    let account = ok(admin.request("admin.account.get", args(&[]))).await;
    assert!(get(&account, "email").as_string().unwrap().contains('@'));
    let sites = Array::from(&ok(admin.request("admin.websites.list", args(&[]))).await);
    assert!(sites.iter().any(|s| get(&s, "_id").as_string().as_deref() == Some(site_id())));
    let domain = format!("wasm-{}.example.org", js_sys::Date::now() as u64);
    let body = json(&format!(r#"{{"domain":"{domain}","timezone":"Europe/Paris","name":"From wasm"}}"#));
    let created = ok(admin.request("admin.websites.create", args(std::slice::from_ref(&body)))).await;
    assert_eq!(get(&created, "domain").as_string().as_deref(), Some(domain.as_str()));
    let sites = Array::from(&ok(admin.request("admin.websites.list", args(&[]))).await);
    assert!(sites.iter().any(|s| get(&s, "domain").as_string().as_deref() == Some(domain.as_str())));
    let duplicate = err(admin.request("admin.websites.create", args(&[body]))).await;
    assert_eq!(get(&duplicate, "status").as_f64(), Some(409.0));
    assert_eq!(get(&duplicate, "code").as_string().as_deref(), Some("conflict"));
    assert_eq!(get(&duplicate, "endpoint").as_string().as_deref(), Some("admin.websites.create"));
}

#[wasm_bindgen_test]
async fn server_errors_carry_status_code_and_rate_limit() {
    let stranger = Client::website(options(&[("token", "df_0000000000000000000000000000dead".into())])).unwrap();
    let e = err(stranger.request("analytics.overview", args(&[]))).await;
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("DataFastError"));
    assert_eq!(get(&e, "status").as_f64(), Some(401.0));
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("unauthorized"));
    assert_eq!(get(&e, "retryable").as_bool(), Some(false));
    assert!(!get(&e, "message").as_string().unwrap().contains("dead"), "the token is not echoed");

    // Known tokens get X-RateLimit-* on every response, errors included. The zone is
    // well-formed, so only the server can tell it does not exist.
    let e =
        err(website_with_key().request("analytics.pages", args(&[json(r#"{"timezone":"Mars/Olympus_Mons"}"#)]))).await;
    assert_eq!(get(&e, "status").as_f64(), Some(400.0));
    let rate_limit = get(&e, "rateLimit");
    assert!(get(&rate_limit, "limit").as_f64().unwrap() > 0.0, "{}", stringify(&e));
}

#[wasm_bindgen_test]
async fn token_rules_are_enforced_before_sending() {
    // A fetch that records calls: none may happen.
    let calls = Array::new();
    let fetch =
        Function::new_with_args("url", "this.push(url); return Promise.reject(new Error('sent'))").bind0(&calls);
    let key_admin = Client::admin(options(&[("token", site_key().into()), ("fetch", fetch.into())])).unwrap();
    let e = err(key_admin.request("admin.websites.list", args(&[]))).await;
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("token_not_allowed"));
    assert_eq!(get(&e, "status").as_f64(), Some(0.0));
    let e =
        err(key_admin.request("admin.websites.create", args(&[json(r#"{"domain":"x.org","timezone":"UTC"}"#)]))).await;
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("token_not_allowed"));
    assert_eq!(calls.length(), 0);

    let e = Client::website(options(&[("token", owner_token().into())])).err().unwrap();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("missing_website_id"));
    let e = Client::website(options(&[("token", "sk_live_abc".into())])).err().unwrap();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("invalid_token"));
    assert!(!stringify(&e).contains("sk_live_abc"));
}

#[wasm_bindgen_test]
async fn invalid_input_names_the_field_and_sends_nothing() {
    let calls = Array::new();
    let fetch =
        Function::new_with_args("url", "this.push(url); return Promise.reject(new Error('sent'))").bind0(&calls);
    let client = Client::website(options(&[("token", site_key().into()), ("fetch", fetch.into())])).unwrap();
    let cases = [
        ("analytics.overview", r#"{"startAt":"2026-01-01"}"#, "endAt"),
        ("analytics.pages", r#"{"limit":1001}"#, "limit"),
        ("analytics.pages", r#"{"filters":{"country":{"contains":"U"}}}"#, "filters.country.contains"),
        ("goals.create", r#"{"datafast_visitor_id":"nope","name":"x"}"#, "datafast_visitor_id"),
        ("goals.create", r#"{"datafast_visitor_id":"a3ab2331-989f-4cfa-91c6-2461c9e3c6bd","name":"identify"}"#, "name"),
    ];
    for (endpoint, params, field) in cases {
        let e = err(client.request(endpoint, args(&[json(params)]))).await;
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("invalid_params"), "{endpoint} {params}");
        assert_eq!(get(&e, "field").as_string().as_deref(), Some(field), "{endpoint} {params}");
        assert!(get(&e, "message").as_string().unwrap().contains(field));
    }
    assert_eq!(calls.length(), 0);
}

#[wasm_bindgen_test]
fn clients_never_reveal_the_token() {
    let client = website_with_key();
    let shown = format!("{} {}", client.method("toString").as_string().unwrap(), stringify(&client.method("toJSON")));
    assert!(!shown.contains(site_key()), "{shown}");
    assert!(shown.contains("df_[redacted]"));
}

#[wasm_bindgen_test]
fn browsers_need_the_explicit_opt_in() {
    let in_browser = !Reflect::get(&js_sys::global(), &"document".into()).unwrap().is_undefined();
    let o = Object::new();
    Reflect::set(&o, &"token".into(), &site_key().into()).unwrap();
    let result = Client::website(o.into());
    if in_browser {
        let e = result.err().expect("a browser page must opt in");
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("browser_not_allowed"));
    } else {
        assert!(result.is_ok());
    }
}
