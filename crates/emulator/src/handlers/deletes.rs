//! What `DELETE /goals` (W21) and `DELETE /payments` (W23) share: the visitor filter, the
//! time window in either spelling, and removing the matching events.

use crate::http::{ApiError, Query, Reply};
use crate::state::{Event, Store};
use crate::time::{self, MS_PER_DAY};
use datafast_contract::rules::{self, RuleViolation};
use serde_json::{json, Map, Value};

/// A closed time window in Unix ms: both bounds are inclusive, as the API's examples
/// (`…T23:59:59Z`) mean them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    pub fn contains(&self, ts: i64) -> bool {
        self.start <= ts && ts <= self.end
    }

    /// The `timeRange` of the answer.
    pub fn json(&self) -> Value {
        json!({ "start": time::iso(self.start), "end": time::iso(self.end) })
    }
}

/// `startAt`/`endAt` or `start`/`end` (CONTRACT W21/W23: both spellings are accepted). An
/// ISO time is taken as is; a plain date is a whole UTC day (`end` through 23:59:59.999).
pub fn window(query: &Query) -> Result<Option<Window>, ApiError> {
    let get = |name| query.get_nonempty(name).map(str::trim);
    let Some((start, end)) = rules::delete_window(get("startAt"), get("endAt"), get("start"), get("end"))? else {
        return Ok(None);
    };
    // Name the bounds the way the caller spelled them.
    let (start_field, end_field) = if get("startAt").is_some() { ("startAt", "endAt") } else { ("start", "end") };
    let bound = |field: &str, s: &str, is_end: bool| -> Result<i64, ApiError> {
        time::parse_date(s)
            .map(|day| if is_end { (day + 1) * MS_PER_DAY - 1 } else { day * MS_PER_DAY })
            .or_else(|| time::parse_instant(s))
            .ok_or_else(|| RuleViolation::new(field, "is not a real calendar date or time").into())
    };
    let w = Window { start: bound(start_field, start, false)?, end: bound(end_field, end, true)? };
    if w.end < w.start {
        return Err(RuleViolation::new(end_field, format!("must not be before {start_field}")).into());
    }
    Ok(Some(w))
}

/// The visitor filter: `datafast_visitor_id`, or its alias `visitorId` (its format is the
/// route's, checked before the handler ran); UUIDs compare in lowercase.
pub fn visitor(query: &Query) -> Option<String> {
    ["datafast_visitor_id", "visitorId"].into_iter().find_map(|field| query.get_nonempty(field)).map(visitor_key)
}

/// A visitor id as stored: UUIDs in lowercase, other ids (payments take any) as sent.
pub fn visitor_key(id: &str) -> String {
    let id = id.trim();
    if rules::is_uuid(id) {
        id.to_ascii_lowercase()
    } else {
        id.to_string()
    }
}

/// The answer of a filtered delete: `[{message, <filters>…, timeRange?}]`, the message
/// ending in " within time range" when a window was used (CONTRACT W21/W23 examples).
pub fn answer(message: &str, mut filters: Map<String, Value>, window: Option<Window>) -> Reply {
    let mut message = message.to_string();
    if let Some(w) = window {
        message.push_str(" within time range");
        filters.insert("timeRange".into(), w.json());
    }
    filters.insert("message".into(), json!(message));
    Reply::data(json!([filters]))
}

/// Removes the website's events matching `doomed`; returns how many went.
pub fn remove_events(store: &mut Store, website_id: &str, doomed: impl Fn(&Event) -> bool) -> usize {
    let Some(events) = store.events.get_mut(website_id) else {
        return 0;
    };
    let before = events.len();
    events.retain(|e| !doomed(e));
    before - events.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn windows_in_both_spellings() {
        let day = time::parse_date("2026-05-01").unwrap() * MS_PER_DAY;
        let w = window(&q(&[("start", "2026-05-01"), ("end", "2026-05-01")])).unwrap().unwrap();
        assert_eq!(w, Window { start: day, end: day + MS_PER_DAY - 1 });
        let w = window(&q(&[("startAt", "2026-05-01T00:00:00Z"), ("endAt", "2026-05-01T23:59:59Z")])).unwrap().unwrap();
        assert_eq!(w.end, day + MS_PER_DAY - 1000);
        assert!(w.contains(w.end) && !w.contains(w.end + 1));
        assert_eq!(w.json()["end"], "2026-05-01T23:59:59.000Z");
        assert_eq!(window(&q(&[])).unwrap(), None);
        for (bad, field) in [
            (&[("start", "2026-05-02"), ("end", "2026-05-01")][..], "end"),
            (&[("startAt", "2026-02-30"), ("endAt", "2026-03-01")][..], "startAt"),
            (&[("start", "2026-05-01")][..], "end"),
        ] {
            let e = window(&q(bad)).unwrap_err();
            assert_eq!(e.status, 400);
            assert!(e.message.contains(&format!("`{field}`")), "{}", e.message);
        }
    }

    #[test]
    fn visitor_alias_and_case() {
        let id = "A3AB2331-989F-4CFA-91C6-2461C9E3C6BD";
        assert_eq!(visitor(&q(&[("visitorId", id)])).as_deref(), Some(&*id.to_ascii_lowercase()));
        assert_eq!(visitor(&q(&[("datafast_visitor_id", "")])), None);
        // Payments name visitors in any format (the docs' example is `abc123`): kept as sent.
        assert_eq!(visitor(&q(&[("datafast_visitor_id", " ABC123 ")])).as_deref(), Some("ABC123"));
    }
}
