//! Classifying a response: what the caller gets, or which error.
//!
//! The transport lets the runtime parse JSON and reports only the envelope facts below, so the
//! `data` payload never crosses into Rust (it is handed back to the caller untouched).

use super::error::{ClientError, ErrorCode, RateLimit};
use datafast_contract::ResultShape;

/// What the transport saw in a body.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyView {
    Empty,
    /// Not JSON (an HTML error page from a proxy, say): a short, whitespace-collapsed prefix.
    NotJson {
        snippet: String,
    },
    Json(EnvelopeFacts),
    /// Larger than [`crate::core::call::MAX_BODY_BYTES`]: not read.
    TooLarge {
        bytes: u64,
    },
}

impl BodyView {
    /// The rate-limit numbers the body carries (a 429's flat body), if any.
    pub fn rate_limit(&self) -> RateLimit {
        match self {
            BodyView::Json(facts) => facts.rate_limit,
            _ => RateLimit::default(),
        }
    }
}

/// The few top-level facts of a JSON body the client needs to classify it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvelopeFacts {
    /// The body is a JSON object (not an array or a scalar).
    pub is_object: bool,
    /// `status` when it is a string (`"success"` / `"error"`).
    pub status: Option<String>,
    pub has_data: bool,
    /// The envelope's `error.code` and `error.message`.
    pub error_code: Option<f64>,
    pub error_message: Option<String>,
    /// `error` when it is a string: payments' bare `{error}` and the flat 429 body.
    pub error_text: Option<String>,
    /// Top-level `message` (429 body, bare payment success).
    pub message: Option<String>,
    /// Top-level `limit` / `remaining` / `reset` numbers (429 body).
    pub rate_limit: RateLimit,
}

#[cfg(any(test, feature = "json"))]
impl BodyView {
    /// The view of a body a native transport parsed with serde_json (`None`: not JSON, or
    /// empty; use [`BodyView::from_text`] for those).
    pub fn from_json(json: Option<&serde_json::Value>) -> BodyView {
        let Some(json) = json else { return BodyView::Empty };
        let obj = json.as_object();
        let get = |k: &str| obj.and_then(|o| o.get(k));
        let num = |k: &str| get(k).and_then(|v| v.as_f64());
        let error = get("error");
        BodyView::Json(EnvelopeFacts {
            is_object: obj.is_some(),
            status: get("status").and_then(|v| v.as_str()).map(String::from),
            has_data: get("data").is_some(),
            error_code: error.and_then(|e| e.get("code")).and_then(|c| c.as_f64()),
            error_message: error.and_then(|e| e.get("message")).and_then(|m| m.as_str()).map(String::from),
            error_text: error.and_then(|e| e.as_str()).map(String::from),
            message: get("message").and_then(|v| v.as_str()).map(String::from),
            rate_limit: RateLimit { limit: num("limit"), remaining: num("remaining"), reset: num("reset") },
        })
    }

    /// The view of a raw body: JSON facts when it parses, else empty or a snippet.
    pub fn from_text(text: &str) -> (BodyView, Option<serde_json::Value>) {
        if text.is_empty() {
            return (BodyView::Empty, None);
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => (BodyView::from_json(Some(&json)), Some(json)),
            Err(_) => (BodyView::NotJson { snippet: snippet(text) }, None),
        }
    }
}

/// Which part of a success body to hand back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivered {
    /// `data[0]`, or `data` itself when it is not an array.
    FirstOfData,
    /// `data` as it is.
    Data,
    /// The body without its `status` key (pages and envelopes with siblings).
    BodyWithoutStatus,
    /// The body as it is (routes without the envelope).
    Body,
    /// Nothing (204).
    Nothing,
}

/// Longest body prefix quoted in an error message.
pub const SNIPPET_MAX: usize = 160;

/// Collapses whitespace and cuts a non-JSON body for an error message.
pub fn snippet(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > SNIPPET_MAX {
            let cut: String = out.chars().take(SNIPPET_MAX).collect();
            return cut + "…";
        }
    }
    out
}

