//! Analytics computed from raw events: the shared query parameters (CONTRACT 3: dates,
//! timezone, fields, filters), event selection, the overview and the breakdowns.
//!
//! Pure functions over `&[Event]`, no HTTP: every analytics endpoint is
//! `select` + one computation + a JSON shape.

use crate::http::Query;
use crate::state::{Dims, Event, EventKind};
use crate::time::{self, MS_PER_DAY, MS_PER_MINUTE};
use crate::tz;
use datafast_contract::rules::{self, RuleResult, RuleViolation};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// A half-open time range `[start, end)` in Unix ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub end: i64,
}

impl Range {
    pub fn contains(&self, ts: i64) -> bool {
        self.start <= ts && ts < self.end
    }
}

/// The parsed shared parameters of an analytics request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnalyticsQuery {
    /// `None` = all time.
    pub range: Option<Range>,
    pub filters: Vec<Filter>,
    /// `None` = every field.
    pub fields: Option<Vec<String>>,
}

impl AnalyticsQuery {
    /// Parses dates (read in `timezone` or the website's zone), `fields` (checked against
    /// `valid_fields`) and filters.
    pub fn parse(query: &Query, website_tz: &str, valid_fields: &[&str]) -> RuleResult<AnalyticsQuery> {
        Ok(AnalyticsQuery {
            range: parse_range(query, website_tz)?,
            fields: parse_fields(query, valid_fields)?,
            filters: parse_filters(query)?,
        })
    }

    /// Whether the response should carry `field`.
    pub fn wants(&self, field: &str) -> bool {
        self.fields.as_ref().is_none_or(|f| f.iter().any(|x| x == field))
    }
}

/// `startAt`/`endAt` (both or neither). A date-only bound is a whole day in the time zone:
/// `startAt` from its midnight, `endAt` through its end (inclusive day). An instant `endAt`
/// is inclusive to the millisecond.
pub fn parse_range(query: &Query, website_tz: &str) -> RuleResult<Option<Range>> {
    let zone = query.get_nonempty("timezone").unwrap_or(website_tz);
    let offset_min = tz::offset_minutes(zone).ok_or_else(|| {
        RuleViolation::new("timezone", "must be an IANA time zone name the emulator knows, such as UTC or Europe/Paris")
    })?;
    let (start, end) = (query.get_nonempty("startAt"), query.get_nonempty("endAt"));
    rules::date_pair(start, end)?;
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(None);
    };
    // Gen-1: a full-day UTC pair (midnight … 23:59:59) means plain dates, read in the zone.
    let (start, end) = full_day_utc_pair(start, end).unwrap_or((start, end));
    let bound = |field: &str, s: &str, is_end: bool| -> RuleResult<i64> {
        let ms = match time::parse_date(s) {
            Some(day) => {
                Some(day * MS_PER_DAY - i64::from(offset_min) * MS_PER_MINUTE + if is_end { MS_PER_DAY } else { 0 })
            }
            None => time::parse_instant(s).map(|t| if is_end { t + 1 } else { t }),
        };
        ms.ok_or_else(|| RuleViolation::new(field, "is not a real calendar date or time"))
    };
    let range = Range { start: bound("startAt", start, false)?, end: bound("endAt", end, true)? };
    if range.end <= range.start {
        return Err(RuleViolation::new("endAt", "must not be before startAt"));
    }
    Ok(Some(range))
}

fn full_day_utc_pair<'a>(start: &'a str, end: &'a str) -> Option<(&'a str, &'a str)> {
    let s = start.strip_suffix("T00:00:00Z").or_else(|| start.strip_suffix("T00:00:00.000Z"))?;
    let e = end.strip_suffix("T23:59:59Z").or_else(|| end.strip_suffix("T23:59:59.999Z"))?;
    Some((s, e))
}

/// `fields=a,b`: `None` when absent or empty; an unknown name is a 400 naming it.
pub fn parse_fields(query: &Query, valid: &[&str]) -> RuleResult<Option<Vec<String>>> {
    let Some(raw) = query.get_nonempty("fields") else {
        return Ok(None);
    };
    let mut fields = Vec::new();
    for f in raw.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        if !valid.contains(&f) {
            return Err(RuleViolation::new(
                "fields",
                format!("has unknown field `{f}`; valid fields: {}", valid.join(", ")),
            ));
        }
        if !fields.iter().any(|x| x == f) {
            fields.push(f.to_string());
        }
    }
    Ok(if fields.is_empty() { None } else { Some(fields) })
}

