//! Retry decisions: which failures to try again, and how long to wait first.
//!
//! Pure functions of the failure, the request and the clock; [`crate::core::call`] applies
//! them within the call's time budget.

use super::error::{ClientError, ErrorCode};
use datafast_contract::{Endpoint, EndpointId};

pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const MAX_RETRIES_LIMIT: u32 = 10;
const BASE_DELAY_MS: f64 = 500.0;
const MAX_BACKOFF_MS: f64 = 8_000.0;
/// Spread added to a server-given wait, so clients that were told the same reset do not all
/// come back in the same millisecond.
const HINT_JITTER_MS: f64 = 250.0;

/// Whether sending `endpoint`'s request twice cannot apply it twice: the idempotent methods,
/// and `payments.create`, which the API deduplicates on its required `transaction_id`
/// (CONTRACT.md: "posting it again records nothing new").
pub fn safe_to_repeat(endpoint: &Endpoint) -> bool {
    endpoint.method.is_idempotent() || endpoint.key == EndpointId::PaymentsCreate
}

/// Whether this client retries `error` for a request: transient failures (connection errors,
/// timeouts, 408, 429, 5xx but 501) of requests that are safe to repeat, and a 429 for any
/// request, since the server refused it before acting on it. A timeout or a 5xx of a POST is
/// final: the server may have acted.
pub fn would_retry(safe_to_repeat: bool, error: &ClientError) -> bool {
    error.is_transient() && (safe_to_repeat || error.code == ErrorCode::RateLimited)
}

/// How long to wait before retry number `retries_done + 1`: what the server asked for (a
/// 429's window `reset`, or `Retry-After`) when it is in the future, else exponential backoff
/// with jitter (`random` in 0..1) to spread clients apart.
pub fn delay_ms(retries_done: u32, error: &ClientError, retry_after_ms: Option<f64>, now_ms: f64, random: f64) -> f64 {
    let random = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
    let reset_ms = match error.code {
        ErrorCode::RateLimited => error.rate_limit.and_then(|r| r.reset).map(|reset| until_reset_ms(reset, now_ms)),
        _ => None,
    };
    let future = |ms: &f64| *ms > 0.0;
    match reset_ms.filter(future).or(retry_after_ms.filter(future)) {
        Some(ms) => ms + HINT_JITTER_MS * random,
        None => backoff_ms(retries_done, random),
    }
}

fn backoff_ms(retries_done: u32, random: f64) -> f64 {
    (BASE_DELAY_MS * 2f64.powi(retries_done.min(16) as i32)).min(MAX_BACKOFF_MS) * (1.0 - 0.25 * random)
}

/// Milliseconds from `now_ms` until a rate-limit `reset`. The API documents Unix seconds;
/// values that can only be Unix milliseconds (≥ 10¹²) or seconds from now (< 10⁹, i.e.
/// before 2001 as a date) are read as such rather than as a date long past.
pub fn until_reset_ms(reset: f64, now_ms: f64) -> f64 {
    if reset >= 1e12 {
        reset - now_ms
    } else if reset >= 1e9 {
        reset * 1000.0 - now_ms
    } else {
        reset * 1000.0
    }
}

/// `Retry-After` (RFC 9110 10.2.3) as milliseconds from `now_ms`: delay-seconds or an
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`). Anything else is ignored.
pub fn parse_retry_after(text: &str, now_ms: f64) -> Option<f64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u32>().ok().map(|s| f64::from(s) * 1000.0);
    }
    http_date_ms(text).map(|at| at - now_ms)
}

/// Unix milliseconds of an IMF-fixdate.
fn http_date_ms(text: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = text.split(' ');
    let (_weekday, day, month, year, time, zone) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if zone != "GMT" || parts.next().is_some() {
        return None;
    }
    let number = |s: &str| if s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<i64>().ok() } else { None };
    let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
    let (day, year) = (number(day)?, number(year)?);
    let mut hms = time.split(':').map(number);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || hms.next().is_some() {
        return None;
    }
    let days = datafast_contract::calendar::days_from_civil(year, month, day as u32);
    Some(((days * 86_400 + h * 3_600 + m * 60 + s) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::RateLimit;
    use datafast_contract::registry::find;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let e = ClientError::http(503, "busy");
        assert_eq!(delay_ms(0, &e, None, 0.0, 0.0), 500.0);
        assert_eq!(delay_ms(1, &e, None, 0.0, 0.0), 1000.0);
        assert_eq!(delay_ms(1, &e, None, 0.0, 1.0), 750.0);
        assert_eq!(delay_ms(9, &e, None, 0.0, 0.0), 8000.0);
        assert_eq!(delay_ms(u32::MAX, &e, None, 0.0, f64::NAN), 8000.0);
    }

    #[test]
    fn what_is_retried() {
        let overview = safe_to_repeat(find("analytics.overview").unwrap());
        let goal = safe_to_repeat(find("goals.create").unwrap());
        assert!(overview && !goal);
        assert!(safe_to_repeat(find("payments.create").unwrap()), "deduplicated on transaction_id");
        assert!(safe_to_repeat(find("goals.delete").unwrap()));
        assert!(!safe_to_repeat(find("admin.goals.customizations.update").unwrap()), "PATCH");
        assert!(safe_to_repeat(find("admin.funnels.update").unwrap()), "PUT");
        let busy = ClientError::http(503, "busy");
        assert!(would_retry(true, &busy) && !would_retry(false, &busy));
        assert!(would_retry(false, &ClientError::http(429, "slow down")));
        assert!(!would_retry(true, &ClientError::http(501, "nope")));
        assert!(!would_retry(true, &ClientError::http(409, "duplicate")));
        let timeout = ClientError::local(ErrorCode::Timeout, "timed out");
        assert!(would_retry(true, &timeout) && !would_retry(false, &timeout));
    }

    #[test]
    fn a_429_waits_for_its_reset_in_any_unit() {
        let mut e = ClientError::http(429, "slow down");
        let now = 1_700_000_000_000.0;
        for reset in [1_700_000_003.0, 1_700_000_003_000.0, 3.0] {
            e.rate_limit = Some(RateLimit { limit: Some(60.0), remaining: Some(0.0), reset: Some(reset) });
            assert_eq!(delay_ms(0, &e, None, now, 0.0), 3000.0, "reset {reset}");
        }
        // A reset already past falls back to backoff; Retry-After is the next best hint.
        e.rate_limit = Some(RateLimit { reset: Some(1_600_000_000.0), ..RateLimit::default() });
        assert_eq!(delay_ms(0, &e, None, now, 0.0), 500.0);
        assert_eq!(delay_ms(0, &e, Some(2000.0), now, 1.0), 2250.0);
        // A 503's Retry-After is honoured too.
        assert_eq!(delay_ms(0, &ClientError::http(503, "busy"), Some(4000.0), now, 0.0), 4000.0);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("120", 0.0), Some(120_000.0));
        assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
        let at = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 5000.0), Some(5000.0));
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0.0), Some(0.0));
        assert_eq!(parse_retry_after("Tue, 29 Feb 2028 12:00:00 GMT", 0.0), Some(1_835_438_400_000.0));
        for junk in
            ["", "-5", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Foo 1994 08:49:37 GMT", "99999999999"]
        {
            assert_eq!(parse_retry_after(junk, 0.0), None, "{junk:?}");
        }
    }
}
