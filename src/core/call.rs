//! One API call as a sans-IO state machine.
//!
//! [`Call::start`] merges the client's and the call's options, counts the arguments,
//! validates and plans the request, and answers the first [`Step`]. The runtime then does
//! what the step says (send the request, or wait) and feeds back what happened
//! ([`Call::on_response`], [`Call::on_failure`], [`Call::on_wait_over`]) until a step is
//! [`Step::Done`] or [`Step::Fail`]. Clocks and randomness come in as arguments, so every
//! policy here (retries, backoff, rate-limit waits, the call's time budget) is tested with a
//! fake clock; the wasm layer (JS `fetch` and timers) and the CLI (a blocking HTTP client)
//! drive the same machine.
//!
//! The time budget: a call never runs past `timeoutMs` from its start, retries and waits
//! included. Each attempt may use what is left of it; a wait that would not fit ends the call
//! at once with the error that caused it (a 429 keeps its `rateLimit.reset`).
//!
//! Pacing: with a [`Pacer`] in its config, every attempt first asks it whether the token's
//! rate-limit window has room ([`super::pace`]); when it has none the attempt waits for the
//! window's reset like any other wait, and a call whose budget cannot fit that wait fails at
//! once with `rate_limited` and the reset, without sending.

use super::error::{ClientError, ErrorCode, RateLimit};
use super::pace::{Admission, Pacer};
use super::request::{plan, Credentials, PlannedRequest};
use super::response::{classify, BodyView, Delivered};
use super::retry::{self, DEFAULT_MAX_RETRIES, MAX_RETRIES_LIMIT};
use super::value::Value;
use datafast_contract::{params, Endpoint};

pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// An attempt needs at least this much of the budget left to be worth sending.
const MIN_ATTEMPT_MS: f64 = 1.0;
/// Bodies larger than this are refused unread where the transport can tell (the API's largest
/// page, 1,000 rows, is about 150 KB).
pub const MAX_BODY_BYTES: u32 = 16 << 20;
/// How many per-call headers a call may add.
const MAX_EXTRA_HEADERS: usize = 32;

/// What a client holds: its credential (without the secret), where it sends, its defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientConfig {
    pub credentials: Credentials,
    pub base_url: String,
    pub timeout_ms: u32,
    pub max_retries: u32,
    /// The token's shared pacer (`Pacer::shared`), or `None` for a caller that paces itself
    /// (`rateLimit: false`, or a shared limiter outside the process).
    pub pacer: Option<Pacer>,
}

impl ClientConfig {
    /// A config without pacing; set `pacer` to pace (it needs the token, which this does not hold).
    pub fn new(credentials: Credentials, base_url: String) -> Self {
        ClientConfig {
            credentials,
            base_url,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: DEFAULT_MAX_RETRIES,
            pacer: None,
        }
    }
}

/// Per-call options (`{ timeoutMs, maxRetries, headers }`; the signal stays with the runtime).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallOptions {
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
    /// Extra request headers, merged over the client's; never `Authorization`.
    pub headers: Vec<(String, String)>,
}

/// Checks `timeoutMs` (client or call option), as a JS number or a CLI flag gives it.
pub fn timeout_option(field: &str, value: f64) -> Result<u32, ClientError> {
    whole_number(field, value, 1, MAX_TIMEOUT_MS)
}

/// Checks `maxRetries` (client or call option).
pub fn max_retries_option(field: &str, value: f64) -> Result<u32, ClientError> {
    whole_number(field, value, 0, MAX_RETRIES_LIMIT)
}

/// Checks a whole-number option in `min..=max`, naming `field`.
pub fn whole_number(field: &str, value: f64, min: u32, max: u32) -> Result<u32, ClientError> {
    if value.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(ClientError::invalid_option(field, format!("must be a whole number from {min} to {max}")))
    }
}

/// Checks one per-call header: an HTTP token as its name, visible ASCII (and inner spaces) as
/// its value, and never `Authorization`, which carries the client's own token.
pub fn header_option(name: &str, value: &str) -> Result<(), ClientError> {
    let field = format!("headers.{name}");
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(ClientError::invalid_option(field, "is not a valid header name"));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(ClientError::invalid_option(field, "cannot be set per call: the client sends its own token"));
    }
    if value.len() > 8192 || !value.bytes().all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic()) {
        return Err(ClientError::invalid_option(field, "must be visible ASCII text of at most 8192 bytes"));
    }
    Ok(())
}

