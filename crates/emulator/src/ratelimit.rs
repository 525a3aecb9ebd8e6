//! Per-token fixed-window rate limiting (CONTRACT 2.4; the numbers are the emulator's own).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// `limit` requests per `window_secs` seconds, per token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window_secs: u64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { limit: 60, window_secs: 60 }
    }
}

impl RateLimit {
    /// Parses a `--rate-limit` value: `N/S` (N requests per S seconds) or `off` (→ `None`).
    pub fn parse_spec(spec: &str) -> Result<Option<RateLimit>, String> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        spec.parse().map(Some)
    }
}

impl FromStr for RateLimit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("rate limit `{s}` must look like 60/60 (requests/seconds) or be `off`");
        let (n, secs) = s.split_once('/').ok_or_else(bad)?;
        let limit: u32 = n.trim().parse().map_err(|_| bad())?;
        let window_secs: u64 = secs.trim().parse().map_err(|_| bad())?;
        if limit == 0 || window_secs == 0 {
            return Err(bad());
        }
        Ok(RateLimit { limit, window_secs })
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.limit, self.window_secs)
    }
}

/// The outcome of counting one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds at which the current window ends.
    pub reset: u64,
}

impl Verdict {
    /// Whole seconds until the window ends, at least 1 (what the 429 message advises).
    pub fn retry_after(&self, now_s: u64) -> u64 {
        self.reset.saturating_sub(now_s).max(1)
    }
}

#[derive(Debug)]
struct Window {
    start: u64,
    count: u32,
}

#[derive(Debug)]
pub struct RateLimiter {
    spec: Option<RateLimit>,
    /// Keyed by the credential's id, never by its secret.
    windows: Mutex<HashMap<String, Window>>,
    /// Requests refused with a 429 since start (`GET /__emulator/rate-limit`), so tests and
    /// benchmarks can check that a client never provoked one.
    refused: AtomicU64,
}

impl RateLimiter {
    pub fn new(spec: Option<RateLimit>) -> RateLimiter {
        RateLimiter { spec, windows: Mutex::new(HashMap::new()), refused: AtomicU64::new(0) }
    }

    pub fn spec(&self) -> Option<RateLimit> {
        self.spec
    }

    /// Counts one request of `key` at `now_s`. Rejected requests are not counted, so a client
    /// that waits for `reset` gets a full window. With rate limiting off every request is
    /// allowed and the verdict says so (limit and remaining `u32::MAX`, a window of a minute):
    /// the contract has every response carry the `X-RateLimit-*` headers.
    pub fn check(&self, key: &str, now_s: u64) -> Option<Verdict> {
        let Some(spec) = self.spec else {
            return Some(Verdict { allowed: true, limit: u32::MAX, remaining: u32::MAX, reset: now_s + 60 });
        };
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let w = windows.entry(key.to_string()).or_insert(Window { start: now_s, count: 0 });
        if now_s >= w.start + spec.window_secs {
            *w = Window { start: now_s, count: 0 };
        }
        let allowed = w.count < spec.limit;
        if allowed {
            w.count += 1;
        } else {
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
        Some(Verdict { allowed, limit: spec.limit, remaining: spec.limit - w.count, reset: w.start + spec.window_secs })
    }
}

impl RateLimiter {
    /// How many requests were refused with a 429 since start.
    /// Forgets every window (`POST /__emulator/reset`); the count of 429s served stays.
    pub fn clear(&self) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(RateLimit::parse_spec("60/60"), Ok(Some(RateLimit { limit: 60, window_secs: 60 })));
        assert_eq!(RateLimit::parse_spec("off"), Ok(None));
        assert!(RateLimit::parse_spec("0/60").is_err());
        assert!(RateLimit::parse_spec("60").is_err());
        assert!(RateLimit::parse_spec("a/b").is_err());
    }

    #[test]
    fn fixed_window() {
        let rl = RateLimiter::new(Some(RateLimit { limit: 2, window_secs: 10 }));
        let v1 = rl.check("t", 100).unwrap();
        assert!(v1.allowed && v1.remaining == 1 && v1.reset == 110);
        assert!(rl.check("t", 101).unwrap().allowed);
        let v3 = rl.check("t", 102).unwrap();
        assert!(!v3.allowed && v3.remaining == 0 && v3.retry_after(102) == 8);
        assert_eq!(rl.refused(), 1);
        assert!(rl.check("other", 102).unwrap().allowed, "limits are per token");
        let v4 = rl.check("t", 110).unwrap();
        assert!(v4.allowed && v4.remaining == 1 && v4.reset == 120);
        let off = RateLimiter::new(None).check("t", 1).unwrap();
        assert!(off.allowed && off.limit == u32::MAX && off.remaining == u32::MAX && off.reset == 61);
    }
}
