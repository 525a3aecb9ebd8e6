//! The blocking driver of the core's call state machine: the native twin of js/driver.js.
//!
//! The core plans each call and decides every step (validation, retries, backoff, rate-limit
//! waits, the time budget); this file only does what a step asks: an HTTP exchange with the
//! step's timeout, or a sleep, and hands each outcome back.

use crate::error::{CliError, Result};
use datafast_contract::{registry, Endpoint};
use datafast_wasm::core::call::MAX_BODY_BYTES;
use datafast_wasm::core::request::normalize_base_url;
use datafast_wasm::core::{
    BodyView, Call, CallOptions, ClientConfig, ClientError, Credentials, Delivered, Failure, Pacer, RateLimit,
    ResponseHead, Step, Value,
};
use serde_json::Value as Json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ureq::http;

pub const USER_AGENT: &str = concat!("datafast-cli/", env!("CARGO_PKG_VERSION"));

/// One credential against one origin, as both drivers (this blocking one and the MCP
/// server's async one) hold it: how a call starts and what its requests carry. The token
/// lives here and only goes into the `Authorization` header. Calls are paced: once a response
/// says the rate-limit window is spent, the next call waits for its reset (within its time
/// budget) instead of drawing a 429, so `--all` walks, bulk commands and agents looping over
/// tools stay under the limit.
pub struct Session {
    token: String,
    base_url: String,
    options: CallOptions,
    pacer: Pacer,
}

impl Session {
    pub fn new(token: &str, base_url: &str, options: CallOptions) -> std::result::Result<Session, ClientError> {
        // The form is checked here too, so a bad token fails before any prompt or request.
        Credentials::new(token, None)?;
        let base_url = normalize_base_url(base_url)?;
        let pacer = Pacer::shared(token, &base_url);
        Ok(Session { token: token.to_string(), base_url, options, pacer })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Plans a paced call to `endpoint` and answers its first step; `website` is the website
    /// Website API routes act on with an account token.
    pub fn start(
        &self,
        endpoint: &'static Endpoint,
        ids: &[String],
        params: Option<Value>,
        website: Option<String>,
    ) -> std::result::Result<(Call, Step), ClientError> {
        let mut config = ClientConfig::new(Credentials::new(&self.token, website)?, self.base_url.clone());
        config.pacer = Some(self.pacer.clone());
        Call::start(endpoint, &config, self.options.clone(), ids, params, now_ms())
    }

    /// The headers of the current attempt of `call`.
    pub fn headers(&self, call: &Call) -> Vec<(String, String)> {
        let mut headers = vec![
            ("Authorization".to_string(), format!("Bearer {}", self.token)),
            ("Accept".to_string(), "application/json".to_string()),
        ];
        headers.extend(call.extra_headers().iter().cloned());
        if call.request().body.is_some() {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        }
        headers
    }
}

/// The blocking client of the CLI's commands.
pub struct Client {
    agent: ureq::Agent,
    session: Session,
}

impl Client {
    pub fn new(token: &str, base_url: &str, options: CallOptions) -> Result<Client> {
        let session = Session::new(token, base_url, options)?;
        let agent = ureq::Agent::config_builder().http_status_as_error(false).user_agent(USER_AGENT).build().into();
        Ok(Client { agent, session })
    }

    pub fn is_account_token(&self) -> bool {
        self.session.token().starts_with("dft_")
    }

    /// Calls `endpoint` with its path ids and input; `website` is the website Website API
    /// routes act on with an account token. Answers the part of the body the core picks.
    pub fn call(
        &self,
        endpoint: &'static Endpoint,
        ids: &[String],
        params: Option<Value>,
        website: Option<String>,
    ) -> Result<Json> {
        // Timeout and retries come with each call's options (`--timeout`, `--max-retries`).
        let (mut call, mut step) = self.session.start(endpoint, ids, params, website)?;
        let mut last_body = None;
        loop {
            step = match step {
                Step::Send { timeout_ms } => match self.exchange(&call, timeout_ms) {
                    Ok(exchanged) => exchanged.feed(&mut call, &mut last_body),
                    Err(failure) => call.on_failure(failure, now_ms(), random()),
                },
                Step::Wait { ms } => {
                    std::thread::sleep(Duration::from_millis(u64::from(ms)));
                    call.on_wait_over(now_ms())
                }
                Step::Done(success) => return Ok(deliver(success.delivered, last_body.take())),
                Step::Fail(e) => return Err(e.into()),
            };
        }
    }

    /// One attempt: the request, the response head and the body as the core views it (and
    /// parsed, for delivering).
    fn exchange(&self, call: &Call, timeout_ms: u32) -> std::result::Result<Exchanged, Failure> {
        let planned = call.request();
        let mut builder = http::Request::builder().method(planned.method.as_str()).uri(&planned.url);
        for (name, value) in self.session.headers(call) {
            builder = builder.header(name, value);
        }
        // The URL and headers were checked by the core; a failure here is a driver bug, reported
        // without the request (which holds the token).
        let request = builder
            .body(planned.body.clone().unwrap_or_default())
            .map_err(|_| Failure::Network("the request could not be built".to_string()))?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(Duration::from_millis(u64::from(timeout_ms))))
            .build();
        let mut response = self.agent.run(request).map_err(failure_of)?;
        let head = Head::of(response.status().as_u16(), response.headers());
        let declared =
            response.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if let Some(bytes) = declared.filter(|b| *b > u64::from(MAX_BODY_BYTES)) {
            return Ok(Exchanged::too_large(head, bytes));
        }
        match response.body_mut().with_config().limit(u64::from(MAX_BODY_BYTES)).read_to_vec() {
            Ok(bytes) => Ok(Exchanged::read(head, &bytes)),
            Err(ureq::Error::BodyExceedsLimit(bytes)) => Ok(Exchanged::too_large(head, bytes)),
            Err(e) => Err(failure_of(e)),
        }
    }
}

