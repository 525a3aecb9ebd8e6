//! The HTTP front: one fallback handler under `/api/v1` that routes through the contract
//! registry, injects `--faults`, authenticates, rate-limits, authorizes, checks the input
//! against the contract's parameter table (`validate`), dispatches by endpoint id and saves
//! acknowledged changes (`--state`). Plus the `/__emulator/` control routes, which are never
//! faulted.

use crate::auth;
use crate::conn::Conn;
use crate::faults::{self, Fault, FaultPlan};
use crate::handlers::{self, Ctx, Handler};
use crate::http::{self, ApiError, Query, Reply};
use crate::ratelimit::Verdict;
use crate::reqlog::{self, Outcome, RequestFilter};
use crate::state::{AppState, Store};
use crate::time;
use crate::validate;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use datafast_contract::registry::{route, Endpoint, Method, Route};
use datafast_contract::API_PREFIX;
use serde_json::{json, Value};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};

const ALL_METHODS: [Method; 5] = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];

/// The emulator's router. `/__emulator/*` is unauthenticated; everything else goes through
/// the registry. The request log wraps everything, CORS preflights included.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/__emulator/health", get(health))
        .route("/__emulator/faults", get(faults_get).post(faults_set))
        .route("/__emulator/rate-limit", get(rate_limit_get))
        .route("/__emulator/clock", get(clock_get).post(clock_set))
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/requests", get(requests_get).delete(requests_clear))
        .fallback(dispatch)
        .layer(middleware::from_fn(http::enforce_limits))
        .layer(cors())
        .layer(middleware::from_fn_with_state(state.clone(), reqlog::layer))
        .with_state(state)
}

