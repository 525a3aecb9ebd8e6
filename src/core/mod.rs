//! Sans-IO core of the client: everything that is not moving bytes.
//!
//! The wasm layer (and later the native CLI) performs fetch, timers and value conversion; this
//! module decides what to send and what a response means, and is tested natively.

pub mod error;
pub mod request;
pub mod response;
pub mod retry;
pub mod validate;
pub mod value;

pub use error::{ClientError, ErrorCode, RateLimit};
pub use request::{Credentials, PlannedRequest};
pub use response::{BodyView, Delivered};
pub use value::Value;
