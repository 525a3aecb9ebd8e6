//! Property fuzzing of request parsing and dispatch: any method, path, query, credential and
//! body, through the whole router (routing, authentication, authorization, the handlers), is
//! answered without a panic, without a 5xx, with the error envelope (or the
//! documented bare payments body) on every refusal, and never with the caller's secret in an
//! error. Also the `--faults` specification parser.
//!
//! `cargo test` runs a short round (proptest's default 256 cases, or `PROPTEST_CASES`); the
//! long run and its figures are in `fuzz/README.md`.

mod common;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use common::END_MS;
use datafast_contract::params;
use datafast_contract::registry::ENDPOINTS;
use datafast_emulator::{app, AppState, Config, DemoCredentials, FaultPlan};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use tower::ServiceExt;

/// Requests on one state before it is rebuilt: writes pile up (and may revoke the demo
/// credentials), so a fresh state keeps later cases as deep as the first ones.
const CASES_PER_STATE: u32 = 2000;

struct World {
    rt: tokio::runtime::Runtime,
    app: Router,
    served: u32,
}

fn config() -> Config {
    Config::pinned(1, END_MS)
}

impl World {
    fn new() -> World {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        World { rt, app: app(AppState::new(config())), served: 0 }
    }

    fn answer(&mut self, req: Request<Body>) -> (u16, Vec<u8>) {
        self.served += 1;
        if self.served > CASES_PER_STATE {
            self.app = app(AppState::new(config()));
            self.served = 1;
        }
        let app = self.app.clone();
        self.rt.block_on(async move {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status().as_u16();
            (status, axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap().to_vec())
        })
    }
}

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::new());
}

/// The demo credentials and ids, the same in every rebuilt state (same seed).
fn demo() -> &'static DemoCredentials {
    static DEMO: std::sync::OnceLock<DemoCredentials> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| AppState::new(config()).demo.clone())
}

/// Percent-encodes everything but unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9_:-]{0,40}",
        "[0-9a-f]{24}",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9](T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](Z|[+-][01][0-9]:[0-5][0-9]))?",
        "(hour|day|week|month|visitors|revenue|sessions|US|FR|/|/pricing|USD|signup|is|contains)",
        Just(String::new()),
    ]
}

/// A path placeholder: a real id of the demo account, a well-formed unknown one, or junk.
fn placeholder() -> impl Strategy<Value = String> {
    let d = demo();
    let real: Vec<String> = d
        .websites
        .iter()
        .flat_map(|w| [w.id.clone(), w.sample_visitor_id.clone()])
        .chain(d.team.iter().map(|m| m.user_id.clone()))
        .collect();
    prop_oneof![4 => prop::sample::select(real), 2 => "[0-9a-f]{24}", 1 => text().prop_map(|s| encode(&s))]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_filter_map("finite", |n| Number::from_f64(n).map(Value::Number)),
        (-3i64..3000).prop_map(|n| Value::Number(n.into())),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 20, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_]{1,10}", inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Clone, Debug)]
struct Call {
    method: String,
    uri: String,
    auth: Option<String>,
    body: Vec<u8>,
}

