//! The async driver of the core's call state machine, for the MCP server: the same loop as
//! [`crate::driver`] over reqwest, so that a cancelled tool call drops its HTTP request (the
//! connection closes) instead of waiting for it.

use crate::driver::{deliver, now_ms, random, Exchanged, Head, USER_AGENT};
use datafast_contract::Endpoint;
use datafast_wasm::core::call::MAX_BODY_BYTES;
use datafast_wasm::core::request::normalize_base_url;
use datafast_wasm::core::{Call, CallOptions, ClientConfig, ClientError, Credentials, Failure, Pacer, Step, Value};
use serde_json::Value as Json;
use std::time::Duration;

/// One credential against one origin. The token only goes into the `Authorization` header.
/// Its calls are paced like the CLI's: an agent looping over visitors waits for the window
/// instead of drawing 429s.
pub struct AsyncClient {
    http: reqwest::Client,
    token: String,
    base_url: String,
    options: CallOptions,
    pacer: Pacer,
}

impl AsyncClient {
    pub fn new(token: &str, base_url: &str, options: CallOptions) -> Result<AsyncClient, ClientError> {
        Credentials::new(token, None)?;
        let base_url = normalize_base_url(base_url)?;
        // ring, the provider ureq's rustls uses for the other commands: one TLS stack in the
        // binary, and no C build (the post-quantum aws-lc provider needs cmake).
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .map_err(|_| ClientError::local(datafast_wasm::core::ErrorCode::NetworkError, "no HTTP client"))?;
        let pacer = Pacer::shared(token, &base_url);
        Ok(AsyncClient { http, token: token.to_string(), base_url, options, pacer })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Runs one call to its end; dropping the future aborts the request in flight.
    pub async fn call(
        &self,
        endpoint: &'static Endpoint,
        ids: &[String],
        params: Option<Value>,
        website: Option<String>,
    ) -> Result<Json, ClientError> {
        let mut config = ClientConfig::new(Credentials::new(&self.token, website)?, self.base_url.clone());
        config.pacer = Some(self.pacer.clone());
        let (mut call, mut step) = Call::start(endpoint, &config, self.options.clone(), ids, params, now_ms())?;
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
        let mut request = self
            .http
            .request(method, &planned.url)
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Accept", "application/json");
        for (name, value) in call.extra_headers() {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = planned.body.clone() {
            request = request.header("Content-Type", "application/json").body(body);
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
