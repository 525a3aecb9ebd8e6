//! `datafast-emulator`: a local, in-memory DataFast API on loopback.
//!
//! Routes, permissions, token kinds and input rules all come from `datafast-contract`; this
//! crate adds the state (a deterministic demo account with synthetic traffic) and the
//! behaviour of each endpoint.
//!
//! In-process use (tests, other tools):
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use datafast_emulator::{start, Config};
//! let server = start(Config::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("{} {}", server.base_url(), server.tokens().credentials.owner_token);
//! server.stop().await?;
//! # Ok(()) }
//! ```
//!
//! Or without a socket: `app(AppState::new(config))` is an `axum::Router` (a tower
//! `Service`) that can be driven with `tower::ServiceExt::oneshot`.
//!
//! Operation: [`AppState::open`] backs the state with a file (`persist`), `state.faults`
//! injects failures (`faults`), and `Config::verbose` turns on the JSON request log
//! (`reqlog`).

pub mod analytics;
pub mod auth;
pub mod conn;
pub mod faults;
pub mod handlers;
pub mod http;
pub mod persist;
pub mod ratelimit;
pub mod reqlog;
mod rng;
pub mod router;
pub mod seed;
pub mod state;
pub mod state_file;
pub mod time;
pub mod tz;
pub mod validate;

pub use conn::Limits;
pub use faults::FaultPlan;
pub use persist::{Opened, StateError};
pub use ratelimit::RateLimit;
pub use router::app;
pub use seed::{DemoCredentials, DemoTeamMember, DemoWebsite};
pub use state::{AppState, Config};

use serde::Serialize;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The tokens file (`--tokens-file`), other tools read it:
/// `{"baseUrl","ownerToken","websites":[{"id","domain","name","key"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokensFile {
    pub base_url: String,
    #[serde(flatten)]
    pub credentials: DemoCredentials,
}

impl TokensFile {
    pub fn new(base_url: impl Into<String>, credentials: &DemoCredentials) -> TokensFile {
        TokensFile { base_url: base_url.into(), credentials: credentials.clone() }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Writes the file atomically, so a script waiting for it to appear never reads a
    /// half-written file.
    pub fn write_atomically(&self, path: &Path) -> io::Result<()> {
        persist::write_atomically(path, (self.to_json() + "\n").as_bytes())
    }
}

/// Serves the emulator on `listener` until `shutdown` resolves, then finishes in-flight
/// requests, saves the state file (if any) and returns.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, state, Limits::default(), shutdown).await
}

/// [`serve`] with other time limits for clients (tests use short ones).
pub async fn serve_with(
    listener: TcpListener,
    state: Arc<AppState>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_app(listener, app(state.clone()), state, limits, shutdown).await
}

/// [`serve`] with a router built around [`app`] (e.g. [`router::with_site`]).
pub async fn serve_router(
    listener: TcpListener,
    router: axum::Router,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_app(listener, router, state, Limits::default(), shutdown).await
}

async fn serve_app(
    listener: TcpListener,
    router: axum::Router,
    state: Arc<AppState>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    conn::serve(conn::Listener(listener), router, limits, shutdown).await?;
    state.save()
}

/// A running in-process emulator (see [`start`]).
#[derive(Debug)]
pub struct Server {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl Server {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What `--tokens-file` would contain for this instance.
    pub fn tokens(&self) -> TokensFile {
        TokensFile::new(self.base_url(), &self.state.demo)
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn stop(self) -> io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.map_err(io::Error::other)?
    }
}

/// Builds the demo state from `config`, binds `addr` (port 0 = any free port) and serves in
/// a background task.
pub async fn start(config: Config, addr: SocketAddr) -> io::Result<Server> {
    start_with(AppState::new(config), addr).await
}

/// Serves an existing state (e.g. from [`AppState::open`]) like [`start`].
pub async fn start_with(state: Arc<AppState>, addr: SocketAddr) -> io::Result<Server> {
    start_with_limits(state, addr, Limits::default()).await
}

/// [`start_with`] with other time limits for clients.
pub async fn start_with_limits(state: Arc<AppState>, addr: SocketAddr, limits: Limits) -> io::Result<Server> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_with(listener, state.clone(), limits, async {
        let _ = rx.await;
    }));
    Ok(Server { addr, state, shutdown: tx, task })
}