/// `--www DIR`: the files of DIR (the playground) at `/`, beside the API and the control
/// routes, so a page served from it calls the API on its own origin.
pub fn with_site(api: Router, dir: &std::path::Path) -> Router {
    // As services (axum refuses a `Router` there): the API router sees the full path.
    Router::new()
        .route_service(&format!("{API_PREFIX}/{{*rest}}"), api.clone().into_service())
        .route_service("/__emulator/{*rest}", api.into_service())
        .fallback_service(tower_http::services::ServeDir::new(dir))
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

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The connection of a request served over a socket (`None` when the router is driven
/// in-process, e.g. with `oneshot`).
fn connection(req: &Request) -> Option<Conn> {
    req.extensions().get::<ConnectInfo<Conn>>().map(|c| c.0.clone())
}

fn faults_view(plan: &FaultPlan) -> Json<Value> {
    Json(json!({ "status": "success", "data": { "faults": plan.spec(), "routes": plan.routes_spec() } }))
}

/// `GET /__emulator/rate-limit`: the limit in force and how many 429s it has served.
async fn rate_limit_get(State(state): State<Arc<AppState>>) -> Json<Value> {
    let spec = state.limiter.spec();
    Json(json!({ "status": "success", "data": {
        "rateLimit": spec.map(|s| s.to_string()),
        "served429": state.limiter.refused(),
    } }))
}

async fn faults_get(State(state): State<Arc<AppState>>) -> Json<Value> {
    faults_view(&state.faults.plan())
}

/// `POST /__emulator/faults {"faults": "503:0.5", "routes": "analytics.*"}`: replaces the
/// fault plan at run time (`"faults": "off"` clears it). Unauthenticated, so loopback only.
async fn faults_set(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let body = match control_body(req, "/__emulator/faults").await {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    match parse_fault_request(&body) {
        Ok(plan) => {
            state.faults.set(plan);
            faults_view(&state.faults.plan()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Control routes change the emulator for every client: loopback callers only.
fn loopback_only(req: &Request, route: &str) -> Result<(), ApiError> {
    match connection(req) {
        Some(c) if !c.is_loopback() => Err(ApiError::forbidden(format!("{route} only answers loopback clients"))),
        _ => Ok(()),
    }
}

/// The body of a control request from a loopback client, or the answer refusing it.
async fn control_body(req: Request, route: &str) -> Result<axum::body::Bytes, Box<Response>> {
    loopback_only(&req, route).map_err(|e| Box::new(e.into_response()))?;
    let (parts, body) = req.into_parts();
    http::read_body(&parts, body).await.map_err(|refused| Box::new(refused.into_response()))
}

fn clock_view(state: &AppState) -> Json<Value> {
    let now = state.clock.now_ms();
    Json(json!({ "status": "success", "data": {
        "now": time::iso(now), "nowMs": now, "frozen": state.clock.is_frozen(),
    } }))
}

async fn clock_get(State(state): State<Arc<AppState>>) -> Json<Value> {
    clock_view(&state)
}

/// `POST /__emulator/clock {"set": "2026-06-01T12:00:00Z"}` freezes the clock there;
/// `{"advance": "90s"}` (`ms`, `s`, `m`, `h`, `d`, or a number of milliseconds) moves it on.
async fn clock_set(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let body = match control_body(req, "/__emulator/clock").await {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let change = handlers::json_object(&body).and_then(|obj| match (obj.get("set"), obj.get("advance")) {
        (Some(_), Some(_)) => Err(ApiError::bad_request("give `set` or `advance`, not both")),
        (Some(Value::String(at)), None) => time::parse_instant(at).map(ClockChange::Set).ok_or_else(|| {
            ApiError::bad_request(format!("`set`: `{at}` is not an RFC 3339 instant such as 2026-06-01T12:00:00Z"))
        }),
        (None, Some(by)) => {
            let ms = match by {
                Value::String(text) => time::parse_duration(text),
                Value::Number(n) => n.as_i64().filter(|ms| *ms > 0),
                _ => None,
            };
            ms.map(ClockChange::Advance).ok_or_else(|| {
                ApiError::bad_request(
                    "`advance` must be a positive duration: `90s`, `15m`, `2h`, `1d`, `500ms` or milliseconds",
                )
            })
        }
        (Some(_), None) => Err(ApiError::bad_request("`set` must be an RFC 3339 instant string")),
        (None, None) => Err(ApiError::bad_request("give `set` (an instant) or `advance` (a duration)")),
    });
    match change {
        Ok(ClockChange::Set(at)) => state.clock.set(at),
        Ok(ClockChange::Advance(ms)) => state.clock.advance(ms),
        Err(e) => return e.into_response(),
    }
    clock_view(&state).into_response()
}

enum ClockChange {
    Set(i64),
    Advance(i64),
}

/// `POST /__emulator/reset`: back to the seeded data at once (between test cases);
/// `{"discardState": true}` also rewrites a `--state` file.
async fn reset(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let body = match control_body(req, "/__emulator/reset").await {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    // `{}` or no body; `{"discardState": true}` with `--state`.
    let discard = if body.is_empty() {
        Ok(false)
    } else {
        handlers::json_object(&body).and_then(|obj| match obj.get("discardState") {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(ApiError::bad_request("`discardState` must be true or false")),
        })
    };
    let result = match discard {
        Ok(discard) => state.reset(discard),
        Err(e) => return e.into_response(),
    };
    match result {
        Ok(()) => Json(json!({ "status": "success", "data": { "reset": true } })).into_response(),
        Err(why) => ApiError::conflict(format!("reset refused: {why}")).into_response(),
    }
}

/// `GET /__emulator/requests?endpoint=goals.create&method=POST&since=SEQ`: what clients sent,
/// redacted, oldest first.
async fn requests_get(State(state): State<Arc<AppState>>, req: Request) -> Response {
    // Bodies may hold personal data (e-mails, names): loopback callers only, like changes.
    if let Err(refused) = loopback_only(&req, "/__emulator/requests") {
        return refused.into_response();
    }
    let query = match Query::parse(req.uri()) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let mut filter = RequestFilter::default();
    for (name, value) in query.iter() {
        match name {
            "endpoint" => filter.endpoint = Some(value.to_string()),
            "method" => filter.method = Some(value.to_string()),
            "since" => match value.parse::<u64>() {
                Ok(seq) => filter.since = Some(seq),
                Err(_) => {
                    return ApiError::bad_request("`since` must be a request's `seq` (a whole number)").into_response()
                }
            },
            other => {
                return ApiError::bad_request(format!("unknown parameter `{other}`; use endpoint, method or since"))
                    .into_response()
            }
        }
    }
    let kept = state.requests.list(|r| filter.keeps(r));
    Json(json!({ "status": "success", "data": kept })).into_response()
}

/// `DELETE /__emulator/requests`: forgets the kept requests.
async fn requests_clear(State(state): State<Arc<AppState>>, req: Request) -> Response {
    if let Err(refused) = loopback_only(&req, "/__emulator/requests") {
        return refused.into_response();
    }
    state.requests.clear();
    Json(json!({ "status": "success", "data": { "cleared": true } })).into_response()
}

fn parse_fault_request(body: &[u8]) -> Result<FaultPlan, ApiError> {
    let obj = handlers::json_object(body)?;
    let faults = handlers::required_str(&obj, "faults")?;
    let routes = handlers::optional_str(&obj, "routes")?;
    FaultPlan::parse(faults, routes).map_err(|msg| ApiError::bad_request(format!("`faults`/`routes`: {msg}")))
}

async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let mut outcome = Outcome::default();
    let mut resp = dispatch_inner(&state, req, &mut outcome).await;
    // `slow` delays the answer after the request took effect, like a slow network.
    if let Some(Fault::Slow { ms }) = outcome.fault {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    resp.extensions_mut().insert(outcome);
    resp
}

/// A registry endpoint and its path parameters.
type Routed<'p> = (&'static Endpoint, Vec<(&'static str, &'p str)>);

/// A request no registry route matches: a 404, or a 405 with the methods that would do.
struct Unrouted {
    error: ApiError,
    allow: Option<String>,
}

impl IntoResponse for Unrouted {
    fn into_response(self) -> Response {
        let mut resp = self.error.into_response();
        if let Some(v) = self.allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
            resp.headers_mut().insert(header::ALLOW, v);
        }
        resp
    }
}

fn resolve<'p>(method: &HttpMethod, full_path: &'p str) -> Result<Routed<'p>, Unrouted> {
    let not_found = |message: String| Unrouted { error: ApiError::not_found(message), allow: None };
    let api_path = full_path.strip_prefix(API_PREFIX).filter(|p| p.starts_with('/'));
    let Some(api_path) = api_path else {
        return Err(not_found(format!("no route {full_path}: the API lives under {API_PREFIX}/")));
    };
    let routed = match Method::parse(method.as_str()) {
        Some(m) => route(m, api_path),
        None => Route::MethodNotAllowed,
    };
    match routed {
        Route::Found(ep, params) => Ok((ep, params)),
        Route::NotFound => Err(not_found(format!("no API route matches {method} {full_path}"))),
        Route::MethodNotAllowed => {
            let allowed: Vec<&str> = ALL_METHODS
                .iter()
                .filter(|m| matches!(route(**m, api_path), Route::Found(..)))
                .map(|m| m.as_str())
                .collect();
            if allowed.is_empty() {
                return Err(not_found(format!("no API route matches {method} {full_path}")));
            }
            let allow = allowed.join(", ");
            let msg = format!("{method} is not allowed on {full_path}; allowed: {allow}");
            Err(Unrouted { error: ApiError::new(StatusCode::METHOD_NOT_ALLOWED, msg), allow: Some(allow) })
        }
    }
}

async fn dispatch_inner(state: &AppState, req: Request, outcome: &mut Outcome) -> Response {
    let conn = connection(&req);
    let (parts, body) = req.into_parts();
    let full_path = parts.uri.path();
    let routed = resolve(&parts.method, full_path);
    outcome.endpoint = routed.as_ref().ok().map(|(ep, _)| ep.id);

    // Faults come first, as from a proxy or a failing server: nothing below runs.
    outcome.fault = state.faults.draw(outcome.endpoint);
    if let Some(fault) = outcome.fault {
        if fault == Fault::Drop {
            if let Some(conn) = &conn {
                conn.cut();
            }
        }
        if let Some(resp) = faults::response(fault) {
            return resp;
        }
    }

    let (endpoint, params) = match routed {
        Ok(found) => found,
        Err(unrouted) => return unrouted.into_response(),
    };
    let path_params: Vec<(&'static str, String)> = params.into_iter().map(|(k, v)| (k, v.to_string())).collect();

    let body = match http::read_body(&parts, body).await {
        Ok(b) => b,
        Err(refused) => return refused.into_response(),
    };
    outcome.body = Some(body.clone());

    let now_ms = state.clock.now_ms();
    let call = Call { endpoint, path: &path_params, headers: &parts.headers, uri: &parts.uri, body: &body, now_ms };
    // GETs share the store with each other; every other request has it alone, from
    // authentication to the save, so authorization and the handler see the same state and
    // writes are atomic and ordered. Nothing below awaits.
    let (result, verdict) = match handlers::handler(endpoint.key) {
        Handler::Write(write) => {
            let mut store = state.store();
            let (result, verdict) = call.run(state, &mut store, |ctx, store| write(ctx, store));
            // Saved before the answer leaves: a change the client saw acknowledged survives a crash.
            (result.and_then(|reply| save(state, &store).map(|()| reply).map_err(Refused::from)), verdict)
        }
        Handler::Read(read) => call.run(state, &mut state.read(), |ctx, store| read(ctx, store)),
    };
    let mut resp = match result {
        Ok(reply) => reply.into_response(),
        Err(Refused::Limited(resp)) => return *resp,
        Err(Refused::Error(e)) => e.into_response(),
    };
    if let Some(v) = verdict {
        http::apply_rate_limit_headers(resp.headers_mut(), &v);
    }
    resp
}

/// A routed request, before it meets the store.
struct Call<'r> {
    endpoint: &'static Endpoint,
    path: &'r [(&'static str, String)],
    headers: &'r HeaderMap,
    uri: &'r Uri,
    body: &'r [u8],
    now_ms: i64,
}

/// Why a request got no handler's answer.
enum Refused {
    /// Over the rate limit: the 429 as it goes out.
    Limited(Box<Response>),
    Error(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Error(e)
    }
}

impl Call<'_> {
    /// Authenticates, rate-limits, records the credential's use, authorizes, then calls
    /// `handle`; `store` is what the caller holds, shared or alone.
    fn run<S: Deref<Target = Store>>(
        &self,
        state: &AppState,
        store: &mut S,
        handle: impl FnOnce(&Ctx, &mut S) -> Result<Reply, ApiError>,
    ) -> (Result<Reply, Refused>, Option<Verdict>) {
        let now_s = self.now_ms.max(0) as u64 / 1000;
        let principal = match auth::authenticate(store, self.headers.get(header::AUTHORIZATION)) {
            Ok(p) => p,
            Err(e) => return (Err(e.into()), None),
        };
        let verdict = state.limiter.check(&principal.credential_id, now_s);
        if let Some(v) = verdict.filter(|v| !v.allowed) {
            return (Err(Refused::Limited(Box::new(http::too_many_requests(&v, now_s)))), verdict);
        }
        auth::touch(store, &principal, self.now_ms);
        let result = Query::parse(self.uri).and_then(|query| {
            let access = auth::authorize(store, &principal, self.endpoint, self.path, &query)?;
            let body = validate::request(self.endpoint, &query, self.body)?;
            let ctx = Ctx {
                endpoint: self.endpoint,
                principal: &principal,
                access: &access,
                path: self.path,
                query: &query,
                body: &body,
                now_ms: self.now_ms,
            };
            handle(&ctx, store)
        });
        (result.map_err(Refused::from), verdict)
    }
}

/// Saves what a write changed (`--state`) while the caller holds the store's write lock.
fn save(state: &AppState, store: &Store) -> Result<(), ApiError> {
    let Some(persist) = &state.persist else {
        return Ok(());
    };
    persist.record(store).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "the change was made but could not be saved to the state file {} ({e}); it may be lost on restart",
                persist.path().display()
            ),
        )
    })
}