impl CallOptions {
    /// Adds a header after checking it.
    pub fn push_header(&mut self, name: &str, value: &str) -> Result<(), ClientError> {
        header_option(name, value)?;
        if self.headers.len() >= MAX_EXTRA_HEADERS {
            return Err(ClientError::invalid_option(
                "headers",
                format!("may hold at most {MAX_EXTRA_HEADERS} headers"),
            ));
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(())
    }
}

/// How a method's positional arguments are laid out: path ids in path order, then one
/// parameters object (only for endpoints that take parameters), then per-call options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arguments {
    pub ids: usize,
    pub takes_params: bool,
}

impl Arguments {
    pub fn of(endpoint: &Endpoint) -> Arguments {
        Arguments { ids: endpoint.path_params().count(), takes_params: !params::of(endpoint.id).is_empty() }
    }

    /// Where the per-call options stand.
    pub fn options_index(self) -> usize {
        self.ids + usize::from(self.takes_params)
    }

    /// Refuses more arguments than the method has.
    pub fn check_count(self, endpoint: &Endpoint, given: usize) -> Result<(), ClientError> {
        if given <= self.options_index() + 1 {
            return Ok(());
        }
        let shape = match (self.ids, self.takes_params) {
            (0, true) => "a parameters object, then options".to_string(),
            (0, false) => "only options".to_string(),
            (n, true) => format!("{n} id(s), a parameters object, then options"),
            (n, false) => format!("{n} id(s), then options"),
        };
        Err(ClientError::invalid_param(
            "arguments",
            format!("{} takes {shape}; got {given} arguments", endpoint.method_path()),
        )
        .at(endpoint.id))
    }
}

/// What a runtime must do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send [`Call::request`] and report within `timeout_ms` (the budget left), then call
    /// [`Call::on_response`] or [`Call::on_failure`].
    Send { timeout_ms: u32 },
    /// Wait `ms` (a retry's backoff, or the rate-limit window's reset), then call
    /// [`Call::on_wait_over`].
    Wait { ms: u32 },
    /// The call succeeded: hand back this part of the parsed body.
    Done(Success),
    /// The call failed for good.
    Fail(ClientError),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    pub delivered: Delivered,
    pub status: u16,
    pub rate_limit: RateLimit,
}

/// What the transport saw of a response besides its body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResponseHead<'a> {
    /// The HTTP status as the runtime reported it (checked here: not every `fetch` is real).
    pub status: f64,
    pub rate_limit: RateLimit,
    pub retry_after: Option<&'a str>,
}

/// Why an attempt produced no response.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The connection failed; the runtime's description (never containing the token).
    Network(String),
    /// The attempt's time (the rest of the call's budget) ran out.
    Timeout,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Sending,
    Waiting,
    Finished,
}

/// One call in progress.
#[derive(Debug)]
pub struct Call {
    request: PlannedRequest,
    headers: Vec<(String, String)>,
    safe_to_repeat: bool,
    timeout_ms: u32,
    deadline_ms: f64,
    max_retries: u32,
    retries_done: u32,
    phase: Phase,
    pacer: Option<Pacer>,
    /// Whether the current attempt counts in the pacer's calls in flight.
    paced_in_flight: bool,
}

impl Call {
    /// Plans the call and answers its first step, or the error that stops it before anything
    /// is sent. Every `now_ms` is Unix milliseconds (`Date.now()`, `SystemTime`): rate-limit
    /// resets and `Retry-After` dates are wall-clock times.
    pub fn start(
        endpoint: &'static Endpoint,
        config: &ClientConfig,
        options: CallOptions,
        path_args: &[String],
        params: Option<Value>,
        now_ms: f64,
    ) -> Result<(Call, Step), ClientError> {
        let mut call = Call::queued(endpoint, config, options, path_args, params, now_ms)?;
        let step = call.next_attempt(now_ms);
        match step {
            Step::Fail(e) => Err(e),
            step => Ok((call, step)),
        }
    }

