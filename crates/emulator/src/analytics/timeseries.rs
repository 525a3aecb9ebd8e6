//! W02: metrics per local hour, day, week or month.
//!
//! Buckets are built from the zone's calendar (see `tz::Zone::floor`/`next`), so a day
//! bucket always starts at local midnight, even on the 23- and 25-hour days of DST
//! switches.

use super::{fast_set, money, AnalyticsQuery, MoneySums, Range, Selection};
use crate::state::EventKind;
use crate::time::{self, MS_PER_HOUR};
use crate::tz::{Interval, Zone};
use datafast_contract::rules::{RuleResult, RuleViolation};

/// The most buckets one request may span (an hourly series over almost six years).
pub const MAX_BUCKETS: usize = 50_000;

/// The buckets a request covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The interval used (a same-day range is upgraded to `hour`).
    pub interval: Interval,
    /// Events counted: the requested dates, or the interval's default window.
    pub range: Range,
    /// Bucket starts, ascending; bucket `i` ends where `i + 1` starts (the last one ends
    /// at or after `range.end`).
    pub starts: Vec<i64>,
}

/// The interval and window of a request: explicit dates (upgraded to `hour` when they lie
/// within one local day), or, without dates, the default window of the interval ending
/// with the bucket that contains `now_ms`: 24 hours, 30 days (day and week) or 12 months.
pub fn plan(requested: Interval, q: &AnalyticsQuery, now_ms: i64) -> RuleResult<Plan> {
    let zone = &q.zone;
    let (interval, range) = match q.range {
        Some(r) => {
            let same_day = zone.local_day(r.start) == zone.local_day(r.end - 1);
            (if same_day { Interval::Hour } else { requested }, r)
        }
        None => (requested, default_window(requested, zone, now_ms)),
    };
    let mut starts = Vec::new();
    let mut b = zone.floor(interval, range.start);
    while b < range.end {
        if starts.len() == MAX_BUCKETS {
            return Err(RuleViolation::new(
                "interval",
                format!("gives more than {MAX_BUCKETS} buckets for this date range: use a longer interval or a shorter range"),
            ));
        }
        starts.push(b);
        b = zone.next(interval, b);
    }
    Ok(Plan { interval, range, starts })
}

fn default_window(interval: Interval, zone: &Zone, now_ms: i64) -> Range {
    let today = zone.local_day(now_ms);
    match interval {
        Interval::Hour => {
            let current = zone.floor(Interval::Hour, now_ms);
            Range {
                start: zone.floor(Interval::Hour, current - 23 * MS_PER_HOUR),
                end: zone.next(Interval::Hour, current),
            }
        }
        Interval::Day | Interval::Week => {
            Range { start: zone.start_of_day(today - 29), end: zone.start_of_day(today + 1) }
        }
        Interval::Month => {
            let (y, m, _) = time::civil_from_days(today);
            // Eleven months back from this one.
            let months = y * 12 + i64::from(m) - 1 - 11;
            let first = time::days_from_civil(months.div_euclid(12), (months.rem_euclid(12) + 1) as u32, 1);
            let this_month = zone.floor(Interval::Month, now_ms);
            Range { start: zone.start_of_day(first), end: zone.next(Interval::Month, this_month) }
        }
    }
}

/// The numbers of one bucket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bucket {
    pub start: i64,
    /// Unique visitors with a pageview in the bucket.
    pub visitors: u64,
    /// Sessions with a pageview in the bucket (a session across a boundary counts in both).
    pub sessions: u64,
    pub money: MoneySums,
}

/// Buckets of `plan` filled from `sel` (already limited to `plan.range` and the filters).
pub fn buckets(sel: &Selection, plan: &Plan) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = plan.starts.iter().map(|&start| Bucket { start, ..Bucket::default() }).collect();
    let mut visitor_pairs = fast_set::<u64>(sel.size_hint() / 2);
    let mut session_pairs = fast_set::<u64>(sel.size_hint() / 2);
    for p in sel.iter() {
        let e = p.event;
        let Some(i) = plan.starts.partition_point(|&s| s <= e.ts).checked_sub(1) else {
            continue;
        };
        let Some(bucket) = out.get_mut(i) else { continue };
        match e.kind {
            EventKind::Pageview => {
                if visitor_pairs.insert((i as u64) << 32 | p.visitor as u64) {
                    bucket.visitors += 1;
                }
                if session_pairs.insert((i as u64) << 32 | p.session as u64) {
                    bucket.sessions += 1;
                }
            }
            EventKind::Payment => {
                if let Some(m) = money(e) {
                    bucket.money.add(m);
                }
            }
            EventKind::Goal => {}
        }
    }
    out
}