/// A filterable dimension (CONTRACT 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    Country,
    Region,
    City,
    Device,
    Browser,
    Os,
    Referrer,
    Page,
    EntryPage,
    Hostname,
    Goal,
    UtmSource,
    UtmMedium,
    UtmCampaign,
    UtmTerm,
    UtmContent,
    Ref,
    Source,
    Via,
}

/// Parameter names of the dimensions, without the `filter_` prefix.
const DIMS: &[(&str, Dim)] = &[
    ("country", Dim::Country),
    ("region", Dim::Region),
    ("city", Dim::City),
    ("device", Dim::Device),
    ("browser", Dim::Browser),
    ("os", Dim::Os),
    ("referrer", Dim::Referrer),
    ("page", Dim::Page),
    ("entry_page", Dim::EntryPage),
    ("hostname", Dim::Hostname),
    ("goal", Dim::Goal),
    ("utm_source", Dim::UtmSource),
    ("utm_medium", Dim::UtmMedium),
    ("utm_campaign", Dim::UtmCampaign),
    ("utm_term", Dim::UtmTerm),
    ("utm_content", Dim::UtmContent),
    ("ref", Dim::Ref),
    ("source", Dim::Source),
    ("via", Dim::Via),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Is,
    IsNot,
    Contains,
    DoesNotContain,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "is" => Op::Is,
            "is_not" => Op::IsNot,
            "contains" => Op::Contains,
            "does_not_contain" => Op::DoesNotContain,
            _ => return None,
        })
    }

    fn negated(self) -> bool {
        matches!(self, Op::IsNot | Op::DoesNotContain)
    }
}

/// `filter_<dim>=[op:]v1,v2`: values are OR-ed, filters AND-ed.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub dim: Dim,
    pub op: Op,
    /// Lowercased; matching ignores case.
    pub values: Vec<String>,
}

impl Filter {
    /// Whether a set of observed values passes: for `is`/`contains` some value matches, for
    /// `is_not`/`does_not_contain` none does.
    pub fn test<'v>(&self, observed: impl IntoIterator<Item = &'v str>) -> bool {
        let contains = matches!(self.op, Op::Contains | Op::DoesNotContain);
        let hit = observed.into_iter().any(|o| {
            let o = o.to_lowercase();
            self.values.iter().any(|v| if contains { o.contains(v.as_str()) } else { o == *v })
        });
        hit != self.op.negated()
    }
}

/// Every `filter_*` parameter, plus the Gen-1 spellings without the prefix (`country=US`).
pub fn parse_filters(query: &Query) -> RuleResult<Vec<Filter>> {
    let mut filters = Vec::new();
    for (key, raw) in query.iter() {
        let (name, prefixed) = match key.strip_prefix("filter_") {
            Some(name) => (name, true),
            None => (key, false),
        };
        let Some(&(_, dim)) = DIMS.iter().find(|(n, _)| *n == name) else {
            if prefixed {
                let known: Vec<String> = DIMS.iter().map(|(n, _)| format!("filter_{n}")).collect();
                return Err(RuleViolation::new(
                    key,
                    format!("is not a known filter; known filters: {}", known.join(", ")),
                ));
            }
            continue;
        };
        // An operator prefix only counts when it is one; goal names may contain `:` too.
        let (op, list) = match raw.split_once(':').and_then(|(op, rest)| Some((Op::parse(op)?, rest))) {
            Some((op, rest)) => (op, rest),
            None => (Op::Is, raw),
        };
        let text_ops = matches!(dim, Dim::Page | Dim::EntryPage);
        if !text_ops && matches!(op, Op::Contains | Op::DoesNotContain) {
            return Err(RuleViolation::new(key, "supports only the operators is and is_not"));
        }
        let values: Vec<String> =
            list.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_lowercase).collect();
        if values.is_empty() {
            return Err(RuleViolation::new(key, "needs at least one value"));
        }
        filters.push(Filter { dim, op, values });
    }
    Ok(filters)
}

