//! Shared helpers: drive the router in-process with `oneshot`.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use datafast_contract::registry::{route, Method, Route};
use datafast_contract::{responses, samples, Endpoint, API_PREFIX};
use datafast_emulator::state::{EventKind, Events, Membership, Role};
use datafast_emulator::{app, AppState, Config, DemoCredentials, Opened, RateLimit};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// A fixed end of the synthetic traffic, so every run sees identical data.
pub const END_MS: i64 = 1_780_000_000_000;

pub struct Emu {
    pub state: Arc<AppState>,
    pub app: Router,
    pub creds: DemoCredentials,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn message(&self) -> &str {
        self.json["error"]["message"].as_str().unwrap_or("")
    }
    pub fn data(&self) -> &Value {
        &self.json["data"]
    }
}

pub fn emu_with(seed: u64, rate_limit: Option<RateLimit>) -> Emu {
    emu_from(Config { seed, rate_limit, ..Config::pinned(30, END_MS) })
}

pub fn emu_from(config: Config) -> Emu {
    Emu::from_state(AppState::new(config))
}

/// One day of traffic (about 600 events) instead of 30: every route still has data, and
/// [`Emu::snapshot`] around each of hundreds of requests stays cheap.
pub fn emu_small() -> Emu {
    emu_from(Config::pinned(1, END_MS))
}

/// Traffic that ends at start-up, so "now" windows (realtime, default timeseries windows)
/// have data.
pub fn emu_live() -> Emu {
    emu_from(Config { rate_limit: None, ..Config::default() })
}

/// Rate limiting off, so tests that make many calls are not throttled.
pub fn emu() -> Emu {
    emu_with(42, None)
}

impl Emu {
    /// Drives an existing emulator state (e.g. one opened from a state file).
    pub fn from_state(state: Arc<AppState>) -> Emu {
        let creds = state.demo.clone();
        Emu { app: app(state.clone()), state, creds }
    }

    pub fn owner(&self) -> &str {
        &self.creds.owner_token
    }
    pub fn key(&self, i: usize) -> &str {
        &self.creds.websites[i].key
    }
    pub fn site(&self, i: usize) -> &str {
        &self.creds.websites[i].id
    }

    pub async fn call(&self, method: &str, uri: &str, token: Option<&str>, body: Option<&str>) -> Resp {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(Body::from(body.unwrap_or("").to_string())).unwrap();
        self.send(req).await
    }

    /// Sends one request through the router. Every success of an API route is checked
    /// against the response declared for its endpoint (`datafast_contract::responses`).
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let routed = req.uri().path().strip_prefix(API_PREFIX).and_then(|path| {
            let method = Method::parse(req.method().as_str())?;
            match route(method, path) {
                Route::Found(ep, _) => Some(ep),
                _ => None,
            }
        });
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let (Some(ep), true) = (routed, status.is_success()) {
            if let Err(e) = responses::check(ep, &json) {
                panic!("{} answered outside its declared shape: {e}\n{text}", ep.id);
            }
        }
        Resp { status, headers, text, json }
    }

    pub async fn get(&self, uri: &str, token: &str) -> Resp {
        self.call("GET", uri, Some(token), None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: &str) -> Resp {
        self.call("POST", uri, Some(token), Some(body)).await
    }

    pub async fn put(&self, uri: &str, token: &str, body: &str) -> Resp {
        self.call("PUT", uri, Some(token), Some(body)).await
    }

    pub async fn patch(&self, uri: &str, token: &str, body: &str) -> Resp {
        self.call("PATCH", uri, Some(token), Some(body)).await
    }

    pub async fn delete(&self, uri: &str, token: &str) -> Resp {
        self.call("DELETE", uri, Some(token), None).await
    }

    /// The whole body of a GET that must succeed.
    pub async fn body(&self, uri: &str, token: &str) -> Value {
        let r = self.get(uri, token).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
        r.json
    }

    /// The `data` of a GET that must succeed.
    pub async fn list(&self, uri: &str, token: &str) -> Value {
        self.body(uri, token).await["data"].clone()
    }
}

/// Asserts the error envelope with `code` equal to the status.
pub fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    assert_eq!(r.json["status"], "error", "body: {}", r.text);
    assert_eq!(r.json["error"]["code"], status, "body: {}", r.text);
    assert!(!r.message().is_empty());
}

impl Emu {
    /// The seeded member of website 0 (full-permission `dft_`).
    pub fn member_token(&self) -> &str {
        &self.creds.team[0].token
    }

    /// The seeded viewer of website 0 (full-permission `dft_`).
    pub fn viewer_token(&self) -> &str {
        &self.creds.team[1].token
    }

