//! The async driver of the core's call state machine, for the MCP server: the same loop as
//! [`crate::driver`] over reqwest, so that a cancelled tool call drops its HTTP request (the
//! connection closes) instead of waiting for it.

use crate::driver::{deliver, now_ms, random, Exchanged, Head, Session, USER_AGENT};
use datafast_contract::Endpoint;
use datafast_wasm::core::call::MAX_BODY_BYTES;
use datafast_wasm::core::{Call, CallOptions, ClientError, Failure, Step, Value};
use serde_json::Value as Json;
use std::time::Duration;

/// The async client of the MCP server: one [`Session`], calls paced like the CLI's.
pub struct AsyncClient {
    http: reqwest::Client,
    session: Session,
}

impl AsyncClient {
    pub fn new(token: &str, base_url: &str, options: CallOptions) -> Result<AsyncClient, ClientError> {
        let session = Session::new(token, base_url, options)?;
        // ring, the provider ureq's rustls uses for the other commands: one TLS stack in the
        // binary, and no C build (the post-quantum aws-lc provider needs cmake).
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .map_err(|_| ClientError::local(datafast_wasm::core::ErrorCode::NetworkError, "no HTTP client"))?;
        Ok(AsyncClient { http, session })
    }

    pub fn token(&self) -> &str {
        self.session.token()
    }

    /// Runs one call to its end; dropping the future aborts the request in flight.
    pub async fn call(
        &self,
        endpoint: &'static Endpoint,
        ids: &[String],
        params: Option<Value>,
        website: Option<String>,
    ) -> Result<Json, ClientError> {
        let (mut call, mut step) = self.session.start(endpoint, ids, params, website)?;
        let mut last_body = None;
        loop {
            step = match step {
                Step::Send { timeout_ms } => {
                    let attempt = self.exchange(&call);
                    match tokio::time::timeout(Duration::from_millis(u64::from(timeout_ms)), attempt).await {
                        Ok(Ok(exchanged)) => exchanged.feed(&mut call, &mut last_body),
                        Ok(Err(failure)) => call.on_failure(failure, now_ms(), random()),
                        Err(_) => call.on_failure(Failure::Timeout, now_ms(), random()),
                    }
                }
                Step::Wait { ms } => {
                    tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
                    call.on_wait_over(now_ms())
                }
                Step::Done(success) => return Ok(deliver(success.delivered, last_body.take())),
                Step::Fail(e) => return Err(e),
            };
        }
    }

    async fn exchange(&self, call: &Call) -> Result<Exchanged, Failure> {
        let planned = call.request();
        let method = reqwest::Method::from_bytes(planned.method.as_str().as_bytes())
            .map_err(|_| Failure::Network("unknown method".to_string()))?;
        let mut request = self.http.request(method, &planned.url);
        for (name, value) in self.session.headers(call) {
            request = request.header(name, value);
        }
        if let Some(body) = planned.body.clone() {
            request = request.body(body);
        }
        // reqwest's errors name the URL and the cause, never headers; the URL holds no secret.
        let mut response = request.send().await.map_err(|e| Failure::Network(e.without_url().to_string()))?;
        let head = Head::of(response.status().as_u16(), response.headers());
        if let Some(bytes) = response.content_length().filter(|b| *b > u64::from(MAX_BODY_BYTES)) {
            return Ok(Exchanged::too_large(head, bytes));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Failure::Network(e.without_url().to_string()))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_BODY_BYTES as usize {
                return Ok(Exchanged::too_large(head, bytes.len() as u64));
            }
        }
        Ok(Exchanged::read(head, &bytes))
    }
}