/// What a session-level dimension shows for a session (several spellings may match).
fn session_values(dim: Dim, d: &Dims) -> Vec<&str> {
    match dim {
        Dim::Country => vec![&d.country, &d.country_code],
        Dim::Region => vec![&d.region],
        Dim::City => vec![&d.city],
        Dim::Device => vec![&d.device],
        // `Safari` also matches Mobile Safari (CONTRACT 3.1).
        Dim::Browser if d.browser == "Mobile Safari" => vec![&d.browser, "Safari"],
        Dim::Browser => vec![&d.browser],
        Dim::Os => vec![&d.os],
        Dim::Referrer if d.referrer_domain.is_empty() => vec![&d.referrer],
        Dim::Referrer => vec![&d.referrer, &d.referrer_domain],
        Dim::UtmSource => vec![&d.utm_source],
        Dim::UtmMedium => vec![&d.utm_medium],
        Dim::UtmCampaign => vec![&d.utm_campaign],
        Dim::UtmTerm => vec![&d.utm_term],
        Dim::UtmContent => vec![&d.utm_content],
        Dim::Ref => vec![&d.ref_param],
        Dim::Source => vec![&d.source_param],
        Dim::Via => vec![&d.via_param],
        Dim::Page | Dim::EntryPage | Dim::Hostname | Dim::Goal => Vec::new(),
    }
}

/// The events a request looks at: inside the range, and passing every filter.
///
/// Filter semantics (inferred, Plausible-like): dimensions of the visit (country, device,
/// referrer, UTM, …) select sessions; `page` and `hostname` select sessions that viewed a
/// matching page (`is`/`contains`) or no matching page (`is_not`/`does_not_contain`);
/// `entry_page` looks at the session's first pageview; `goal` selects visitors who completed
/// (or never completed) the goal within the range.
pub fn select<'a>(events: &'a [Event], q: &AnalyticsQuery) -> Vec<&'a Event> {
    let session_level = |f: &&Filter| !matches!(f.dim, Dim::Page | Dim::EntryPage | Dim::Hostname | Dim::Goal);
    let dim_filters: Vec<&Filter> = q.filters.iter().filter(session_level).collect();
    let mut sel: Vec<&Event> = events
        .iter()
        .filter(|e| q.range.is_none_or(|r| r.contains(e.ts)))
        .filter(|e| dim_filters.iter().all(|f| f.test(session_values(f.dim, &e.dims))))
        .collect();

    let page_filters: Vec<&Filter> =
        q.filters.iter().filter(|f| matches!(f.dim, Dim::Page | Dim::EntryPage | Dim::Hostname)).collect();
    if !page_filters.is_empty() {
        let mut sessions: HashMap<&str, Vec<&Event>> = HashMap::new();
        for e in sel.iter().filter(|e| e.kind == EventKind::Pageview) {
            sessions.entry(&*e.session_id).or_default().push(e);
        }
        let passing: HashSet<&str> = sessions
            .iter()
            .filter(|(_, pvs)| {
                page_filters.iter().all(|f| match f.dim {
                    Dim::Page => f.test(pvs.iter().map(|e| e.path.as_str())),
                    Dim::Hostname => f.test(pvs.iter().map(|e| e.hostname.as_str())),
                    _ => {
                        let entry = pvs.iter().min_by_key(|e| e.ts).map(|e| e.path.as_str());
                        f.test(entry)
                    }
                })
            })
            .map(|(s, _)| *s)
            .collect();
        sel.retain(|e| passing.contains(&*e.session_id));
    }

    let goal_filters: Vec<&Filter> = q.filters.iter().filter(|f| f.dim == Dim::Goal).collect();
    if !goal_filters.is_empty() {
        let mut goals: HashMap<&str, Vec<&str>> = HashMap::new();
        for e in &sel {
            let entry = goals.entry(&*e.visitor_id).or_default();
            if let Some(g) = &e.goal_name {
                entry.push(g);
            }
        }
        let passing: HashSet<&str> = goals
            .iter()
            .filter(|(_, names)| goal_filters.iter().all(|f| f.test(names.iter().copied())))
            .map(|(v, _)| *v)
            .collect();
        sel.retain(|e| passing.contains(&*e.visitor_id));
    }
    sel
}

/// W01's numbers. Visitors and sessions count pageviews (so breakdown totals line up with
/// the overview); revenue and payments count payment events.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub visitors: u64,
    pub sessions: u64,
    /// Percent of sessions with exactly one pageview.
    pub bounce_rate: f64,
    /// Milliseconds from a session's first to last pageview, averaged over sessions.
    pub avg_session_duration: f64,
    pub revenue: f64,
    pub payments: u64,
    pub revenue_per_visitor: f64,
    /// Percent of visitors who paid.
    pub conversion_rate: f64,
}

