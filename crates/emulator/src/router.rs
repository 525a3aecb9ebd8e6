//! The HTTP front: one fallback handler under `/api/v1` that routes through the contract
//! registry, authenticates, rate-limits, authorizes and dispatches by endpoint id.

use crate::auth;
use crate::handlers::{self, Ctx};
use crate::http::{self, ApiError, Query};
use crate::state::AppState;
use crate::time;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method as HttpMethod};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use datafast_contract::registry::{route, Method, Route};
use datafast_contract::API_PREFIX;
use serde_json::json;
use std::sync::Arc;
use tower_http::cors::{Any, CorsLayer};

/// Request bodies larger than this are refused before parsing (the API's bodies are tiny).
const MAX_BODY_BYTES: usize = 1 << 20;

const ALL_METHODS: [Method; 5] = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];

/// The emulator's router. `GET /__emulator/health` is unauthenticated; everything else goes
/// through the registry.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new().route("/__emulator/health", get(health)).fallback(dispatch).layer(cors()).with_state(state)
}

/// Browser tests call the emulator cross-origin: any origin, the API's methods and headers,
/// and the rate-limit headers readable from JS. Preflights are answered here, without auth.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            HttpMethod::GET,
            HttpMethod::POST,
            HttpMethod::PUT,
            HttpMethod::PATCH,
            HttpMethod::DELETE,
            HttpMethod::OPTIONS,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([http::X_RATELIMIT_LIMIT, http::X_RATELIMIT_REMAINING, http::X_RATELIMIT_RESET])
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = dispatch_inner(&state, req).await;
    if state.config.verbose {
        // Path only: query strings and headers stay out of logs.
        eprintln!("{method} {path} -> {}", resp.status().as_u16());
    }
    resp
}

async fn dispatch_inner(state: &AppState, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let full_path = parts.uri.path();
    let api_path = full_path.strip_prefix(API_PREFIX).filter(|p| p.starts_with('/'));
    let Some(api_path) = api_path else {
        return ApiError::not_found(format!("no route {full_path}: the API lives under {API_PREFIX}/")).into_response();
    };

    let routed = match Method::parse(parts.method.as_str()) {
        Some(m) => route(m, api_path),
        None => Route::MethodNotAllowed,
    };
    let (endpoint, params) = match routed {
        Route::Found(ep, params) => (ep, params),
        Route::NotFound => {
            return ApiError::not_found(format!("no API route matches {} {full_path}", parts.method)).into_response()
        }
        Route::MethodNotAllowed => {
            let allowed: Vec<&str> = ALL_METHODS
                .iter()
                .filter(|m| matches!(route(**m, api_path), Route::Found(..)))
                .map(|m| m.as_str())
                .collect();
            if allowed.is_empty() {
                return ApiError::not_found(format!("no API route matches {} {full_path}", parts.method))
                    .into_response();
            }
            let msg = format!("{} is not allowed on {full_path}; allowed: {}", parts.method, allowed.join(", "));
            let mut resp = ApiError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, msg).into_response();
            if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
                resp.headers_mut().insert(header::ALLOW, v);
            }
            return resp;
        }
    };
    let path_params: Vec<(&'static str, String)> = params.into_iter().map(|(k, v)| (k, v.to_string())).collect();

    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "request body is larger than 1 MiB")
                .into_response()
        }
    };

    let now_ms = time::now_ms();
    let now_s = now_ms.max(0) as u64 / 1000;
    // One lock for the whole request: authorization and the handler see the same state,
    // and writes are atomic. Nothing below awaits.
    let mut store = state.store();
    let principal = match auth::authenticate(&store, parts.headers.get(header::AUTHORIZATION)) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let verdict = state.limiter.check(&principal.credential_id, now_s);
    if let Some(v) = verdict.filter(|v| !v.allowed) {
        return http::too_many_requests(&v, now_s);
    }
    auth::touch(&mut store, &principal, now_ms);

    let result = Query::parse(&parts.uri).and_then(|query| {
        let access = auth::authorize(&store, &principal, endpoint, &path_params, &query)?;
        let ctx = Ctx {
            endpoint,
            principal: &principal,
            access: &access,
            path: &path_params,
            query: &query,
            body: &body,
            now_ms,
        };
        handlers::handle(&ctx, &mut store)
    });
    drop(store);

    let mut resp = match result {
        Ok(reply) => reply.into_response(),
        Err(e) => e.into_response(),
    };
    if let Some(v) = verdict {
        http::apply_rate_limit_headers(resp.headers_mut(), &v);
    }
    resp
}