/// CONTRACT W02's revenue-based conversion rate: new revenue (plus renewals when the
/// website counts them) per unique visitor.
pub fn conversion_rate(m: &MoneySums, visitors: u64, include_renewals: bool) -> f64 {
    let revenue = m.new + if include_renewals { m.renewal } else { 0.0 };
    super::ratio(revenue, visitors as f64)
}

/// A bucket's `name`: `17 Dec 14:00` (hour), `17 Dec` (day, week: its first day),
/// `Dec 2025` (month), read on the zone's wall clock.
pub fn label(interval: Interval, zone: &Zone, start: i64) -> String {
    let local = zone.to_local(start);
    let (y, m, d) = time::civil_from_days(local.div_euclid(time::MS_PER_DAY));
    let month = time::MONTH_ABBREVIATIONS.get(m as usize - 1).copied().unwrap_or("");
    match interval {
        Interval::Hour => {
            let rem = local.rem_euclid(time::MS_PER_DAY);
            format!("{d} {month} {:02}:{:02}", rem / MS_PER_HOUR, rem % MS_PER_HOUR / time::MS_PER_MINUTE)
        }
        Interval::Day | Interval::Week => format!("{d} {month}"),
        Interval::Month => format!("{month} {y}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;

    fn query(zone: &str, range: Option<(&str, &str)>) -> AnalyticsQuery {
        let zone = Zone::get(zone).unwrap();
        let range = range.map(|(s, e)| Range { start: parse_instant(s).unwrap(), end: parse_instant(e).unwrap() });
        AnalyticsQuery { range, zone, ..AnalyticsQuery::default() }
    }

    #[test]
    fn day_buckets_follow_local_midnight_across_dst() {
        let q = query("America/New_York", Some(("2026-03-07T00:00:00-05:00", "2026-03-10T00:00:00-04:00")));
        let p = plan(Interval::Day, &q, 0).unwrap();
        let zone = &q.zone;
        let isos: Vec<String> = p.starts.iter().map(|&s| time::iso_with_offset(s, zone.offset_ms(s))).collect();
        assert_eq!(isos, ["2026-03-07T00:00:00-05:00", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"]);
        assert_eq!(label(Interval::Day, zone, p.starts[1]), "8 Mar");
    }

    #[test]
    fn same_day_ranges_become_hourly_and_defaults_end_now() {
        let q = query("Europe/Paris", Some(("2026-05-01T00:00:00+02:00", "2026-05-02T00:00:00+02:00")));
        let p = plan(Interval::Month, &q, 0).unwrap();
        assert_eq!(p.interval, Interval::Hour);
        assert_eq!(p.starts.len(), 24);
        assert_eq!(label(Interval::Hour, &q.zone, p.starts[13]), "1 May 13:00");

        let now = parse_instant("2026-05-15T10:20:00Z").unwrap();
        let q = query("UTC", None);
        let hours = plan(Interval::Hour, &q, now).unwrap();
        assert_eq!(hours.starts.len(), 24);
        assert_eq!(hours.range.end, parse_instant("2026-05-15T11:00:00Z").unwrap());
        assert_eq!(plan(Interval::Day, &q, now).unwrap().starts.len(), 30);
        let weeks = plan(Interval::Week, &q, now).unwrap();
        assert_eq!(weeks.range.start, parse_instant("2026-04-16T00:00:00Z").unwrap());
        assert_eq!(weeks.starts.first(), Some(&parse_instant("2026-04-13T00:00:00Z").unwrap()));
        let months = plan(Interval::Month, &q, now).unwrap();
        assert_eq!(months.starts.len(), 12);
        assert_eq!(months.range.start, parse_instant("2025-06-01T00:00:00Z").unwrap());
        assert_eq!(label(Interval::Month, &q.zone, months.range.start), "Jun 2025");

        let huge = query("UTC", Some(("2000-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
        assert_eq!(plan(Interval::Hour, &huge, 0).unwrap_err().field, "interval");
    }
}