pub fn overview(sel: &[&Event]) -> Overview {
    let mut visitors: HashSet<&str> = HashSet::new();
    let mut payers: HashSet<&str> = HashSet::new();
    // session → (pageviews, first ts, last ts)
    let mut sessions: HashMap<&str, (u32, i64, i64)> = HashMap::new();
    let (mut revenue, mut payments) = (0.0, 0u64);
    for e in sel {
        match e.kind {
            EventKind::Pageview => {
                visitors.insert(&e.visitor_id);
                let s = sessions.entry(&e.session_id).or_insert((0, e.ts, e.ts));
                s.0 += 1;
                s.1 = s.1.min(e.ts);
                s.2 = s.2.max(e.ts);
            }
            EventKind::Payment => {
                revenue += e.amount.unwrap_or(0.0);
                payments += 1;
                payers.insert(&e.visitor_id);
            }
            EventKind::Goal => {}
        }
    }
    let n_sessions = sessions.len() as f64;
    let bounces = sessions.values().filter(|s| s.0 == 1).count() as f64;
    let duration: i64 = sessions.values().map(|s| s.2 - s.1).sum();
    let n_visitors = visitors.len() as f64;
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    Overview {
        visitors: visitors.len() as u64,
        sessions: sessions.len() as u64,
        bounce_rate: ratio(bounces * 100.0, n_sessions),
        avg_session_duration: ratio(duration as f64, n_sessions),
        revenue,
        payments,
        revenue_per_visitor: ratio(revenue, n_visitors),
        conversion_rate: ratio(payers.len() as f64 * 100.0, n_visitors).min(100.0),
    }
}

/// One breakdown row before it is shaped into JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<K> {
    pub key: K,
    pub visitors: u64,
    pub revenue: f64,
    pub payments: u64,
}

/// Groups pageviews by `key` (`None` skips the pageview) into rows sorted by visitors
/// (descending), then key (ascending) so equal counts come out in a stable order.
///
/// Revenue attribution (inferred): a paying visitor's payments in the selection count in
/// full for every row that visitor appears in (e.g. every page they viewed). Rows therefore
/// do not sum to the overview's revenue, just as page visitors do not sum to its visitors.
pub fn breakdown<'a, K, F>(sel: &[&'a Event], key: F) -> Vec<Row<K>>
where
    K: Hash + Eq + Ord,
    F: Fn(&'a Event) -> Option<K>,
{
    let mut paid: HashMap<&str, (f64, u64)> = HashMap::new();
    for e in sel.iter().filter(|e| e.kind == EventKind::Payment) {
        let p = paid.entry(&e.visitor_id).or_insert((0.0, 0));
        p.0 += e.amount.unwrap_or(0.0);
        p.1 += 1;
    }
    let mut groups: HashMap<K, HashSet<&'a str>> = HashMap::new();
    for e in sel.iter().copied().filter(|e| e.kind == EventKind::Pageview) {
        if let Some(k) = key(e) {
            groups.entry(k).or_default().insert(&e.visitor_id);
        }
    }
    let mut rows: Vec<Row<K>> = groups
        .into_iter()
        .map(|(key, visitors)| {
            let (revenue, payments) =
                visitors.iter().filter_map(|v| paid.get(v)).fold((0.0, 0), |(r, n), (pr, pn)| (r + pr, n + pn));
            Row { key, visitors: visitors.len() as u64, revenue, payments }
        })
        .collect();
    rows.sort_by(|a, b| b.visitors.cmp(&a.visitors).then_with(|| a.key.cmp(&b.key)));
    rows
}

/// W06 rows, keyed `(path, hostname)`. Page and hostname filters also restrict the rows
/// themselves, so `filter_page=contains:/docs` lists only docs pages.
pub fn pages<'a>(sel: &[&'a Event], filters: &[Filter]) -> Vec<Row<(&'a str, &'a str)>> {
    let row_filters: Vec<&Filter> = filters.iter().filter(|f| matches!(f.dim, Dim::Page | Dim::Hostname)).collect();
    breakdown(sel, |e| {
        let keep = row_filters.iter().all(|f| match f.dim {
            Dim::Page => f.test([e.path.as_str()]),
            _ => f.test([e.hostname.as_str()]),
        });
        keep.then_some((e.path.as_str(), e.hostname.as_str()))
    })
}

/// One W16 row.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalRow<'a> {
    pub name: &'a str,
    pub completions: u64,
    pub visitors: u64,
}

