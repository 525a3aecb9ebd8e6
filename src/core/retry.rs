//! Retry decisions: which failures to try again, and how long to wait first.

use super::error::{ClientError, ErrorCode};
use datafast_contract::Method;

pub const DEFAULT_MAX_RETRIES: u32 = 2;
const BASE_DELAY_MS: f64 = 500.0;
const MAX_BACKOFF_MS: f64 = 8_000.0;
/// A rate-limit window that resets later than this is reported instead of waited out.
pub const MAX_RATE_LIMIT_WAIT_MS: f64 = 60_000.0;

/// How long to wait before retry number `retries_done + 1`, or `None` to give up.
///
/// Transient failures are retried on idempotent methods only, except a 429: the server
/// refused the request before acting on it, so even a POST is safe to repeat. A 429 waits
/// until the window's `reset` when the server said when; otherwise exponential backoff with
/// jitter (`random` in 0..1) spreads clients apart.
pub fn delay_before_retry(
    max_retries: u32,
    retries_done: u32,
    method: Method,
    error: &ClientError,
    now_ms: f64,
    random: f64,
) -> Option<u32> {
    if retries_done >= max_retries || !error.retryable() {
        return None;
    }
    let rate_limited = error.code == ErrorCode::RateLimited;
    if !method.is_idempotent() && !rate_limited {
        return None;
    }
    let backoff =
        (BASE_DELAY_MS * 2f64.powi(retries_done as i32)).min(MAX_BACKOFF_MS) * (1.0 - 0.25 * random.clamp(0.0, 1.0));
    let reset_ms = error.rate_limit.and_then(|r| r.reset).map(|reset| reset * 1000.0 - now_ms);
    let wait = match reset_ms {
        Some(ms) if rate_limited && ms > MAX_RATE_LIMIT_WAIT_MS => return None,
        Some(ms) if rate_limited && ms > 0.0 => ms + 250.0 * random.clamp(0.0, 1.0),
        _ => backoff,
    };
    Some(wait.ceil() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::RateLimit;

    #[test]
    fn backoff_grows_and_stops() {
        let e = ClientError::http(503, "busy");
        assert_eq!(delay_before_retry(2, 0, Method::Get, &e, 0.0, 0.0), Some(500));
        assert_eq!(delay_before_retry(2, 1, Method::Get, &e, 0.0, 0.0), Some(1000));
        assert_eq!(delay_before_retry(2, 1, Method::Get, &e, 0.0, 1.0), Some(750));
        assert_eq!(delay_before_retry(2, 2, Method::Get, &e, 0.0, 0.0), None);
        assert_eq!(delay_before_retry(10, 9, Method::Get, &e, 0.0, 0.0), Some(8000));
    }

    #[test]
    fn only_safe_requests_are_repeated() {
        let e = ClientError::http(503, "busy");
        assert_eq!(delay_before_retry(2, 0, Method::Post, &e, 0.0, 0.0), None);
        assert!(delay_before_retry(2, 0, Method::Delete, &e, 0.0, 0.0).is_some());
        assert_eq!(delay_before_retry(2, 0, Method::Get, &ClientError::http(404, "x"), 0.0, 0.0), None);
        assert_eq!(delay_before_retry(2, 0, Method::Get, &ClientError::http(409, "dup"), 0.0, 0.0), None);
        let timeout = ClientError::local(ErrorCode::Timeout, "timed out");
        assert!(delay_before_retry(2, 0, Method::Get, &timeout, 0.0, 0.0).is_some());
    }

    #[test]
    fn rate_limit_waits_for_reset() {
        let mut e = ClientError::http(429, "slow down");
        e.rate_limit = Some(RateLimit { limit: Some(60.0), remaining: Some(0.0), reset: Some(1_000.0) });
        // 3 s before the reset, even for a POST.
        assert_eq!(delay_before_retry(2, 0, Method::Post, &e, 997_000.0, 0.0), Some(3000));
        // A reset too far away is reported, not waited out.
        assert_eq!(delay_before_retry(2, 0, Method::Get, &e, 900_000.0, 0.0), None);
        // A reset already past falls back to backoff.
        assert_eq!(delay_before_retry(2, 0, Method::Get, &e, 2_000_000.0, 0.0), Some(500));
    }
}
