//! The one error type of the client. The wasm layer turns it into a JS `DataFastError`.

use std::fmt;

/// Declares the codes once: the enum, [`ErrorCode::ALL`] and the strings JS sees.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// Stable, machine-readable error codes (`DataFastError.code`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorCode { $($(#[$doc])* $variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $name,)* }
            }
        }
    };
}

error_codes! {
    /// Thrown before anything is sent (status 0).
    InvalidOptions => "invalid_options",
    InvalidToken => "invalid_token",
    TokenNotAllowed => "token_not_allowed",
    MissingWebsiteId => "missing_website_id",
    InvalidParams => "invalid_params",
    BrowserNotAllowed => "browser_not_allowed",
    /// The client was freed (`free()` or `using`) before the call.
    ClientClosed => "client_closed",
    /// The request did not complete (status 0).
    Timeout => "timeout",
    NetworkError => "network_error",
    /// The caller's `AbortSignal` fired; `cause` is the signal's reason.
    Aborted => "aborted",
    /// The server answered.
    BadRequest => "bad_request",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    RequestTimeout => "request_timeout",
    Conflict => "conflict",
    PayloadTooLarge => "payload_too_large",
    RateLimited => "rate_limited",
    ServerError => "server_error",
    HttpError => "http_error",
    /// A success status with a body that is not the documented shape.
    InvalidResponse => "invalid_response",
}

impl ErrorCode {
    pub fn for_status(status: u16) -> ErrorCode {
        use ErrorCode::*;
        match status {
            400 | 422 => BadRequest,
            401 => Unauthorized,
            403 => Forbidden,
            404 => NotFound,
            405 => MethodNotAllowed,
            408 => RequestTimeout,
            409 => Conflict,
            413 => PayloadTooLarge,
            429 => RateLimited,
            500..=599 => ServerError,
            _ => HttpError,
        }
    }

    /// Whether trying again later may succeed: connection failures, timeouts, 408, 429 and
    /// 5xx except 501 (409 here means a duplicate, not a lock conflict, so it is final).
    pub fn is_transient(self, status: u16) -> bool {
        match self {
            ErrorCode::Timeout | ErrorCode::NetworkError | ErrorCode::RequestTimeout | ErrorCode::RateLimited => true,
            ErrorCode::ServerError => status != 501,
            _ => false,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `X-RateLimit-*` state the server reported (or the 429 body's copy of it).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RateLimit {
    pub limit: Option<f64>,
    pub remaining: Option<f64>,
    /// Unix seconds when the window resets.
    pub reset: Option<f64>,
}

impl RateLimit {
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.remaining.is_none() && self.reset.is_none()
    }

    /// Parses the three headers; values that are not whole numbers are ignored. (Integer
    /// parsing also keeps Rust's float parser, and its tables, out of the wasm.)
    pub fn from_headers(limit: Option<&str>, remaining: Option<&str>, reset: Option<&str>) -> Self {
        let num = |s: Option<&str>| s.and_then(|v| v.trim().parse::<u64>().ok()).map(|n| n as f64);
        RateLimit { limit: num(limit), remaining: num(remaining), reset: num(reset) }
    }

    /// Headers win; the body fills what they lack.
    pub fn or(self, other: RateLimit) -> RateLimit {
        RateLimit {
            limit: self.limit.or(other.limit),
            remaining: self.remaining.or(other.remaining),
            reset: self.reset.or(other.reset),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientError {
    /// HTTP status, or 0 when no response was received.
    pub status: u16,
    pub code: ErrorCode,
    /// Human-readable; never contains a token.
    pub message: String,
    /// The registry id of the endpoint called, when known.
    pub endpoint: Option<&'static str>,
    /// The input field at fault, for `InvalidParams`.
    pub field: Option<String>,
    pub rate_limit: Option<RateLimit>,
    /// Whether this client retries this failure of this request (a transient failure of a
    /// request that is safe to repeat), whether or not attempts or time were left. Set by
    /// the call ([`crate::core::call`]); errors raised outside a call are never retryable.
    pub retryable: bool,
}

impl ClientError {
    /// An error raised before sending anything.
    pub fn local(code: ErrorCode, message: impl Into<String>) -> Self {
        ClientError {
            status: 0,
            code,
            message: message.into(),
            endpoint: None,
            field: None,
            rate_limit: None,
            retryable: false,
        }
    }

    pub fn http(status: u16, message: impl Into<String>) -> Self {
        ClientError { status, ..Self::local(ErrorCode::for_status(status), message) }
    }

    pub fn invalid_param(field: impl Into<String>, rule: impl fmt::Display) -> Self {
        let field = field.into();
        ClientError { field: Some(field.clone()), ..Self::local(ErrorCode::InvalidParams, format!("`{field}` {rule}")) }
    }

    pub fn at(mut self, endpoint: &'static str) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Whether trying again later may succeed, regardless of the request (see
    /// [`ErrorCode::is_transient`]).
    pub fn is_transient(&self) -> bool {
        self.code.is_transient(self.status)
    }
}

impl From<datafast_contract::rules::RuleViolation> for ClientError {
    fn from(v: datafast_contract::rules::RuleViolation) -> Self {
        ClientError::invalid_param(v.field, v.rule)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(ep) = self.endpoint {
            write!(f, "{ep}: ")?;
        }
        write!(f, "{} ({}", self.message, self.code)?;
        if self.status != 0 {
            write!(f, ", HTTP {}", self.status)?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ClientError {}