/// Classifies a response by HTTP status, the `X-RateLimit-*` headers and the body facts.
pub fn classify(
    status: u16,
    header_rate_limit: RateLimit,
    body: &BodyView,
    shape: ResultShape,
) -> Result<Delivered, ClientError> {
    let facts = match body {
        BodyView::Json(f) => Some(f),
        _ => None,
    };
    let rate_limit = header_rate_limit.or(facts.map(|f| f.rate_limit).unwrap_or_default());
    let with_rate_limit = |mut e: ClientError| {
        if !rate_limit.is_empty() {
            e.rate_limit = Some(rate_limit);
        }
        e
    };
    let success = (200..300).contains(&status);

    if let Some(f) = facts.filter(|f| f.is_object) {
        let says_error = f.status.as_deref() == Some("error") || f.error_message.is_some() || f.error_text.is_some();
        if says_error && !(success && shape == ResultShape::Bare && f.error_text.is_none() && f.error_message.is_none())
        {
            let effective = if success {
                f.error_code.filter(|c| (400.0..600.0).contains(c)).map_or(400, |c| c as u16)
            } else {
                status
            };
            let message = f
                .error_message
                .clone()
                .or_else(|| f.message.clone())
                .or_else(|| f.error_text.clone())
                .unwrap_or_else(|| format!("HTTP {effective}"));
            return Err(with_rate_limit(ClientError::http(effective, message)));
        }
    }

    if !success {
        let message = match body {
            BodyView::Empty => format!("HTTP {status} with an empty body"),
            BodyView::NotJson { snippet } => format!("HTTP {status} with a non-JSON body: {snippet}"),
            BodyView::Json(_) => format!("HTTP {status} without an error message"),
            BodyView::TooLarge { bytes } => format!("HTTP {status} with a body of {bytes} bytes, too large to read"),
        };
        return Err(with_rate_limit(ClientError::http(status, message)));
    }

    let invalid = |what: &str| {
        let mut e = ClientError::http(status, format!("HTTP {status} but {what}"));
        e.code = ErrorCode::InvalidResponse;
        with_rate_limit(e)
    };
    match (body, shape) {
        (BodyView::Empty, _) if status == 204 => Ok(Delivered::Nothing),
        (BodyView::Empty, _) => Err(invalid("the body is empty")),
        (BodyView::NotJson { snippet }, _) => Err(invalid(&format!("the body is not JSON: {snippet}"))),
        (BodyView::TooLarge { bytes }, _) => Err(invalid(&format!(
            "the body ({bytes} bytes) is larger than the client reads ({} bytes)",
            crate::core::call::MAX_BODY_BYTES
        ))),
        (BodyView::Json(f), _) if !f.is_object => Err(invalid("the body is not a JSON object")),
        (BodyView::Json(_), ResultShape::Bare) => Ok(Delivered::Body),
        (BodyView::Json(f), _) if !f.has_data => Err(invalid("the body has no `data`")),
        (_, ResultShape::One) => Ok(Delivered::FirstOfData),
        (_, ResultShape::List) => Ok(Delivered::Data),
        (_, ResultShape::Page | ResultShape::Envelope) => Ok(Delivered::BodyWithoutStatus),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(json: serde_json::Value) -> BodyView {
        BodyView::from_json(Some(&json))
    }
    fn no_headers() -> RateLimit {
        RateLimit::default()
    }

    #[test]
    fn success_envelope_by_shape() {
        let body = facts(serde_json::json!({"status":"success","data":[{"visitors":1}]}));
        assert_eq!(classify(200, no_headers(), &body, ResultShape::One), Ok(Delivered::FirstOfData));
        assert_eq!(classify(200, no_headers(), &body, ResultShape::List), Ok(Delivered::Data));
        let page =
            facts(serde_json::json!({"status":"success","data":[],"pagination":{"limit":1,"offset":0,"total":0}}));
        assert_eq!(classify(200, no_headers(), &page, ResultShape::Page), Ok(Delivered::BodyWithoutStatus));
    }

    #[test]
    fn error_envelope() {
        let body =
            facts(serde_json::json!({"status":"error","error":{"code":403,"message":"Token lacks analytics:read"}}));
        let headers = RateLimit::from_headers(Some("60"), Some("12"), Some("1716249600"));
        let e = classify(403, headers, &body, ResultShape::One).unwrap_err();
        assert_eq!((e.status, e.code), (403, ErrorCode::Forbidden));
        assert_eq!(e.message, "Token lacks analytics:read");
        assert_eq!(
            e.rate_limit,
            Some(RateLimit { limit: Some(60.0), remaining: Some(12.0), reset: Some(1716249600.0) })
        );
        assert!(!e.is_transient());
    }

    #[test]
    fn payments_bare_bodies() {
        let ok =
            facts(serde_json::json!({"message":"Payment recorded and attributed successfully","transaction_id":"p1"}));
        assert_eq!(classify(200, no_headers(), &ok, ResultShape::Bare), Ok(Delivered::Body));
        let bad = facts(serde_json::json!({"error":"amount is required"}));
        let e = classify(400, no_headers(), &bad, ResultShape::Bare).unwrap_err();
        assert_eq!((e.status, e.code, e.message.as_str()), (400, ErrorCode::BadRequest, "amount is required"));
        // A bare {error} even with a 200 is an error.
        let e = classify(200, no_headers(), &bad, ResultShape::Bare).unwrap_err();
        assert_eq!(e.status, 400);
    }

    #[test]
    fn flat_429_body() {
        let body = facts(
            serde_json::json!({"error":"Too many requests","message":"Rate limit exceeded, retry after 30 seconds",
            "limit":60,"remaining":0,"reset":1716249600}),
        );
        let e = classify(429, no_headers(), &body, ResultShape::One).unwrap_err();
        assert_eq!((e.status, e.code), (429, ErrorCode::RateLimited));
        assert_eq!(e.message, "Rate limit exceeded, retry after 30 seconds");
        assert_eq!(e.rate_limit.unwrap().reset, Some(1716249600.0));
        assert!(e.is_transient());
        // Headers win over the body where both speak.
        let e = classify(429, RateLimit::from_headers(Some("100"), None, None), &body, ResultShape::One).unwrap_err();
        assert_eq!(e.rate_limit.unwrap().limit, Some(100.0));
    }

    #[test]
    fn html_502_from_a_proxy() {
        let body =
            BodyView::NotJson { snippet: snippet("<html>\n  <head><title>502 Bad Gateway</title></head>\n</html>") };
        let e = classify(502, no_headers(), &body, ResultShape::One).unwrap_err();
        assert_eq!((e.status, e.code), (502, ErrorCode::ServerError));
        assert_eq!(
            e.message,
            "HTTP 502 with a non-JSON body: <html> <head><title>502 Bad Gateway</title></head> </html>"
        );
        assert!(e.is_transient());
        assert!(snippet(&"x ".repeat(500)).chars().count() <= SNIPPET_MAX + 1);
    }

    #[test]
    fn empty_bodies() {
        let e = classify(503, no_headers(), &BodyView::Empty, ResultShape::One).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::ServerError, "HTTP 503 with an empty body"));
        assert_eq!(classify(204, no_headers(), &BodyView::Empty, ResultShape::One), Ok(Delivered::Nothing));
        let e = classify(200, no_headers(), &BodyView::Empty, ResultShape::One).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse);
        assert!(!ClientError::http(501, "x").is_transient());
    }

    #[test]
    fn bodies_too_large_to_read() {
        let huge = BodyView::TooLarge { bytes: 50_000_000 };
        let e = classify(200, no_headers(), &huge, ResultShape::One).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse);
        assert!(e.message.contains("50000000 bytes"), "{}", e.message);
        let e = classify(503, no_headers(), &huge, ResultShape::One).unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::ServerError, 503));
    }

    #[test]
    fn success_status_with_wrong_shapes() {
        let e = classify(200, no_headers(), &BodyView::NotJson { snippet: "ok".into() }, ResultShape::One).unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::InvalidResponse, 200));
        let e = classify(200, no_headers(), &facts(serde_json::json!([1, 2])), ResultShape::List).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse);
        let e =
            classify(200, no_headers(), &facts(serde_json::json!({"status":"success"})), ResultShape::One).unwrap_err();
        assert!(e.message.contains("no `data`"));
        // An error envelope sent with 200 is still an error, with the envelope's code.
        let body = facts(serde_json::json!({"status":"error","error":{"code":404,"message":"Visitor not found"}}));
        let e = classify(200, no_headers(), &body, ResultShape::One).unwrap_err();
        assert_eq!((e.status, e.code), (404, ErrorCode::NotFound));
    }
}
