//! The DataFast API contract as data, shared by the client, the emulator and the CLI.
//!
//! * [`registry`]: all 65 endpoints (id, surface, method, path template, permission, token
//!   kinds, result shape), the one table every other part is driven by.
//! * [`auth`]: permission strings and token kinds.
//! * [`rules`]: input rules (goal names, ids, limits) both sides enforce the same way.
//! * [`calendar`]: day numbers ↔ civil dates, for the API's dates.
//! * [`params`]: every endpoint's input fields and their rules, checked by [`params::check`].
//! * `catalog` (native only): all of the above as JSON, each endpoint's input as a JSON Schema.
//! * `mcp` (native only): the MCP tool catalogue, one tool per endpoint, built from `catalog`.
//! * `responses` (native only): every endpoint's answer, declared once: the client's
//!   TypeScript result types are generated from it and the emulator's tests check against it.
//! * [`samples`]: one valid input per endpoint, for tests.
//!
//! Pure Rust, no I/O: it compiles into the wasm client at almost no cost. Its one dependency,
//! `serde_json` for the catalogue, is native only.

// The client links this crate into wasm, where a panic kills the instance: input never
// panics here. Tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod auth;
pub mod calendar;
#[cfg(not(target_arch = "wasm32"))]
pub mod catalog;
#[cfg(not(target_arch = "wasm32"))]
pub mod mcp;
pub mod params;
pub mod registry;
#[cfg(not(target_arch = "wasm32"))]
pub mod responses;
pub mod rules;
pub mod samples;

pub use auth::{Permission, TokenKind};
pub use registry::{Endpoint, EndpointId, Method, Placement, ResultShape, Surface, TokenRule, ENDPOINTS};

/// Every API path is below this prefix on the API origin.
pub const API_PREFIX: &str = "/api/v1";
/// The real service's origin; clients default to it.
pub const DEFAULT_BASE_URL: &str = "https://datafa.st";
