//! The request log. Every API request is kept, redacted, in a bounded in-memory list that
//! tests read (`GET /__emulator/requests`, see [`RequestLog`]); with `--verbose` each is also
//! one JSON object per line on stderr (stdout carries the start-up banner that scripts read),
//! written when the response is ready:
//!
//! ```text
//! {"time":"2026-05-21T10:00:00.000Z","method":"GET","path":"/api/v1/analytics/overview?websiteId=…",
//!  "endpoint":"analytics.overview","status":200,"durationMs":1.234,"tokenKind":"websiteKey",
//!  "token":"df_AbCd...wxyz","fault":null}
//! ```
//!
//! No secret reaches the log: the token appears only in its `displayKey` form (and only when
//! long enough for the mask to hide most of it), query values named like credentials or
//! looking like one (`df_…`, `dft_…`) and path segments that look like one become
//! `[redacted]`. `status` is null when `--faults drop` cut the connection.

use crate::auth;
use crate::faults::Fault;
use crate::state::AppState;
use crate::time;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;
use datafast_contract::TokenKind;
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const REDACTED: &str = "[redacted]";

/// Tokens shorter than this are not shown even masked: the mask keeps 8 to 9 characters.
const MIN_MASKED_LEN: usize = 24;

/// Query parameter names whose values are never logged.
const SECRET_NAMES: &[&str] = &["token", "key", "secret", "password", "auth", "bearer", "credential", "signature"];

/// What the API layer tells the log about a request, through the response's extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Registry id of the matched route.
    pub endpoint: Option<&'static str>,
    pub fault: Option<Fault>,
    /// The request's body, as read (for the request list).
    pub body: Option<axum::body::Bytes>,
}

/// How many requests the list keeps; older ones are dropped first.
pub const KEPT_REQUESTS: usize = 1_000;
/// Bodies larger than this are kept as their size only.
const KEPT_BODY_BYTES: usize = 16 * 1024;

/// One request as tests read it (`GET /__emulator/requests`): what the client sent, redacted
/// like the `--verbose` log, and what it got.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recorded {
    /// Increases by one per request since start (not reset by `DELETE`).
    pub seq: u64,
    /// The emulator's clock when the request arrived (Unix ms), and as ISO 8601.
    pub at_ms: i64,
    pub time: String,
    pub method: String,
    /// The path, credential-like segments redacted.
    pub path: String,
    /// Query parameters in order, values of credential-like names redacted.
    pub query: Vec<(String, String)>,
    /// The JSON body with credential-like fields redacted; a string describing any other body;
    /// `null` without one.
    pub body: Value,
    pub endpoint: Option<&'static str>,
    /// `null` when `--faults drop` cut the connection.
    pub status: Option<u16>,
    pub token_kind: &'static str,
    pub token: Option<String>,
}

/// The last [`KEPT_REQUESTS`] API requests (not the `/__emulator/` ones).
#[derive(Debug, Default)]
pub struct RequestLog {
    kept: Mutex<(u64, VecDeque<Recorded>)>,
}

impl RequestLog {
    fn push(&self, mut entry: Recorded) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.0 += 1;
        entry.seq = kept.0;
        if kept.1.len() == KEPT_REQUESTS {
            kept.1.pop_front();
        }
        kept.1.push_back(entry);
    }

    /// The kept requests that pass `keep`, oldest first.
    pub fn list(&self, keep: impl Fn(&Recorded) -> bool) -> Vec<Recorded> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.1.iter().filter(|r| keep(r)).cloned().collect()
    }

    pub fn clear(&self) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).1.clear();
    }
}

/// One line of the log, fields in this order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogLine {
    time: String,
    method: String,
    path: String,
    endpoint: Option<&'static str>,
    /// `None` when the connection was dropped.
    status: Option<u16>,
    duration_ms: f64,
    token_kind: &'static str,
    token: Option<String>,
    fault: Option<String>,
}

/// The logging middleware: keeps every API request in [`RequestLog`] and, with `--verbose`,
/// prints it.
pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/__emulator/") {
        return next.run(req).await;
    }
    let started = Instant::now();
    let at_ms = state.clock.now_ms();
    let method = req.method().to_string();
    let uri = req.uri().clone();
    let (token_kind, token) = describe_credential(req.headers().get(header::AUTHORIZATION));
    let resp = next.run(req).await;

    let outcome = resp.extensions().get::<Outcome>().cloned().unwrap_or_default();
    let status = (outcome.fault != Some(Fault::Drop)).then(|| resp.status().as_u16());
    if state.config.verbose {
        let line = LogLine {
            time: time::iso(at_ms),
            method: method.clone(),
            path: redact_target(&uri),
            endpoint: outcome.endpoint,
            status,
            duration_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            token_kind,
            token: token.clone(),
            fault: outcome.fault.map(|f| f.to_string()),
        };
        let line = serde_json::to_string(&line).unwrap_or_default();
        // One write per line, so that concurrent requests never interleave within a line.
        let _ = std::io::stderr().lock().write_all(format!("{line}\n").as_bytes());
    }
    state.requests.push(Recorded {
        seq: 0,
        at_ms,
        time: time::iso(at_ms),
        method,
        path: redact_path(uri.path()),
        query: uri.query().map(redacted_pairs).unwrap_or_default(),
        body: outcome.body.as_deref().map_or(Value::Null, redacted_body),
        endpoint: outcome.endpoint,
        status,
        token_kind,
        token,
    });
    resp
}

