//! IANA time zones with their real rules (daylight saving time included), from the tz
//! database bundled into the binary by `jiff`, so answers do not depend on the host's
//! `/usr/share/zoneinfo`.
//!
//! Everything else in the emulator works on Unix milliseconds; a [`Zone`] only answers
//! "what is the offset at this instant" and "when does this local day start", and buckets
//! instants into local hours, days, weeks and months.

use crate::time::{self, MS_PER_DAY, MS_PER_HOUR};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A known IANA zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

/// Zone names exactly as the database spells them. Lookups in jiff ignore case; the API's
/// zone names are case-sensitive identifiers that are echoed back, so the emulator is too.
fn names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| jiff::tz::db().available().map(|n| n.to_string()).collect())
}

/// Whether `name` is an IANA zone name (exact spelling, e.g. `Europe/Paris`).
pub fn is_known(name: &str) -> bool {
    name == "UTC" || names().contains(name)
}

impl Zone {
    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), tz: TimeZone::UTC }
    }

    /// `None` for a name that is not an IANA zone.
    pub fn get(name: &str) -> Option<Zone> {
        if !is_known(name) {
            return None;
        }
        TimeZone::get(name).ok().map(|tz| Zone { name: name.to_string(), tz })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's offset from UTC at the instant `utc_ms`, in milliseconds.
    pub fn offset_ms(&self, utc_ms: i64) -> i64 {
        match Timestamp::from_millisecond(utc_ms) {
            Ok(ts) => i64::from(self.tz.to_offset(ts).seconds()) * 1000,
            Err(_) => 0,
        }
    }

    /// The wall-clock reading at `utc_ms`, as milliseconds since the local epoch.
    pub fn to_local(&self, utc_ms: i64) -> i64 {
        utc_ms + self.offset_ms(utc_ms)
    }

    /// The local day number (days since 1970-01-01) at `utc_ms`.
    pub fn local_day(&self, utc_ms: i64) -> i64 {
        self.to_local(utc_ms).div_euclid(MS_PER_DAY)
    }

    /// The instant a wall-clock reading happens. In a gap (clocks jumping forward) this is
    /// the reading shifted by the gap; in a fold (clocks going back) the earlier instant —
    /// RFC 5545's "compatible" choice, the one calendars make.
    pub fn from_local(&self, local_ms: i64) -> i64 {
        let days = local_ms.div_euclid(MS_PER_DAY);
        let rem = local_ms.rem_euclid(MS_PER_DAY);
        let (y, m, d) = time::civil_from_days(days);
        let dt = i16::try_from(y).ok().and_then(|y| {
            DateTime::new(
                y,
                m as i8,
                d as i8,
                (rem / MS_PER_HOUR) as i8,
                (rem % MS_PER_HOUR / 60_000) as i8,
                (rem % 60_000 / 1000) as i8,
                (rem % 1000 * 1_000_000) as i32,
            )
            .ok()
        });
        match dt.and_then(|dt| self.tz.to_ambiguous_timestamp(dt).compatible().ok()) {
            Some(ts) => ts.as_millisecond(),
            // Outside jiff's years (±9999): the offset at that reading is as good as any.
            None => local_ms - self.offset_ms(local_ms),
        }
    }

    /// When local day `day` starts (its midnight, or the first instant after a gap).
    pub fn start_of_day(&self, day: i64) -> i64 {
        self.from_local(day * MS_PER_DAY)
    }

    /// The start of the local `interval` bucket containing `utc_ms`.
    pub fn floor(&self, interval: Interval, utc_ms: i64) -> i64 {
        match interval {
            // Hours follow the offset in force at that instant, so the repeated hour of a
            // fold is two buckets, each one real hour long.
            Interval::Hour => {
                let local = self.to_local(utc_ms);
                utc_ms - local.rem_euclid(MS_PER_HOUR)
            }
            Interval::Day => self.start_of_day(self.local_day(utc_ms)),
            Interval::Week => {
                let day = self.local_day(utc_ms);
                self.start_of_day(day - weekday_from_monday(day))
            }
            Interval::Month => {
                let (y, m, _) = time::civil_from_days(self.local_day(utc_ms));
                self.start_of_day(time::days_from_civil(y, m, 1))
            }
        }
    }

    /// The start of the bucket after the one starting at `bucket_start`.
    pub fn next(&self, interval: Interval, bucket_start: i64) -> i64 {
        match interval {
            Interval::Hour => self.floor(Interval::Hour, bucket_start + MS_PER_HOUR),
            Interval::Day => self.start_of_day(self.local_day(bucket_start) + 1),
            Interval::Week => {
                let day = self.local_day(bucket_start);
                self.start_of_day(day - weekday_from_monday(day) + 7)
            }
            Interval::Month => {
                let (y, m, _) = time::civil_from_days(self.local_day(bucket_start));
                let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                self.start_of_day(time::days_from_civil(y, m, 1))
            }
        }
    }
}