/// Custom goal events grouped by name, sorted by completions (descending), then name.
pub fn goals<'a>(sel: &[&'a Event]) -> Vec<GoalRow<'a>> {
    let mut groups: HashMap<&'a str, (u64, HashSet<&'a str>)> = HashMap::new();
    for e in sel.iter().filter(|e| e.kind == EventKind::Goal) {
        if let Some(name) = e.goal_name.as_deref() {
            let g = groups.entry(name).or_default();
            g.0 += 1;
            g.1.insert(&e.visitor_id);
        }
    }
    let mut rows: Vec<GoalRow> = groups
        .into_iter()
        .map(|(name, (completions, visitors))| GoalRow { name, completions, visitors: visitors.len() as u64 })
        .collect();
    rows.sort_by(|a, b| b.completions.cmp(&a.completions).then_with(|| a.name.cmp(b.name)));
    rows
}

/// The symbol analytics answers show for a currency code (`USD` → `$`).
pub fn currency_symbol(code: &str) -> &str {
    match code {
        "USD" | "CAD" | "AUD" | "NZD" | "SGD" | "HKD" | "MXN" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" | "CNY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "BRL" => "R$",
        "CHF" => "CHF",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn date_ranges() {
        let day = time::parse_date("2026-05-01").unwrap() * MS_PER_DAY;
        let r = parse_range(&q(&[("startAt", "2026-05-01"), ("endAt", "2026-05-01")]), "UTC").unwrap().unwrap();
        assert_eq!(r, Range { start: day, end: day + MS_PER_DAY });
        // Europe/Paris is read at its standard offset, UTC+1 (no DST yet).
        let r =
            parse_range(&q(&[("startAt", "2026-05-01"), ("endAt", "2026-05-02")]), "Europe/Paris").unwrap().unwrap();
        assert_eq!(r.start, day - 60 * MS_PER_MINUTE);
        // Gen-1 full-day UTC pairs are plain dates in the zone.
        let r = parse_range(
            &q(&[("startAt", "2026-05-01T00:00:00Z"), ("endAt", "2026-05-01T23:59:59Z"), ("timezone", "Europe/Paris")]),
            "UTC",
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.start, day - 60 * MS_PER_MINUTE);
        assert_eq!(parse_range(&q(&[("startAt", "2026-05-01")]), "UTC").unwrap_err().field, "endAt");
        assert_eq!(
            parse_range(&q(&[("startAt", "2026-05-02"), ("endAt", "2026-05-01")]), "UTC").unwrap_err().field,
            "endAt"
        );
        assert_eq!(
            parse_range(&q(&[("startAt", "2026-02-30"), ("endAt", "2026-03-01")]), "UTC").unwrap_err().field,
            "startAt"
        );
        assert_eq!(parse_range(&q(&[("timezone", "Nowhere/City")]), "UTC").unwrap_err().field, "timezone");
        assert_eq!(parse_range(&q(&[]), "UTC").unwrap(), None);
    }

    #[test]
    fn fields_and_filters() {
        let valid = ["visitors", "revenue"];
        assert_eq!(
            parse_fields(&q(&[("fields", "revenue, visitors")]), &valid).unwrap().unwrap(),
            ["revenue", "visitors"]
        );
        let e = parse_fields(&q(&[("fields", "visitors,bogus")]), &valid).unwrap_err();
        assert!(e.rule.contains("`bogus`"));
        let f = parse_filters(&q(&[
            ("filter_country", "is_not:France,US"),
            ("page", "contains:/Docs"),
            ("goal", "checkout:step-2"),
        ]))
        .unwrap();
        assert_eq!(f[0], Filter { dim: Dim::Country, op: Op::IsNot, values: vec!["france".into(), "us".into()] });
        assert_eq!(f[1].op, Op::Contains);
        assert_eq!(f[2], Filter { dim: Dim::Goal, op: Op::Is, values: vec!["checkout:step-2".into()] });
        assert_eq!(parse_filters(&q(&[("filter_nope", "x")])).unwrap_err().field, "filter_nope");
        assert_eq!(parse_filters(&q(&[("filter_country", "contains:Fr")])).unwrap_err().field, "filter_country");
        assert_eq!(parse_filters(&q(&[("filter_device", "is:")])).unwrap_err().field, "filter_device");
        assert!(parse_filters(&q(&[("websiteId", "x"), ("limit", "5")])).unwrap().is_empty());
        let safari = Filter { dim: Dim::Browser, op: Op::Is, values: vec!["safari".into()] };
        let d = Dims { browser: "Mobile Safari".into(), ..Dims::default() };
        assert!(safari.test(session_values(Dim::Browser, &d)));
    }
}