fn redact_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').map(|s| if looks_like_token(s) { REDACTED } else { s }).collect();
    segments.join("/")
}

/// Query pairs, decoded, with the values (or names) that look like credentials redacted.
fn redacted_pairs(query: &str) -> Vec<(String, String)> {
    let shown = |part: Option<&str>| part.map_or_else(|| REDACTED.to_string(), decoded);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match shown_pair(pair) {
            (None, _) => (REDACTED.to_string(), REDACTED.to_string()),
            (name, value) => (shown(name), shown(value)),
        })
        .collect()
}

/// One raw `name=value` pair of a query, `None` for what must not be shown: the whole pair
/// when the name looks like a token, the value when the name is a secret's or the value a
/// token.
fn shown_pair(pair: &str) -> (Option<&str>, Option<&str>) {
    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
    if looks_like_token(name) {
        (None, None)
    } else if is_secret_name(name) || looks_like_token(value) {
        (Some(name), None)
    } else {
        (Some(name), Some(value))
    }
}

/// A JSON body with every credential-like field redacted (names as in [`SECRET_NAMES`],
/// values holding a `df_`/`dft_` token); other bodies as a short description.
fn redacted_body(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    if bytes.len() > KEPT_BODY_BYTES {
        return Value::String(format!("({} bytes, not kept)", bytes.len()));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut json) => {
            redact_json(&mut json);
            json
        }
        Err(_) => Value::String(format!("(not JSON, {} bytes)", bytes.len())),
    }
}

fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let secret: Vec<String> = map.keys().filter(|k| is_secret_name(k)).cloned().collect();
            for key in secret {
                map.insert(key, Value::String(REDACTED.into()));
            }
            let renamed: Vec<String> = map.keys().filter(|k| looks_like_token(k)).cloned().collect();
            for key in renamed {
                map.remove(&key);
                map.insert(REDACTED.into(), Value::String(REDACTED.into()));
            }
            map.values_mut().for_each(redact_json);
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(text) if looks_like_token(text) || looks_like_provider_key(text) => *text = REDACTED.into(),
        _ => {}
    }
}

/// The `GET /__emulator/requests` filters: `endpoint` (a registry id), `method`, `since` (a
/// `seq`: only later requests).
#[derive(Debug, Default)]
pub struct RequestFilter {
    pub endpoint: Option<String>,
    pub method: Option<String>,
    pub since: Option<u64>,
}

impl RequestFilter {
    pub fn keeps(&self, r: &Recorded) -> bool {
        self.endpoint.as_deref().is_none_or(|e| r.endpoint == Some(e))
            && self.method.as_deref().is_none_or(|m| r.method.eq_ignore_ascii_case(m))
            && self.since.is_none_or(|since| r.seq > since)
    }
}

/// `(tokenKind, token)`: `none`/null without a header; `websiteKey` or `accountToken` with
/// the masked token; `malformed` (never shown) for anything else.
fn describe_credential(header: Option<&HeaderValue>) -> (&'static str, Option<String>) {
    let Some(header) = header else {
        return ("none", None);
    };
    let token = header.to_str().ok().and_then(auth::bearer_token);
    match token.and_then(|t| TokenKind::of(t).map(|kind| (t, kind))) {
        Some((token, kind)) => {
            let name = match kind {
                TokenKind::WebsiteKey => "websiteKey",
                TokenKind::AccountToken => "accountToken",
            };
            (name, Some(masked(token)))
        }
        None => ("malformed", Some(REDACTED.to_string())),
    }
}

fn masked(token: &str) -> String {
    let printable = token.chars().all(|c| c.is_ascii_graphic());
    if printable && token.len() >= MIN_MASKED_LEN {
        TokenKind::display_key(token)
    } else {
        REDACTED.to_string()
    }
}

/// The request target with anything credential-like replaced.
pub fn redact_target(uri: &Uri) -> String {
    let path = redact_path(uri.path());
    match uri.query() {
        Some(query) => format!("{path}?{}", redact_query(query)),
        None => path,
    }
}

fn redact_query(query: &str) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match shown_pair(pair) {
            (None, _) => REDACTED.to_string(),
            (Some(name), None) => format!("{name}={REDACTED}"),
            (Some(_), Some(_)) => pair.to_string(),
        })
        .collect();
    pairs.join("&")
}

fn is_secret_name(raw: &str) -> bool {
    let name = decoded(raw).to_ascii_lowercase();
    // `stripeRak`: a Stripe restricted key, named by its abbreviation.
    SECRET_NAMES.iter().any(|s| name.contains(s)) || name == "stripe_rak" || name == "striperak"
}