/// 0 for Monday … 6 for Sunday (1970-01-01, day 0, was a Thursday).
fn weekday_from_monday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// A timeseries bucket size (CONTRACT W02).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Hour,
    Day,
    /// Weeks start on Monday (ISO 8601).
    Week,
    Month,
}

impl Interval {
    pub fn parse(s: &str) -> Option<Interval> {
        Some(match s {
            "hour" => Interval::Hour,
            "day" => Interval::Day,
            "week" => Interval::Week,
            "month" => Interval::Month,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Hour => "hour",
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bucket names are the contract's (`params::TIMESERIES_INTERVALS`), each one parsed.
    #[test]
    fn intervals_are_the_contracts() {
        for name in datafast_contract::params::TIMESERIES_INTERVALS {
            assert_eq!(Interval::parse(name).map(Interval::as_str), Some(*name));
        }
    }
    use crate::time::parse_instant;

    fn at(s: &str) -> i64 {
        parse_instant(s).unwrap()
    }

    #[test]
    fn lookups() {
        assert!(is_known("UTC"));
        assert!(is_known("Europe/Paris"));
        assert!(is_known("America/Argentina/Buenos_Aires"));
        // Links (old or alternative names) are IANA names too.
        for link in ["GMT", "Etc/UTC", "Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires", "US/Eastern"] {
            assert!(is_known(link), "{link}");
            assert!(Zone::get(link).is_some(), "{link}");
        }
        assert!(!is_known("Mars/Olympus_Mons"));
        assert!(!is_known("europe/paris"));
        assert!(Zone::get("Nowhere/City").is_none());
        assert_eq!(Zone::get("Asia/Kolkata").unwrap().offset_ms(0), 330 * 60_000);
    }

    #[test]
    fn offsets_follow_daylight_saving_time() {
        let paris = Zone::get("Europe/Paris").unwrap();
        assert_eq!(paris.offset_ms(at("2026-01-15T12:00:00Z")), MS_PER_HOUR);
        assert_eq!(paris.offset_ms(at("2026-07-15T12:00:00Z")), 2 * MS_PER_HOUR);
        let ny = Zone::get("America/New_York").unwrap();
        // 2026-03-08 02:00 EST → 03:00 EDT.
        assert_eq!(ny.offset_ms(at("2026-03-08T06:59:59Z")), -5 * MS_PER_HOUR);
        assert_eq!(ny.offset_ms(at("2026-03-08T07:00:00Z")), -4 * MS_PER_HOUR);
    }

    #[test]
    fn days_start_at_local_midnight_across_dst() {
        let ny = Zone::get("America/New_York").unwrap();
        let day = time::parse_date("2026-03-08").unwrap();
        assert_eq!(ny.start_of_day(day), at("2026-03-08T05:00:00Z"));
        // The switch day is 23 hours long; the next starts at midnight EDT.
        assert_eq!(ny.next(Interval::Day, ny.start_of_day(day)), at("2026-03-09T04:00:00Z"));
        // The fall-back day is 25 hours long.
        let nov1 = ny.start_of_day(time::parse_date("2026-11-01").unwrap());
        assert_eq!(ny.next(Interval::Day, nov1) - nov1, 25 * MS_PER_HOUR);
        assert_eq!(ny.floor(Interval::Day, at("2026-03-08T23:30:00-04:00")), at("2026-03-08T05:00:00Z"));
        // A wall-clock reading in the gap moves forward by the gap.
        assert_eq!(ny.from_local(day * MS_PER_DAY + 2 * MS_PER_HOUR + 30 * 60_000), at("2026-03-08T07:30:00Z"));
    }

    #[test]
    fn hours_weeks_and_months() {
        let ny = Zone::get("America/New_York").unwrap();
        // The repeated 01:00 hour on 2026-11-01 is two buckets.
        let first = at("2026-11-01T01:00:00-04:00");
        assert_eq!(ny.floor(Interval::Hour, at("2026-11-01T01:59:00-04:00")), first);
        assert_eq!(ny.next(Interval::Hour, first), at("2026-11-01T01:00:00-05:00"));
        let kolkata = Zone::get("Asia/Kolkata").unwrap();
        assert_eq!(kolkata.floor(Interval::Hour, at("2026-05-01T10:10:00Z")), at("2026-05-01T09:30:00Z"));
        // 2026-03-11 is a Wednesday; its week starts Monday 2026-03-09.
        assert_eq!(ny.floor(Interval::Week, at("2026-03-11T12:00:00Z")), at("2026-03-09T00:00:00-04:00"));
        assert_eq!(ny.next(Interval::Week, at("2026-03-02T00:00:00-05:00")), at("2026-03-09T00:00:00-04:00"));
        assert_eq!(ny.floor(Interval::Month, at("2026-03-31T12:00:00Z")), at("2026-03-01T00:00:00-05:00"));
        assert_eq!(ny.next(Interval::Month, at("2026-12-01T00:00:00-05:00")), at("2027-01-01T00:00:00-05:00"));
        assert_eq!(Interval::parse("week").map(Interval::as_str), Some("week"));
        assert_eq!(Interval::parse("year"), None);
    }
}