    /// Everything a request could change, to compare before and after a refused one.
    pub fn snapshot(&self) -> Snapshot {
        let store = self.state.store();
        let mut json = serde_json::to_value(&*store).expect("the store serializes");
        // Authenticating records `lastUsedAt` even when the request is then refused: that is
        // bookkeeping of the credential, not a change the request made.
        for list in ["tokens", "api_keys"] {
            if let Some(items) = json.get_mut(list).and_then(Value::as_array_mut) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove("last_used_at");
                }
            }
        }
        Snapshot { store: json, events: store.events.clone() }
    }

    /// Adds a user with `role` on `website_id` straight into the store (memberships are
    /// made in the dashboard; the API only invites), for team removal tests. Returns the
    /// user id.
    pub fn add_team_user(&self, website_id: &str, role: Role) -> String {
        let mut store = self.state.store();
        let id = store.new_object_id();
        let mut user = store.users[0].clone();
        user.id.clone_from(&id);
        user.email = format!("user-{id}@example.org");
        user.name = None;
        store.users.push(user);
        store.memberships.push(Membership {
            website_id: website_id.to_string(),
            user_id: id.clone(),
            role,
            joined_at: 0,
        });
        id
    }

    /// `n` distinct visitors of website `i` with pageviews, in first-seen order.
    pub fn visitors_with_pageviews(&self, i: usize, n: usize) -> Vec<String> {
        let store = self.state.store();
        let mut out: Vec<String> = Vec::new();
        for e in store.events(self.site(i)).iter().filter(|e| e.kind == EventKind::Pageview) {
            if !out.iter().any(|v| **v == *e.visitor_id) {
                out.push(e.visitor_id.to_string());
                if out.len() == n {
                    break;
                }
            }
        }
        out
    }
}

/// The store as serialized (minus `lastUsedAt`) plus the events, which are not serialized.
pub struct Snapshot {
    store: Value,
    events: HashMap<String, Events>,
}

impl Snapshot {
    /// `None` when equal, else what differs: the top-level store fields and the websites
    /// whose events changed.
    pub fn diff(&self, after: &Snapshot) -> Option<String> {
        let mut changed: Vec<String> = Vec::new();
        if let (Some(a), Some(b)) = (self.store.as_object(), after.store.as_object()) {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            changed.extend(keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).map(|k| format!("store.{k}")));
        } else if self.store != after.store {
            changed.push("store".into());
        }
        let mut sites: Vec<&String> = self.events.keys().chain(after.events.keys()).collect();
        sites.sort();
        sites.dedup();
        for site in sites {
            let (a, b) = (self.events.get(site), after.events.get(site));
            if a != b {
                let len = |v: Option<&Events>| v.map_or(0, |e| e.len());
                changed.push(format!("events of {site} ({} → {})", len(a), len(b)));
            }
        }
        (!changed.is_empty()).then(|| changed.join(", "))
    }
}

/// Loads what is on disk at `path` while the emulator that wrote it still holds it: from a
/// copy beside it (`NAME.reopened`), since one emulator per state file is the rule.
pub fn open_copy(path: &Path, config: Config) -> (Arc<AppState>, Opened) {
    let mut name = path.file_name().expect("a state file name").to_os_string();
    name.push(".reopened");
    let copy = path.with_file_name(name);
    std::fs::copy(path, &copy).expect("the state file copies");
    // The snapshot and its journal (the writes since the snapshot) go together.
    let journal = |p: &Path| {
        let mut j = p.as_os_str().to_os_string();
        j.push(".journal");
        PathBuf::from(j)
    };
    if journal(path).exists() {
        std::fs::copy(journal(path), journal(&copy)).expect("the journal copies");
    }
    let opened = AppState::open(config, &copy).expect("the copy loads");
    // The loaded state no longer needs them, and no one else opens the copy.
    let _ = std::fs::remove_file(datafast_emulator::state_file::lock_path(&copy));
    let _ = std::fs::remove_file(journal(&copy));
    let _ = std::fs::remove_file(&copy);
    opened
}

/// Values for the placeholders of `datafast_contract::samples`.
pub struct SampleVars<'a> {
    pub visitor: &'a str,
    pub website: &'a str,
    pub user: &'a str,
    pub n: usize,
}

/// The sample input of `ep` with its placeholders filled.
pub fn sample(ep: &Endpoint, vars: &SampleVars) -> Map<String, Value> {
    let text = samples::of(ep.key)
        .replace("$visitor", vars.visitor)
        .replace("$website", vars.website)
        .replace("$user", vars.user)
        .replace("$n", &vars.n.to_string());
    match serde_json::from_str(&text) {
        Ok(Value::Object(input)) => input,
        other => panic!("{}: the sample is not a JSON object: {other:?}", ep.id),
    }
}

/// The query text of one value, as the client encodes it (arrays comma-joined).
fn query_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(query_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// An input as query parameters, the way the client sends it (`filters` as `filter_<dim>`)
/// but without its checks, so broken input goes out as it is.
pub fn query_pairs(input: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in input {
        match (key.as_str(), value) {
            ("filters", Value::Object(filters)) => {
                for (dim, cond) in filters {
                    let text = match cond {
                        Value::Object(ops) => {
                            ops.iter().map(|(op, v)| format!("{op}:{}", query_text(v))).collect::<Vec<_>>().join("")
                        }
                        other => query_text(other),
                    };
                    out.push((format!("filter_{dim}"), text));
                }
            }
            _ => out.push((key.clone(), query_text(value))),
        }
    }
    out
}

/// `k=v&…`, percent-encoded (`:`, `,` and `/` stay readable, as the client leaves them).
pub fn query_string(pairs: &[(String, String)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b',' | b'/' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}
