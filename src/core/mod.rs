//! Sans-IO core of the client: everything that is not moving bytes.
//!
//! A call is a state machine ([`call::Call`]): the wasm layer (JS `fetch`, timers, signals)
//! and the native CLI (a blocking HTTP client) drive it; this module decides what to send,
//! what a response means, when to retry and how long to wait, and is tested natively.

// Input from callers and servers never panics here (a panic in wasm kills the instance).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod call;
pub mod error;
pub mod pace;
pub mod request;
pub mod response;
pub mod retry;
pub mod validate;
pub mod value;

pub use call::{Call, CallOptions, ClientConfig, Failure, ResponseHead, Step, Success};
pub use error::{ClientError, ErrorCode, RateLimit};
pub use pace::Pacer;
pub use request::{Credentials, PlannedRequest};
pub use response::{BodyView, Delivered};
pub use value::Value;
