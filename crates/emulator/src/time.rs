//! Calendar arithmetic on Unix milliseconds (proleptic Gregorian, UTC), enough for the API's
//! ISO-8601 strings without pulling in a date crate.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub const MS_PER_MINUTE: i64 = 60_000;
pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 86_400_000;

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The emulator's "now", which tests control (`--now`, `POST /__emulator/clock`): the wall
/// clock moved by an offset, or frozen at an instant. Everything time-based reads it —
/// rate-limit windows, realtime, default date ranges, timestamps of created objects.
#[derive(Debug)]
pub struct Clock(Mutex<Reading>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    /// The wall clock plus this many milliseconds.
    Running {
        offset_ms: i64,
    },
    Frozen {
        at_ms: i64,
    },
}

impl Clock {
    /// The wall clock, or frozen at `at_ms` (`--now`).
    pub fn new(frozen_at_ms: Option<i64>) -> Clock {
        Clock(Mutex::new(match frozen_at_ms {
            Some(at_ms) => Reading::Frozen { at_ms },
            None => Reading::Running { offset_ms: 0 },
        }))
    }

    fn reading(&self) -> std::sync::MutexGuard<'_, Reading> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now_ms(&self) -> i64 {
        match *self.reading() {
            Reading::Running { offset_ms } => now_ms() + offset_ms,
            Reading::Frozen { at_ms } => at_ms,
        }
    }

    pub fn is_frozen(&self) -> bool {
        matches!(*self.reading(), Reading::Frozen { .. })
    }

    /// Freezes the clock at `at_ms`.
    pub fn set(&self, at_ms: i64) {
        *self.reading() = Reading::Frozen { at_ms };
    }

    /// Moves the clock on by `ms` (frozen or running).
    pub fn advance(&self, ms: i64) {
        let mut reading = self.reading();
        *reading = match *reading {
            Reading::Running { offset_ms } => Reading::Running { offset_ms: offset_ms.saturating_add(ms) },
            Reading::Frozen { at_ms } => Reading::Frozen { at_ms: at_ms.saturating_add(ms) },
        };
    }
}

/// A duration as tests write it: `90s`, `15m`, `2h`, `7d`, `500ms`, or a whole number of
/// milliseconds. `None` unless it is one of those, positive, and at most ten years.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let unit_ms = match unit {
        "" | "ms" => 1,
        "s" => 1_000,
        "m" => MS_PER_MINUTE,
        "h" => MS_PER_HOUR,
        "d" => MS_PER_DAY,
        _ => return None,
    };
    let ms = n.checked_mul(unit_ms)?;
    (ms > 0 && ms <= 3650 * MS_PER_DAY).then_some(ms)
}

/// Day numbers ↔ civil dates: one implementation, the contract's (the client reads
/// `Retry-After` dates and the CLI its periods with it).
pub use datafast_contract::calendar::{civil_from_days, days_from_civil};

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` → day number, `None` unless it is a real calendar date.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (digits(y)?, digits(m)? as u32, digits(d)? as u32);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)` → Unix ms. `None` for anything else.
pub fn parse_instant(s: &str) -> Option<i64> {
    let (day, time) = s.split_once('T')?;
    let day = parse_date(day)?;
    let (clock, offset_min) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else {
        let pos = time.rfind(['+', '-'])?;
        let (c, zone) = time.split_at(pos);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (zh, zm) = zone.get(1..)?.split_once(':')?;
        if zh.len() != 2 || zm.len() != 2 {
            return None;
        }
        (c, sign * (digits(zh)? * 60 + digits(zm)?))
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let h = parts.next().filter(|p| p.len() == 2).and_then(digits)?;
    let mi = parts.next().filter(|p| p.len() == 2).and_then(digits)?;
    let sec = match parts.next() {
        Some(p) if p.len() == 2 => digits(p)?,
        Some(_) => return None,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let ms = if frac.is_empty() {
        0
    } else {
        // Only the first three fractional digits matter.
        let f = frac.get(..frac.len().min(3))?;
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits(f)? * 10_i64.pow(3 - f.len() as u32)
    };
    Some(day * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000 + ms - offset_min * MS_PER_MINUTE)
}

/// Unix ms → `2026-05-21T00:00:00.000Z`, the API's timestamp form.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / MS_PER_HOUR,
        rem % MS_PER_HOUR / MS_PER_MINUTE,
        rem % MS_PER_MINUTE / 1000,
        rem % 1000
    )
}

/// `2026-03-08T00:00:00-05:00`: the wall-clock reading at `utc_ms` with its offset (`Z` when
/// the offset is zero), the form of timeseries bucket starts.
pub fn iso_with_offset(utc_ms: i64, offset_ms: i64) -> String {
    let local = utc_ms + offset_ms;
    let (y, m, d) = civil_from_days(local.div_euclid(MS_PER_DAY));
    let rem = local.rem_euclid(MS_PER_DAY);
    let clock = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / MS_PER_HOUR,
        rem % MS_PER_HOUR / MS_PER_MINUTE,
        rem % MS_PER_MINUTE / 1000
    );
    if offset_ms == 0 {
        return clock + "Z";
    }
    let sign = if offset_ms < 0 { '-' } else { '+' };
    let minutes = offset_ms.abs() / MS_PER_MINUTE;
    format!("{clock}{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// English month abbreviations, for labels (`17 Dec`).
pub const MONTH_ABBREVIATIONS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_tests_write_them() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("15m"), Some(15 * MS_PER_MINUTE));
        assert_eq!(parse_duration("2h"), Some(2 * MS_PER_HOUR));
        assert_eq!(parse_duration("1d"), Some(MS_PER_DAY));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("250"), Some(250));
        for bad in ["", "0s", "-5s", "5 weeks", "1.5h", "s", "99999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let clock = Clock::new(Some(1_000));
        assert!(clock.is_frozen());
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 1_500);
        clock.set(42);
        assert_eq!(clock.now_ms(), 42);
        let running = Clock::new(None);
        let before = now_ms();
        running.advance(MS_PER_DAY);
        assert!(running.now_ms() >= before + MS_PER_DAY);
        assert!(!running.is_frozen());
    }

    #[test]
    fn civil_round_trip() {
        for z in [-1000, 0, 1, 19_000, 20_500, 60_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2024-02-29").map(civil_from_days), Some((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_instant("1970-01-01T01:00:00.5+01:00"), Some(500));
        assert_eq!(parse_instant("1970-01-01T00:00-00:30"), Some(30 * MS_PER_MINUTE));
        assert_eq!(parse_instant("2026-05-21T00:00:00.000Z").map(iso).as_deref(), Some("2026-05-21T00:00:00.000Z"));
        for bad in ["2026-05-21", "2026-05-21T00:00:00", "2026-05-21T24:00:00Z", "2026-05-21T00:00:00+0100", "x"] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
        let t = parse_instant("2026-03-08T05:00:00Z").unwrap();
        assert_eq!(iso_with_offset(t, -5 * MS_PER_HOUR), "2026-03-08T00:00:00-05:00");
        assert_eq!(iso_with_offset(t, 0), "2026-03-08T05:00:00Z");
        assert_eq!(iso_with_offset(t, 330 * MS_PER_MINUTE), "2026-03-08T10:30:00+05:30");
    }
}
