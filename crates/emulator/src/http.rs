//! Response shapes: the success and error envelopes (CONTRACT 2.1, 2.2), the flat 429 body
//! (2.4) and the `X-RateLimit-*` headers; and the HTTP-layer refusals the server controls
//! (oversized request line and headers, oversized or slow bodies), in the same envelope.

use crate::conn::Limits;
use crate::ratelimit::Verdict;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use datafast_contract::rules::RuleViolation;
use http_body_util::BodyExt;
use serde_json::{json, Value};

pub const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
pub const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
pub const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// A failed request, answered with the error envelope (or, for `POST /payments`, the bare
/// `{"error": …}` body). Messages must never contain a credential: build them from ids,
/// field names and rules only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// `true`: answer `{"error": message}` without the envelope (CONTRACT 2.3(2)).
    pub bare: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), bare: false }
    }
    /// The same error with the bare `{"error": message}` body.
    pub fn into_bare(self) -> ApiError {
        ApiError { bare: true, ..self }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message)
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }
}

/// Broken input rules are 400s whose message names the field and the rule.
impl From<RuleViolation> for ApiError {
    fn from(v: RuleViolation) -> ApiError {
        ApiError::bad_request(v.to_string())
    }
}

pub fn error_body(status: StatusCode, message: &str) -> Value {
    json!({ "status": "error", "error": { "code": status.as_u16(), "message": message } })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = if self.bare { json!({ "error": self.message }) } else { error_body(self.status, &self.message) };
        (self.status, Json(body)).into_response()
    }
}

/// A successful answer: the whole JSON body, so routes with documented exceptions to the
/// envelope (`POST /payments`) can answer bare.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// `{"status":"success","data":…}`.
    pub fn data(data: Value) -> Reply {
        Reply { status: StatusCode::OK, body: json!({ "status": "success", "data": data }) }
    }

    /// A 200 with `body` as the whole answer, no envelope (`POST /payments`, CONTRACT 2.3(1)).
    pub fn bare(body: Value) -> Reply {
        Reply { status: StatusCode::OK, body }
    }

    /// Adds a documented top-level sibling of `data` (`colors`, `counts`).
    pub fn with(mut self, key: &str, value: Value) -> Reply {
        if let Some(obj) = self.body.as_object_mut() {
            obj.insert(key.to_string(), value);
        }
        self
    }

    /// The envelope plus `pagination {limit, offset, total}` (breakdowns, timeseries).
    pub fn page(data: Value, limit: u32, offset: u64, total: usize) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: json!({
                "status": "success",
                "data": data,
                "pagination": { "limit": limit, "offset": offset, "total": total },
            }),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

pub fn apply_rate_limit_headers(headers: &mut HeaderMap, v: &Verdict) {
    headers.insert(X_RATELIMIT_LIMIT, HeaderValue::from(v.limit));
    headers.insert(X_RATELIMIT_REMAINING, HeaderValue::from(v.remaining));
    headers.insert(X_RATELIMIT_RESET, HeaderValue::from(v.reset));
}

/// The 429 answer: a flat body (not the error envelope) plus the headers.
pub fn too_many_requests(v: &Verdict, now_s: u64) -> Response {
    let body = json!({
        "error": "Too many requests",
        "message": format!("Rate limit exceeded, retry after {} seconds", v.retry_after(now_s)),
        "limit": v.limit,
        "remaining": 0,
        "reset": v.reset,
    });
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    apply_rate_limit_headers(resp.headers_mut(), v);
    resp
}

/// Money and rates: 2 decimals, whole numbers without a fraction (`28450`, `2.29`).
pub fn number(x: f64) -> Value {
    let r = (x * 100.0).round() / 100.0;
    if !r.is_finite() {
        return json!(0);
    }
    if r.fract() == 0.0 && r.abs() < 9e15 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// Decoded query parameters in request order. Lookups take the first occurrence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(uri: &axum::http::Uri) -> Result<Query, ApiError> {
        axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|q| Query(q.0))
            .map_err(|_| ApiError::bad_request("the query string is not valid URL encoding"))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Like [`Query::get`], but an empty value counts as absent (`?websiteId=`).
    pub fn get_nonempty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