/// A request to one registry route, mostly well-shaped so the handlers are reached, with
/// junk mixed in at every level.
fn call() -> impl Strategy<Value = Call> {
    let d = demo();
    let credentials: Vec<String> = [d.owner_token.clone()]
        .into_iter()
        .chain(d.websites.iter().map(|w| w.key.clone()))
        .chain(d.team.iter().map(|m| m.token.clone()))
        .collect();
    let auth = prop_oneof![
        6 => prop::sample::select(credentials).prop_map(|t| Some(format!("Bearer {t}"))),
        1 => Just(None),
        1 => any::<String>().prop_map(Some),
        1 => "(Bearer|bearer|Basic) (df_|dft_)?[a-zA-Z0-9]{0,40}".prop_map(Some),
    ];
    (0..ENDPOINTS.len(), auth).prop_flat_map(|(i, auth)| {
        let ep = &ENDPOINTS[i];
        let names: Vec<String> = params::of(ep.id)
            .all()
            .map(|f| f.name.to_string())
            .chain(["websiteId", "filter_country", "filter_page", "limit", "offset"].map(String::from))
            .collect();
        let key = prop_oneof![6 => prop::sample::select(names), 1 => "[a-zA-Z_]{1,12}"];
        let fields = prop::collection::vec((key, json_value()), 0..7);
        let holes = ep.path.matches('{').count();
        let method = prop_oneof![
            8 => Just(ep.method.as_str().to_string()),
            1 => "(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)".prop_map(String::from),
        ];
        let raw_body = prop_oneof![
            1 => prop::collection::vec(any::<u8>(), 0..64),
            1 => Just(b"{\"a\":".to_vec()),
            1 => Just(b"[1e999]".to_vec()),
        ];
        (
            method,
            prop::collection::vec(placeholder(), holes),
            fields,
            any::<bool>(),
            prop::option::weighted(0.1, raw_body),
        )
            .prop_map(move |(method, ids, fields, as_query, raw)| {
                let mut ids = ids.into_iter();
                let path: String = ep
                    .path
                    .split('/')
                    .map(|seg| if seg.starts_with('{') { ids.next().unwrap_or_default() } else { seg.to_string() })
                    .collect::<Vec<_>>()
                    .join("/");
                let in_query = ep.method.as_str() == "GET" || as_query;
                let query: Vec<String> = fields
                    .iter()
                    .filter(|_| in_query)
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                        format!("{}={}", encode(k), encode(&v))
                    })
                    .collect();
                let uri = format!("/api/v1{path}{}{}", if query.is_empty() { "" } else { "?" }, query.join("&"));
                let body = match raw {
                    Some(bytes) => bytes,
                    None if in_query => Vec::new(),
                    None => Value::Object(fields.into_iter().collect()).to_string().into_bytes(),
                };
                Call { method: method.clone(), uri, auth: auth.clone(), body }
            })
    })
}

/// Entirely arbitrary targets: the router's own parsing (prefix, percent-decoding, query).
fn junk_call() -> impl Strategy<Value = Call> {
    let target = prop_oneof![
        "/api/v1/[ -~]{0,80}".prop_map(|s| s.replace([' ', '#'], "%20")),
        "/[a-z_/]{0,30}",
        "/api/v1/analytics/overview\\?([a-zA-Z_%0-9]{0,8}=[a-zA-Z_%0-9]{0,8}&?){0,6}",
    ];
    (target, any::<Option<String>>()).prop_map(|(uri, auth)| Call {
        method: "GET".into(),
        uri,
        auth: auth.map(|a| format!("Bearer dft_{a}")),
        body: Vec::new(),
    })
}

fn check(call: Call) {
    let mut req = Request::builder().method(call.method.as_str()).uri(call.uri.as_str());
    if let Some(a) = &call.auth {
        req = req.header("authorization", a.as_str());
    }
    // Header values that HTTP cannot carry never reach the server: nothing to answer.
    let Ok(req) = req.header("content-type", "application/json").body(Body::from(call.body.clone())) else {
        return;
    };
    let (status, body) = WORLD.with(|w| w.borrow_mut().answer(req));
    assert!(status < 500, "{status} for {call:?}: {}", String::from_utf8_lossy(&body));
    // Answers to HEAD carry no body by definition.
    if status < 400 || call.method == "HEAD" {
        return;
    }
    let json: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{status} without JSON for {call:?}"));
    let message = match (&json["error"], status) {
        (Value::Object(e), _) => {
            assert_eq!(json["status"], "error", "{call:?}: {json}");
            assert_eq!(e["code"], status, "{call:?}: {json}");
            e["message"].as_str().unwrap_or_default().to_string()
        }
        // The bare refusals of POST /payments (CONTRACT 2.3) and the flat 429 body.
        (Value::String(m), _) => m.clone(),
        _ => panic!("{status} outside the error envelope for {call:?}: {json}"),
    };
    assert!(!message.is_empty(), "{status} without a message for {call:?}");
    if let Some(token) = call.auth.as_deref().and_then(|a| a.split_whitespace().nth(1)).filter(|t| t.len() >= 12) {
        assert!(!String::from_utf8_lossy(&body).contains(token), "the caller's secret in a {status}: {call:?}");
    }
}