    /// Plans the call (its budget starts now) without starting it: a runtime that holds it
    /// in a queue (`maxConcurrency`) calls [`Call::on_wait_over`] when its turn comes.
    pub fn queued(
        endpoint: &'static Endpoint,
        config: &ClientConfig,
        options: CallOptions,
        path_args: &[String],
        params: Option<Value>,
        now_ms: f64,
    ) -> Result<Call, ClientError> {
        let request = plan(endpoint, &config.credentials, &config.base_url, path_args, params)?;
        let timeout_ms = options.timeout_ms.unwrap_or(config.timeout_ms);
        Ok(Call {
            request,
            headers: options.headers,
            safe_to_repeat: retry::safe_to_repeat(endpoint),
            timeout_ms,
            deadline_ms: now_ms + f64::from(timeout_ms),
            max_retries: options.max_retries.unwrap_or(config.max_retries),
            retries_done: 0,
            phase: Phase::Waiting,
            pacer: config.pacer.clone(),
            paced_in_flight: false,
        })
    }

    /// The budget left at `now_ms`, in whole ms (what the next attempt may use).
    pub fn budget_left_ms(&self, now_ms: f64) -> u32 {
        (self.deadline_ms - now_ms).clamp(0.0, f64::from(MAX_TIMEOUT_MS)).ceil() as u32
    }

    pub fn endpoint(&self) -> &'static Endpoint {
        self.request.endpoint
    }

    /// The request every attempt sends (the transport adds `Authorization`).
    pub fn request(&self) -> &PlannedRequest {
        &self.request
    }

    /// Headers this call adds to the client's.
    pub fn extra_headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Attempts made so far, the current one included (1 for the first).
    pub fn attempt(&self) -> u32 {
        self.retries_done + 1
    }

    /// A response arrived for the current attempt.
    pub fn on_response(&mut self, head: &ResponseHead, body: &BodyView, now_ms: f64, random: f64) -> Step {
        if self.phase != Phase::Sending {
            return self.misuse("a response");
        }
        if let Some(pacer) = self.pacer.as_ref().filter(|_| self.paced_in_flight) {
            self.paced_in_flight = false;
            pacer.learn(head.rate_limit.or(body.rate_limit()), now_ms);
        }
        let status = head.status;
        if !(status.fract() == 0.0 && (100.0..=599.0).contains(&status)) {
            let mut e =
                ClientError::local(ErrorCode::InvalidResponse, "fetch returned a response with an invalid HTTP status");
            e.status = 0;
            return self.finish(Err(e));
        }
        let status = status as u16;
        match classify(status, head.rate_limit, body, self.request.endpoint.shape) {
            Ok(delivered) => self.finish(Ok(Success { delivered, status, rate_limit: head.rate_limit })),
            Err(e) => {
                let retry_after = head.retry_after.and_then(|t| retry::parse_retry_after(t, now_ms));
                self.after_error(e, retry_after, now_ms, random)
            }
        }
    }

    /// The current attempt produced no response.
    pub fn on_failure(&mut self, failure: Failure, now_ms: f64, random: f64) -> Step {
        if self.phase != Phase::Sending {
            return self.misuse("a failure");
        }
        self.release_pacer();
        let error = match failure {
            Failure::Network(description) => {
                ClientError::local(ErrorCode::NetworkError, format!("the request failed: {description}"))
            }
            Failure::Timeout => ClientError::local(
                ErrorCode::Timeout,
                format!("no complete response within the call's {} ms (timeoutMs)", self.timeout_ms),
            ),
        };
        self.after_error(error, None, now_ms, random)
    }

    /// A [`Step::Wait`] (or the call's turn in a queue) is over: the next attempt, with what
    /// is left of the budget, once the pacer has room for it.
    pub fn on_wait_over(&mut self, now_ms: f64) -> Step {
        if self.phase != Phase::Waiting {
            return self.misuse("the end of a wait");
        }
        self.next_attempt(now_ms)
    }

    /// A rate limiter shared outside this process asked the attempt [`Step::Send`] announced
    /// to wait `ms` first (it was not sent): the wait, or `rate_limited` at once when the
    /// budget cannot fit it. `reset` is the window's end (Unix seconds) when the limiter knows it.
    pub fn on_shared_limit(&mut self, ms: f64, reset: Option<f64>, limit: Option<f64>, now_ms: f64) -> Step {
        if self.phase != Phase::Sending || self.paced_in_flight {
            return self.misuse("a shared limiter's wait");
        }
        self.wait_for_window(ms, reset, limit, now_ms)
    }

    fn next_attempt(&mut self, now_ms: f64) -> Step {
        let left = self.deadline_ms - now_ms;
        if left < MIN_ATTEMPT_MS {
            let e = ClientError::local(
                ErrorCode::Timeout,
                format!("the call's {} ms (timeoutMs) ran out while waiting", self.timeout_ms),
            );
            return self.finish(Err(e));
        }
        if let Some(pacer) = &self.pacer {
            if let Admission::Wait { ms, reset, limit } = pacer.admit(now_ms) {
                return self.wait_for_window(ms, reset, limit, now_ms);
            }
            self.paced_in_flight = true;
        }
        self.phase = Phase::Sending;
        Step::Send { timeout_ms: left.ceil() as u32 }
    }

    /// Waits `ms` for the rate-limit window, or fails at once when the budget cannot fit it.
    fn wait_for_window(&mut self, ms: f64, reset: Option<f64>, limit: Option<f64>, now_ms: f64) -> Step {
        let ms = if ms.is_finite() { ms.max(0.0) } else { f64::MAX };
        if now_ms + ms + MIN_ATTEMPT_MS > self.deadline_ms {
            let mut e = ClientError::local(
                ErrorCode::RateLimited,
                format!(
                    "the rate-limit window has no room for {} ms, past the call's {} ms timeoutMs; not sent",
                    ms.min(1e15).ceil() as u64,
                    self.timeout_ms
                ),
            );
            e.rate_limit = Some(RateLimit { limit, remaining: Some(0.0), reset });
            e.retryable = true;
            return self.finish(Err(e));
        }
        self.phase = Phase::Waiting;
        Step::Wait { ms: ms.ceil() as u32 }
    }

    /// The caller aborted the call (its signal fired): the error to reject with. The runtime
    /// attaches the signal's reason as `cause`.
    pub fn abort(&mut self) -> ClientError {
        let e =
            ClientError::local(ErrorCode::Aborted, "the call was aborted by its signal").at(self.request.endpoint.id);
        self.release_pacer();
        self.phase = Phase::Finished;
        e
    }

    /// Frees the current attempt's place among the pacer's calls in flight.
    fn release_pacer(&mut self) {
        if let Some(pacer) = self.pacer.as_ref().filter(|_| self.paced_in_flight) {
            pacer.release();
        }
        self.paced_in_flight = false;
    }

    fn after_error(&mut self, mut error: ClientError, retry_after_ms: Option<f64>, now_ms: f64, random: f64) -> Step {
        error.retryable = retry::would_retry(self.safe_to_repeat, &error);
        if !error.retryable || self.retries_done >= self.max_retries {
            return self.finish(Err(error));
        }
        let wait = retry::delay_ms(self.retries_done, &error, retry_after_ms, now_ms, random);
        if now_ms + wait + MIN_ATTEMPT_MS > self.deadline_ms {
            error.message.push_str(&format!(
                " (retrying would wait {} ms, past the call's {} ms timeoutMs)",
                wait.ceil() as u64,
                self.timeout_ms
            ));
            return self.finish(Err(error));
        }
        self.retries_done += 1;
        self.phase = Phase::Waiting;
        Step::Wait { ms: wait.ceil() as u32 }
    }

    fn finish(&mut self, outcome: Result<Success, ClientError>) -> Step {
        self.release_pacer();
        self.phase = Phase::Finished;
        match outcome {
            Ok(success) => Step::Done(success),
            Err(e) => Step::Fail(e.at(self.request.endpoint.id)),
        }
    }

    /// A runtime fed an event the call was not waiting for: a bug in the driver, reported
    /// as an error instead of a panic.
    fn misuse(&mut self, what: &str) -> Step {
        let was = self.phase;
        self.release_pacer();
        self.phase = Phase::Finished;
        let e = ClientError::local(ErrorCode::InvalidResponse, format!("internal: {what} arrived while {was:?}"));
        Step::Fail(e.at(self.request.endpoint.id))
    }
}