// ---- HTTP-layer limits ----

/// Request bodies larger than this are refused (the API's bodies are tiny).
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Bodies up to this size are read to their end, and discarded, before the 413: a client
/// that writes its whole body before reading (as `fetch` does) then receives the answer
/// instead of a reset. Larger ones are refused at once and the connection closed.
pub const DRAIN_MAX_BYTES: u64 = 32 << 20;
/// Longest request target (path and query) answered with the envelope's 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most header fields, and most header bytes, answered with the envelope's 431. Beyond
/// hyper's own bounds (1000 fields, about 400 KB) hyper answers 431 with an empty body.
pub const MAX_HEADERS: usize = 100;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// A request body that could not be taken: the error envelope, and `Connection: close` when
/// part of the body was left unread (the connection cannot carry another request).
#[derive(Debug)]
pub struct BodyRefused {
    error: ApiError,
    close: bool,
}

impl IntoResponse for BodyRefused {
    fn into_response(self) -> Response {
        let mut resp = self.error.into_response();
        if self.close {
            resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        resp
    }
}

fn too_large(close: bool) -> BodyRefused {
    let error = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request body is larger than 1 MiB");
    BodyRefused { error, close }
}

/// The whole body, at most [`MAX_BODY_BYTES`], read within the connection's
/// [`Limits::body_read`] (the defaults when served in-process).
pub async fn read_body(parts: &Parts, mut body: Body) -> Result<Bytes, BodyRefused> {
    let limits = parts.extensions.get::<Limits>().copied().unwrap_or_default();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_MAX_BYTES) {
        return Err(too_large(true));
    }
    let mut kept: Vec<u8> = Vec::new();
    let mut seen: u64 = 0;
    let read = async {
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                let error = ApiError::bad_request("the request body could not be read to its end");
                return Err(BodyRefused { error, close: true });
            };
            if let Ok(data) = frame.into_data() {
                seen += data.len() as u64;
                if seen > DRAIN_MAX_BYTES {
                    return Err(too_large(true));
                }
                if seen <= MAX_BODY_BYTES as u64 {
                    kept.extend_from_slice(&data);
                }
            }
        }
        Ok(())
    };
    match tokio::time::timeout(limits.body_read, read).await {
        Err(_) => {
            let message =
                format!("the request body did not arrive within {} s of its headers", limits.body_read.as_secs_f64());
            Err(BodyRefused { error: ApiError::new(StatusCode::REQUEST_TIMEOUT, message), close: true })
        }
        Ok(Err(refused)) => Err(refused),
        // Read to its end: the connection stays usable.
        Ok(Ok(())) if seen > MAX_BODY_BYTES as u64 => Err(too_large(false)),
        Ok(Ok(())) => Ok(Bytes::from(kept)),
    }
}

/// Middleware, outside all routing: a request line or header block beyond the limits above
/// is refused with the error envelope (hyper's own refusals, past its larger bounds, have an
/// empty body); then the body is read in full, under the limits, before any route answers.
/// So even a 404 or an injected fault reaches a client still writing its body.
pub async fn enforce_limits(req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        let message = format!("the request target is {target} bytes long; at most {MAX_URI_BYTES} are accepted");
        return ApiError::new(StatusCode::URI_TOO_LONG, message).into_response();
    }
    let count = req.headers().len();
    // Name, value, ": " and CRLF, as on the wire.
    let bytes: usize = req.headers().iter().map(|(n, v)| n.as_str().len() + v.len() + 4).sum();
    if count > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        let message = format!(
            "the request has {count} header fields of {bytes} bytes; at most {MAX_HEADERS} fields and {MAX_HEADER_BYTES} bytes are accepted"
        );
        return ApiError::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, message).into_response();
    }
    let (parts, body) = req.into_parts();
    match read_body(&parts, body).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(refused) => refused.into_response(),
    }
}
