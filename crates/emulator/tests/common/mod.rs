//! Shared helpers: drive the router in-process with `oneshot`.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use datafast_emulator::{app, AppState, Config, DemoCredentials, RateLimit};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

/// A fixed end of the synthetic traffic, so every run sees identical data.
pub const END_MS: i64 = 1_780_000_000_000;

pub struct Emu {
    pub state: Arc<AppState>,
    pub app: Router,
    pub creds: DemoCredentials,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn message(&self) -> &str {
        self.json["error"]["message"].as_str().unwrap_or("")
    }
    pub fn data(&self) -> &Value {
        &self.json["data"]
    }
}

pub fn emu_with(seed: u64, rate_limit: Option<RateLimit>) -> Emu {
    let state = AppState::new(Config { seed, days: 30, rate_limit, traffic_end_ms: Some(END_MS), verbose: false });
    let creds = state.demo.clone();
    Emu { app: app(state.clone()), state, creds }
}

/// Rate limiting off, so tests that make many calls are not throttled.
pub fn emu() -> Emu {
    emu_with(42, None)
}

impl Emu {
    pub fn owner(&self) -> &str {
        &self.creds.owner_token
    }
    pub fn key(&self, i: usize) -> &str {
        &self.creds.websites[i].key
    }
    pub fn site(&self, i: usize) -> &str {
        &self.creds.websites[i].id
    }

    pub async fn call(&self, method: &str, uri: &str, token: Option<&str>, body: Option<&str>) -> Resp {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(Body::from(body.unwrap_or("").to_string())).unwrap();
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, text, json }
    }

    pub async fn get(&self, uri: &str, token: &str) -> Resp {
        self.call("GET", uri, Some(token), None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: &str) -> Resp {
        self.call("POST", uri, Some(token), Some(body)).await
    }
}

/// Asserts the error envelope with `code` equal to the status.
pub fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    assert_eq!(r.json["status"], "error", "body: {}", r.text);
    assert_eq!(r.json["error"]["code"], status, "body: {}", r.text);
    assert!(!r.message().is_empty());
}