/// A call dropped mid-attempt (its runtime freed it) gives its place in the pacer back.
impl Drop for Call {
    fn drop(&mut self) {
        self.release_pacer();
    }
}

impl ClientError {
    /// A bad client or call option (`code: invalid_options`), naming the option.
    pub fn invalid_option(field: impl Into<String>, rule: impl std::fmt::Display) -> Self {
        ClientError { code: ErrorCode::InvalidOptions, ..ClientError::invalid_param(field, rule) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafast_contract::registry::find;

    const NOW: f64 = 1_700_000_000_000.0;

    fn config() -> ClientConfig {
        ClientConfig::new(Credentials::new("df_secretkey123", None).unwrap(), "https://datafa.st".into())
    }

    fn start(id: &str, options: CallOptions, params: Option<Value>) -> (Call, Step) {
        Call::start(find(id).unwrap(), &config(), options, &[], params, NOW).unwrap()
    }

    fn goal() -> Value {
        Value::Object(vec![
            ("datafast_visitor_id".into(), Value::String("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd".into())),
            ("name".into(), Value::String("signup".into())),
        ])
    }

    fn head(status: f64) -> ResponseHead<'static> {
        ResponseHead { status, ..ResponseHead::default() }
    }

    fn json(v: serde_json::Value) -> BodyView {
        BodyView::from_json(Some(&v))
    }

    fn ok_body() -> BodyView {
        json(serde_json::json!({"status":"success","data":[{"visitors":1}]}))
    }

    fn error_body(status: u16) -> BodyView {
        json(serde_json::json!({"status":"error","error":{"code":status,"message":"nope"}}))
    }

    fn fail(step: Step) -> ClientError {
        match step {
            Step::Fail(e) => e,
            other => panic!("expected Fail, got {other:?}"),
        }
    }

    #[test]
    fn a_success_in_one_attempt() {
        let (mut call, step) = start("analytics.overview", CallOptions::default(), None);
        assert_eq!(step, Step::Send { timeout_ms: DEFAULT_TIMEOUT_MS });
        assert_eq!(call.request().url, "https://datafa.st/api/v1/analytics/overview");
        let rl = RateLimit { limit: Some(60.0), remaining: Some(59.0), reset: Some(1_700_000_060.0) };
        let step = call.on_response(
            &ResponseHead { status: 200.0, rate_limit: rl, retry_after: None },
            &ok_body(),
            NOW + 3.0,
            0.5,
        );
        assert_eq!(step, Step::Done(Success { delivered: Delivered::FirstOfData, status: 200, rate_limit: rl }));
        assert_eq!(call.attempt(), 1);
        // Nothing more is accepted once finished.
        assert_eq!(fail(call.on_response(&head(200.0), &ok_body(), NOW, 0.0)).code, ErrorCode::InvalidResponse);
    }

    #[test]
    fn network_errors_and_5xx_are_retried_with_backoff_then_reported() {
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        assert_eq!(call.on_failure(Failure::Network("ECONNRESET".into()), NOW, 0.0), Step::Wait { ms: 500 });
        assert_eq!(call.on_wait_over(NOW + 500.0), Step::Send { timeout_ms: DEFAULT_TIMEOUT_MS - 500 });
        assert_eq!(call.on_response(&head(503.0), &BodyView::Empty, NOW + 600.0, 0.0), Step::Wait { ms: 1000 });
        assert_eq!(call.on_wait_over(NOW + 1600.0), Step::Send { timeout_ms: DEFAULT_TIMEOUT_MS - 1600 });
        assert_eq!(call.attempt(), 3);
        let e =
            fail(call.on_response(&head(502.0), &BodyView::NotJson { snippet: "<html>".into() }, NOW + 1700.0, 0.0));
        assert_eq!((e.status, e.code, e.retryable), (502, ErrorCode::ServerError, true));
        assert_eq!(e.endpoint, Some("analytics.overview"));
    }

    #[test]
    fn a_408_is_retried_and_a_timeout_ends_the_call() {
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        assert!(matches!(call.on_response(&head(408.0), &error_body(408), NOW, 0.0), Step::Wait { .. }));
        call.on_wait_over(NOW + 500.0);
        // The attempt used the rest of the budget: nothing is left to retry with.
        let e = fail(call.on_failure(Failure::Timeout, NOW + f64::from(DEFAULT_TIMEOUT_MS), 0.0));
        assert_eq!((e.code, e.status, e.retryable), (ErrorCode::Timeout, 0, true));
        assert!(e.message.contains("30000 ms"), "{}", e.message);
    }

    #[test]
    fn posts_are_not_repeated_unless_the_api_deduplicates_them() {
        let (mut call, _) = start("goals.create", CallOptions::default(), Some(goal()));
        let e = fail(call.on_response(&head(503.0), &error_body(503), NOW, 0.0));
        assert_eq!((e.code, e.retryable), (ErrorCode::ServerError, false), "the server may have acted");
        let (mut call, _) = start("goals.create", CallOptions::default(), Some(goal()));
        let e = fail(call.on_failure(Failure::Timeout, NOW + 30_000.0, 0.0));
        assert!(!e.retryable);
        // …but a 429 was refused before acting: any request may repeat it.
        let (mut call, _) = start("goals.create", CallOptions::default(), Some(goal()));
        assert!(matches!(call.on_response(&head(429.0), &BodyView::Empty, NOW, 0.0), Step::Wait { .. }));

        let payment = Value::Object(vec![
            ("amount".into(), Value::number(29.99)),
            ("currency".into(), Value::String("USD".into())),
            ("transaction_id".into(), Value::String("tx_1".into())),
        ]);
        let (mut call, _) = start("payments.create", CallOptions::default(), Some(payment));
        assert_eq!(call.on_response(&head(503.0), &BodyView::Empty, NOW, 0.0), Step::Wait { ms: 500 });
    }

    #[test]
    fn a_429_waits_for_its_window_within_the_budget() {
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        let rl = RateLimit { limit: Some(60.0), remaining: Some(0.0), reset: Some(NOW / 1000.0 + 4.0) };
        let step = call.on_response(
            &ResponseHead { status: 429.0, rate_limit: rl, retry_after: None },
            &BodyView::Empty,
            NOW,
            0.0,
        );
        assert_eq!(step, Step::Wait { ms: 4000 });
        assert_eq!(call.on_wait_over(NOW + 4000.0), Step::Send { timeout_ms: 26_000 });
        assert!(matches!(call.on_response(&head(200.0), &ok_body(), NOW + 4100.0, 0.0), Step::Done(_)));
    }

    #[test]
    fn a_429_whose_window_outlasts_the_budget_fails_at_once() {
        let options = CallOptions { timeout_ms: Some(5_000), ..CallOptions::default() };
        let (mut call, _) = start("analytics.overview", options, None);
        let body = json(serde_json::json!({"error":"Too many requests","message":"Rate limit exceeded",
            "limit":60,"remaining":0,"reset": NOW / 1000.0 + 59.0}));
        let e = fail(call.on_response(&head(429.0), &body, NOW, 0.0));
        assert_eq!((e.code, e.retryable), (ErrorCode::RateLimited, true));
        assert_eq!(e.rate_limit.unwrap().reset, Some(NOW / 1000.0 + 59.0));
        assert!(e.message.contains("past the call's 5000 ms"), "{}", e.message);
    }

    #[test]
    fn a_429_without_reset_backs_off_and_retry_after_is_honoured() {
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        assert_eq!(call.on_response(&head(429.0), &BodyView::Empty, NOW, 0.0), Step::Wait { ms: 500 });
        call.on_wait_over(NOW + 500.0);
        let h = ResponseHead { status: 503.0, retry_after: Some("3"), ..ResponseHead::default() };
        assert_eq!(call.on_response(&h, &BodyView::Empty, NOW + 600.0, 0.0), Step::Wait { ms: 3000 });
    }

    #[test]
    fn retries_stop_at_max_retries_and_the_budget() {
        let options = CallOptions { max_retries: Some(0), ..CallOptions::default() };
        let (mut call, _) = start("analytics.overview", options, None);
        let e = fail(call.on_response(&head(500.0), &BodyView::Empty, NOW, 0.0));
        assert!(e.retryable, "retryable says what this client retries, even with no attempts left");

        let options = CallOptions { timeout_ms: Some(1_000), max_retries: Some(5), ..CallOptions::default() };
        let (mut call, step) = start("analytics.overview", options, None);
        assert_eq!(step, Step::Send { timeout_ms: 1_000 });
        assert_eq!(call.on_response(&head(500.0), &BodyView::Empty, NOW + 100.0, 0.0), Step::Wait { ms: 500 });
        // The second backoff (1 s) does not fit in the 400 ms left.
        call.on_wait_over(NOW + 600.0);
        let e = fail(call.on_response(&head(500.0), &BodyView::Empty, NOW + 700.0, 0.0));
        assert!(e.message.contains("past the call's 1000 ms"));
        // A wait that overran the budget (a late timer) ends in a timeout.
        let (mut call, _) =
            start("analytics.overview", CallOptions { timeout_ms: Some(600), ..CallOptions::default() }, None);
        call.on_response(&head(500.0), &BodyView::Empty, NOW, 0.0);
        assert_eq!(fail(call.on_wait_over(NOW + 700.0)).code, ErrorCode::Timeout);
    }

    #[test]
    fn api_errors_are_final_and_invalid_statuses_are_refused() {
        for status in [400.0, 401.0, 403.0, 404.0, 409.0] {
            let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
            let e = fail(call.on_response(&head(status), &error_body(status as u16), NOW, 0.0));
            assert_eq!((e.status, e.retryable), (status as u16, false));
        }
        for status in [9_007_199_254_740_992.0, 99.0, 600.0, 200.5, f64::NAN, -1.0] {
            let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
            let e = fail(call.on_response(&head(status), &ok_body(), NOW, 0.0));
            assert_eq!((e.code, e.status), (ErrorCode::InvalidResponse, 0), "{status}");
        }
    }

    #[test]
    fn abort_and_misuse_settle_the_call() {
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        call.on_failure(Failure::Network("reset".into()), NOW, 0.0);
        let e = call.abort();
        assert_eq!((e.code, e.endpoint), (ErrorCode::Aborted, Some("analytics.overview")));
        assert_eq!(fail(call.on_wait_over(NOW + 500.0)).code, ErrorCode::InvalidResponse);
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        assert!(fail(call.on_wait_over(NOW)).message.contains("internal"));
    }

    #[test]
    fn options_are_checked_by_name() {
        assert_eq!(timeout_option("timeoutMs", 300.0), Ok(300));
        for bad in [0.0, 0.5, -1.0, 600_001.0, f64::NAN, f64::INFINITY] {
            let e = timeout_option("timeoutMs", bad).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidOptions, Some("timeoutMs")));
        }
        assert!(max_retries_option("maxRetries", 11.0).is_err());
        let mut o = CallOptions::default();
        o.push_header("X-Trace-Id", "abc 123").unwrap();
        let e = o.push_header("authorization", "Bearer other").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("headers.authorization"));
        assert!(o.push_header("Bad Name", "x").is_err());
        assert!(o.push_header("X-Evil", "a\r\nInjected: 1").is_err());
        assert_eq!(o.headers, vec![("X-Trace-Id".to_string(), "abc 123".to_string())]);
    }

    #[test]
    fn argument_layout() {
        let ids_and_params = Arguments::of(find("admin.funnels.update").unwrap());
        assert_eq!(ids_and_params, Arguments { ids: 2, takes_params: true });
        assert_eq!(ids_and_params.options_index(), 3);
        let none = Arguments::of(find("analytics.realtime_map").unwrap());
        assert_eq!(none.options_index(), 0, "an endpoint without parameters takes options first");
        let e = none.check_count(find("analytics.realtime_map").unwrap(), 2).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("arguments"));
        assert!(e.message.contains("only options"), "{}", e.message);
        assert!(ids_and_params.check_count(find("admin.funnels.update").unwrap(), 4).is_ok());
    }

    fn paced(token: &str) -> ClientConfig {
        ClientConfig { pacer: Some(Pacer::shared(token, "https://datafa.st")), ..config() }
    }

    fn paced_start(config: &ClientConfig, timeout_ms: u32, now: f64) -> Result<(Call, Step), ClientError> {
        let options = CallOptions { timeout_ms: Some(timeout_ms), ..CallOptions::default() };
        Call::start(find("analytics.overview").unwrap(), config, options, &[], None, now)
    }

    fn limited(remaining: f64, reset_s: f64) -> ResponseHead<'static> {
        let rate_limit = RateLimit { limit: Some(2.0), remaining: Some(remaining), reset: Some(reset_s) };
        ResponseHead { status: 200.0, rate_limit, retry_after: None }
    }

    #[test]
    fn a_paced_call_waits_for_the_window_within_its_budget() {
        let config = paced("df_paced_window");
        let reset = NOW / 1000.0 + 10.0;
        let (mut first, step) = paced_start(&config, 30_000, NOW).unwrap();
        assert_eq!(step, Step::Send { timeout_ms: 30_000 });
        // A second call while the first (the probe) is out waits briefly for what it learns.
        let (mut second, step) = paced_start(&config, 30_000, NOW).unwrap();
        assert_eq!(step, Step::Wait { ms: 25 });
        assert!(matches!(first.on_response(&limited(0.0, reset), &ok_body(), NOW + 10.0, 0.0), Step::Done(_)));
        // The window is spent: the second call waits for its reset (plus the margin) …
        let step = second.on_wait_over(NOW + 25.0);
        assert_eq!(step, Step::Wait { ms: 10_000 - 25 + 50 });
        // … then goes with what is left of its budget.
        assert_eq!(second.on_wait_over(NOW + 10_050.0), Step::Send { timeout_ms: 30_000 - 10_050 });
        // A call whose budget cannot fit the wait fails at once, unsent, with the reset.
        // (The new window is assumed to hold `limit` again until a response says otherwise.)
        let (_third, step) = paced_start(&config, 30_000, NOW + 10_051.0).unwrap();
        assert!(matches!(step, Step::Send { .. }));
        assert!(matches!(
            second.on_response(&limited(0.0, reset + 10.0), &ok_body(), NOW + 10_060.0, 0.0),
            Step::Done(_)
        ));
        let e = paced_start(&config, 5_000, NOW + 10_100.0).unwrap_err();
        assert_eq!((e.code, e.status, e.retryable), (ErrorCode::RateLimited, 0, true));
        assert_eq!(e.rate_limit, Some(RateLimit { limit: Some(2.0), remaining: Some(0.0), reset: Some(reset + 10.0) }));
        assert_eq!(e.endpoint, Some("analytics.overview"));
        assert!(e.message.contains("past the call's 5000 ms"), "{}", e.message);
    }

    #[test]
    fn aborted_failed_and_dropped_calls_give_their_place_back() {
        let config = paced("df_paced_release");
        let reset = NOW / 1000.0 + 20.0;
        let (mut probe, _) = paced_start(&config, 30_000, NOW).unwrap();
        probe.on_response(&limited(1.0, reset), &ok_body(), NOW, 0.0);
        // One place left: taken by a call, and freed by its abort, its failure or its drop.
        let (mut call, step) = paced_start(&config, 30_000, NOW).unwrap();
        assert!(matches!(step, Step::Send { .. }));
        assert!(matches!(paced_start(&config, 30_000, NOW).unwrap().1, Step::Wait { .. }));
        call.abort();
        let (mut call, step) = paced_start(&config, 30_000, NOW).unwrap();
        assert!(matches!(step, Step::Send { .. }));
        call.on_failure(Failure::Network("reset".into()), NOW, 0.0);
        let (call, step) = paced_start(&config, 30_000, NOW + 600.0).unwrap();
        assert!(matches!(step, Step::Send { .. }));
        drop(call);
        assert!(matches!(paced_start(&config, 30_000, NOW + 700.0).unwrap().1, Step::Send { .. }));
    }

    #[test]
    fn a_queued_call_starts_on_its_turn_and_times_out_in_the_queue() {
        let options = CallOptions { timeout_ms: Some(1_000), ..CallOptions::default() };
        let mut call =
            Call::queued(find("analytics.overview").unwrap(), &config(), options.clone(), &[], None, NOW).unwrap();
        assert_eq!(call.budget_left_ms(NOW + 400.0), 600);
        assert_eq!(call.on_wait_over(NOW + 400.0), Step::Send { timeout_ms: 600 });
        let mut call = Call::queued(find("analytics.overview").unwrap(), &config(), options, &[], None, NOW).unwrap();
        let e = fail(call.on_wait_over(NOW + 1_000.0));
        assert_eq!(e.code, ErrorCode::Timeout);
    }

    #[test]
    fn a_shared_limiter_wait_counts_against_the_budget() {
        let options = CallOptions { timeout_ms: Some(5_000), ..CallOptions::default() };
        let (mut call, _) = start("analytics.overview", options, None);
        assert_eq!(call.on_shared_limit(3_000.0, Some(1.0), Some(60.0), NOW), Step::Wait { ms: 3_000 });
        assert_eq!(call.on_wait_over(NOW + 3_000.0), Step::Send { timeout_ms: 2_000 });
        let e = fail(call.on_shared_limit(2_500.0, None, None, NOW + 3_000.0));
        assert_eq!(e.code, ErrorCode::RateLimited);
        // Only an attempt about to be sent can be held.
        let (mut call, _) = start("analytics.overview", CallOptions::default(), None);
        call.on_shared_limit(10.0, None, None, NOW);
        assert!(fail(call.on_shared_limit(10.0, None, None, NOW)).message.contains("internal"));
    }

    #[test]
    fn per_call_options_override_the_client() {
        let options = CallOptions {
            timeout_ms: Some(250),
            max_retries: Some(0),
            headers: vec![("X-Request-Id".into(), "r1".into())],
        };
        let (mut call, step) = start("analytics.overview", options, None);
        assert_eq!(step, Step::Send { timeout_ms: 250 });
        assert_eq!(call.extra_headers(), &[("X-Request-Id".to_string(), "r1".to_string())]);
        assert!(matches!(call.on_failure(Failure::Network("x".into()), NOW, 0.0), Step::Fail(_)));
    }
}