/// What the core reads of a response head, whichever HTTP client (this blocking one, or the
/// MCP server's async one) received it.
pub struct Head {
    status: u16,
    rate_limit: RateLimit,
    retry_after: Option<String>,
}

impl Head {
    pub fn of(status: u16, headers: &http::HeaderMap) -> Head {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Head {
            status,
            rate_limit: RateLimit::from_headers(
                header("x-ratelimit-limit"),
                header("x-ratelimit-remaining"),
                header("x-ratelimit-reset"),
            ),
            retry_after: header("retry-after").map(str::to_string),
        }
    }
}

/// One attempt's answer: its head, its body as the core views it, and parsed for delivering.
pub struct Exchanged {
    head: Head,
    view: BodyView,
    body: Option<Json>,
}

impl Exchanged {
    /// A body of `bytes`, read whole.
    pub fn read(head: Head, bytes: &[u8]) -> Exchanged {
        let (view, body) = BodyView::from_text(&String::from_utf8_lossy(bytes));
        Exchanged { head, view, body }
    }

    /// A body over `MAX_BODY_BYTES`, left unread.
    pub fn too_large(head: Head, bytes: u64) -> Exchanged {
        Exchanged { head, view: BodyView::TooLarge { bytes }, body: None }
    }

    /// Hands the answer to the call and keeps its body for the step that delivers it.
    pub fn feed(self, call: &mut Call, last_body: &mut Option<Json>) -> Step {
        let head = ResponseHead {
            status: f64::from(self.head.status),
            rate_limit: self.head.rate_limit,
            retry_after: self.head.retry_after.as_deref(),
        };
        let next = call.on_response(&head, &self.view, now_ms(), random());
        *last_body = self.body;
        next
    }
}

fn failure_of(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        // ureq's messages name the host and the cause, never request headers.
        other => Failure::Network(other.to_string()),
    }
}

/// The part of a success body the core chose, as js/driver.js `deliver` picks it.
pub fn deliver(delivered: Delivered, body: Option<Json>) -> Json {
    let Some(mut body) = body else { return Json::Null };
    match delivered {
        Delivered::FirstOfData => match body.get_mut("data").map(Json::take) {
            Some(Json::Array(mut rows)) => {
                if rows.is_empty() {
                    Json::Null
                } else {
                    rows.swap_remove(0)
                }
            }
            Some(other) => other,
            None => Json::Null,
        },
        Delivered::Data => body.get_mut("data").map(Json::take).unwrap_or(Json::Null),
        Delivered::BodyWithoutStatus => {
            if let Some(map) = body.as_object_mut() {
                map.remove("status");
            }
            body
        }
        Delivered::Body => body,
        Delivered::Nothing => Json::Null,
    }
}

/// The registry row of `id`, or a usage error that says where to look.
pub fn endpoint(id: &str) -> Result<&'static Endpoint> {
    registry::find(id).ok_or_else(|| {
        CliError::usage(format!("`{id}` is not an endpoint id; `datafast api` lists all {}", registry::ENDPOINTS.len()))
    })
}

pub fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Jitter for backoff: spreads retrying clients apart, so it needs no quality beyond that.
pub fn random() -> f64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x % 1_000_000) as f64 / 1_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn delivers_the_part_the_core_picks() {
        let body = || Some(json!({"status":"success","data":[{"a":1},{"a":2}],"pagination":{"total":2}}));
        assert_eq!(deliver(Delivered::FirstOfData, body()), json!({"a":1}));
        assert_eq!(deliver(Delivered::Data, body()), json!([{"a":1},{"a":2}]));
        assert_eq!(
            deliver(Delivered::BodyWithoutStatus, body()),
            json!({"data":[{"a":1},{"a":2}],"pagination":{"total":2}})
        );
        assert_eq!(deliver(Delivered::FirstOfData, Some(json!({"data":[]}))), Json::Null);
        assert_eq!(deliver(Delivered::FirstOfData, Some(json!({"data":{"o":1}}))), json!({"o":1}));
        assert_eq!(deliver(Delivered::Nothing, body()), Json::Null);
        assert_eq!(deliver(Delivered::Body, Some(json!({"message":"ok"}))), json!({"message":"ok"}));
    }

    #[test]
    fn a_malformed_token_is_refused_before_anything_is_sent() {
        let e = Client::new("not-a-token", "http://127.0.0.1:9", CallOptions::default()).err().unwrap();
        assert_eq!(e.exit, crate::error::Exit::Auth);
        assert!(!e.message.contains("not-a-token"));
    }

    #[test]
    fn an_unreachable_server_is_a_network_error() {
        // Port 9 (discard) on loopback is closed here: the connection is refused at once.
        let options = CallOptions { max_retries: Some(0), ..CallOptions::default() };
        let client = Client::new("df_0123456789abcdef", "http://127.0.0.1:9", options).unwrap();
        let e = client.call(endpoint("analytics.overview").unwrap(), &[], None, None).unwrap_err();
        assert_eq!(e.exit, crate::error::Exit::Network, "{}", e.message);
        assert!(!e.message.contains("0123456789abcdef"));
    }
}
