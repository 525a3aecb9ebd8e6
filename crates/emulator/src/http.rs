//! Response shapes: the success and error envelopes (CONTRACT 2.1, 2.2), the flat 429 body
//! (2.4) and the `X-RateLimit-*` headers.

use crate::ratelimit::Verdict;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use datafast_contract::rules::RuleViolation;
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
    /// A registry route whose behaviour the emulator does not have yet: say so honestly.
    pub fn not_implemented(endpoint_id: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_IMPLEMENTED, format!("{endpoint_id} is not implemented by this emulator yet"))
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