/// A payment provider's live key (`rk_live_…`, `pdl_live_…`), whatever field holds it.
fn looks_like_provider_key(text: &str) -> bool {
    text.starts_with("rk_live_") || text.starts_with("pdl_live_") || text.starts_with("sk_live_")
}

/// Holds a `df_`/`dft_` prefix anywhere, in any case, even percent-encoded (several times).
fn looks_like_token(raw: &str) -> bool {
    let text = decoded(raw).to_ascii_lowercase();
    text.contains("df_") || text.contains("dft_")
}

/// Percent- and `+`-decoding, repeated until stable (at most 4 rounds), lossy.
fn decoded(raw: &str) -> String {
    let mut text = raw.to_string();
    for _ in 0..4 {
        let next = percent_decode(&text);
        if next == text {
            break;
        }
        text = next;
    }
    text
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> String {
        redact_target(&s.parse::<Uri>().unwrap())
    }

    #[test]
    fn query_and_path_credentials_are_redacted() {
        assert_eq!(
            target("/api/v1/analytics/overview?websiteId=abc&token=hunter2&x=1"),
            "/api/v1/analytics/overview?websiteId=abc&token=[redacted]&x=1"
        );
        assert_eq!(target("/a?q=dft_SECRET"), "/a?q=[redacted]");
        assert_eq!(target("/a?q=Bearer%20dft%5FSECRET"), "/a?q=[redacted]");
        assert_eq!(target("/a?q=dft%255FSECRET"), "/a?q=[redacted]");
        assert_eq!(target("/a?df_SECRET"), "/a?[redacted]");
        assert_eq!(target("/a?api_key=x&apiKey=y"), "/a?api_key=[redacted]&apiKey=[redacted]");
        assert_eq!(target("/a/df_SECRET/b"), "/a/[redacted]/b");
        assert_eq!(target("/a?period=7d&groupBy=page"), "/a?period=7d&groupBy=page");
    }

    #[test]
    fn kept_bodies_and_queries_hide_credentials() {
        let body =
            br#"{"name":"ok","stripeRak":"rk_live_x","nested":{"apiKey":"x","note":"Bearer dft_abc"},"list":["df_k"]}"#;
        assert_eq!(
            redacted_body(body),
            serde_json::json!({"name":"ok","stripeRak":"[redacted]","nested":{"apiKey":"[redacted]","note":"[redacted]"},"list":["[redacted]"]})
        );
        assert_eq!(redacted_body(b""), Value::Null);
        assert_eq!(redacted_body(b"not json"), Value::String("(not JSON, 8 bytes)".into()));
        assert_eq!(
            redacted_pairs("websiteId=abc&token=t&q=dft_x&start%41t=2026-01-01"),
            vec![
                ("websiteId".to_string(), "abc".to_string()),
                ("token".to_string(), REDACTED.to_string()),
                ("q".to_string(), REDACTED.to_string()),
                ("startAt".to_string(), "2026-01-01".to_string()),
            ]
        );
        assert_eq!(redact_path("/api/v1/x/dft_secret/y"), "/api/v1/x/[redacted]/y");
    }

    #[test]
    fn the_request_list_is_bounded_and_numbered() {
        let log = RequestLog::default();
        let entry = |path: &str| Recorded {
            seq: 0,
            at_ms: 0,
            time: String::new(),
            method: "GET".into(),
            path: path.into(),
            query: Vec::new(),
            body: Value::Null,
            endpoint: Some("analytics.overview"),
            status: Some(200),
            token_kind: "none",
            token: None,
        };
        for i in 0..KEPT_REQUESTS + 5 {
            log.push(entry(&format!("/{i}")));
        }
        let kept = log.list(|_| true);
        assert_eq!(kept.len(), KEPT_REQUESTS);
        assert_eq!(kept.first().map(|r| r.seq), Some(6));
        let since = RequestFilter { since: Some(1_000), ..RequestFilter::default() };
        assert_eq!(log.list(|r| since.keeps(r)).len(), 5);
        log.clear();
        assert!(log.list(|_| true).is_empty());
    }

    #[test]
    fn credentials_are_masked_or_hidden() {
        let long = format!("dft_{}", "a".repeat(32));
        let (kind, shown) = describe_credential(Some(&HeaderValue::from_str(&format!("Bearer {long}")).unwrap()));
        assert_eq!((kind, shown), ("accountToken", Some(TokenKind::display_key(&long))));
        for value in
            ["Token dft_secretsecretsecretsecret", "dft_secretsecretsecretsecret", "Bearer xyz", "Bearer df_short"]
        {
            let (_, shown) = describe_credential(Some(&HeaderValue::from_str(value).unwrap()));
            assert_eq!(shown.as_deref(), Some(REDACTED), "{value}");
        }
        assert_eq!(describe_credential(None), ("none", None));
    }
}
