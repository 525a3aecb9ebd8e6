//! The request log (`--verbose`): one JSON object per line on stderr (stdout carries the
//! start-up banner that scripts read), written when the response is ready:
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
use std::io::Write;
use std::sync::Arc;
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

/// The logging middleware; a pass-through unless the log is on.
pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if !state.config.verbose {
        return next.run(req).await;
    }
    let started = Instant::now();
    let time = time::iso(time::now_ms());
    let method = req.method().to_string();
    let path = redact_target(req.uri());
    let (token_kind, token) = describe_credential(req.headers().get(header::AUTHORIZATION));
    let resp = next.run(req).await;

    let outcome = resp.extensions().get::<Outcome>().cloned().unwrap_or_default();
    let line = LogLine {
        time,
        method,
        path,
        endpoint: outcome.endpoint,
        status: (outcome.fault != Some(Fault::Drop)).then(|| resp.status().as_u16()),
        duration_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        token_kind,
        token,
        fault: outcome.fault.map(|f| f.to_string()),
    };
    let line = serde_json::to_string(&line).unwrap_or_default();
    // One write per line, so that concurrent requests never interleave within a line.
    let _ = std::io::stderr().lock().write_all(format!("{line}\n").as_bytes());
    resp
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
    let path: Vec<&str> =
        uri.path().split('/').map(|segment| if looks_like_token(segment) { REDACTED } else { segment }).collect();
    let path = path.join("/");
    match uri.query() {
        Some(query) => format!("{path}?{}", redact_query(query)),
        None => path,
    }
}

fn redact_query(query: &str) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if looks_like_token(name) {
                REDACTED.to_string()
            } else if is_secret_name(name) || looks_like_token(value) {
                format!("{name}={REDACTED}")
            } else {
                pair.to_string()
            }
        })
        .collect();
    pairs.join("&")
}

fn is_secret_name(raw: &str) -> bool {
    let name = decoded(raw).to_ascii_lowercase();
    SECRET_NAMES.iter().any(|s| name.contains(s))
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