proptest! {
    // Failing cases are kept beside this file (`*.regressions`) and replayed first.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_request_is_answered_without_panic(call in call()) {
        check(call);
    }

    #[test]
    fn any_target_is_routed_without_panic(call in junk_call()) {
        check(call);
    }

    #[test]
    fn any_fault_spec_is_parsed_without_panic(
        spec in prop_oneof![any::<String>(), "((500|502|503|drop|slow=[0-9]{0,7}|off)(:[0-9.e-]{0,6})?,?){0,4}"],
        routes in prop::option::of(prop_oneof![any::<String>(), "([a-z_.*]{0,20},?){0,3}"]),
    ) {
        if let Err(message) = FaultPlan::parse(&spec, routes.as_deref()) {
            prop_assert!(!message.is_empty());
        }
    }
}

/// Hostile requests kept as regression seeds (the probe's among them), run on every test.
#[test]
fn seed_requests_are_answered_without_panic() {
    let d = demo();
    let (owner, key, site) = (d.owner_token.as_str(), d.websites[0].key.as_str(), d.websites[0].id.as_str());
    let visitor = d.websites[0].sample_visitor_id.as_str();
    let seeds: Vec<(&str, String, &str, String)> = vec![
        ("POST", "/api/v1/payments".into(), key, r#"{"amount":1e308,"currency":"USD","transaction_id":"t"}"#.into()),
        ("POST", "/api/v1/payments".into(), key, r#"{"amount":-0.0,"currency":"usd","transaction_id":" "}"#.into()),
        (
            "POST",
            "/api/v1/goals".into(),
            key,
            format!(r#"{{"datafast_visitor_id":"{visitor}","name":"{}"}}"#, "é".repeat(70)),
        ),
        (
            "GET",
            "/api/v1/analytics/timeseries?fields=visitors&interval=hour&startAt=0000-01-01&endAt=9999-12-31".into(),
            key,
            String::new(),
        ),
        ("GET", "/api/v1/analytics/pages?limit=1e999&offset=-0".into(), key, String::new()),
        ("GET", "/api/v1/analytics/pages?limit=1000&offset=1000000000000000".into(), key, String::new()),
        (
            "GET",
            format!("/api/v1/analytics/overview?websiteId={site}&websiteId=%00&timezone=%E2%80%AE"),
            owner,
            String::new(),
        ),
        (
            "GET",
            "/api/v1/analytics/overview?filter_page=contains%3A%25&filter_country=is_not%3A".into(),
            key,
            String::new(),
        ),
        ("GET", "/api/v1//analytics//overview/".into(), key, String::new()),
        ("GET", "/api/v1/admin/websites/%2e%2e/apikeys".into(), owner, String::new()),
        ("PUT", format!("/api/v1/admin/websites/{site}"), owner, r#"{"name":null,"timezone":"Etc/GMT+99"}"#.into()),
        ("POST", "/api/v1/admin/access-tokens".into(), owner, r#"{"permissions":[],"websiteIds":[null]}"#.into()),
        ("POST", format!("/api/v1/admin/websites/{site}/funnels"), owner, r#"{"name":"x","steps":[[],{},1]}"#.into()),
        ("DELETE", format!("/api/v1/admin/websites/{site}/team"), owner, r#"{"userId":{"$ne":null}}"#.into()),
        (
            "POST",
            "/api/v1/identify".into(),
            key,
            format!(r#"{{"user_id":"u","datafast_visitor_id":"{visitor}","a":{{"b":[1]}}}}"#),
        ),
    ];
    for (method, uri, token, body) in seeds {
        check(Call { method: method.into(), uri, auth: Some(format!("Bearer {token}")), body: body.into_bytes() });
    }
}
