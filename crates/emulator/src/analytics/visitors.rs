//! W18/W19: visitors one by one.
//!
//! A visitor is listed when they were active (pageview or goal) in the range and every
//! filter is met by some of that activity: a visited page, a completed goal, or a session
//! from that country, device, referrer, … (visitors.list's filters ask "did this visitor
//! ever …", not "was every visit …").

use super::{session_passes, Dim, Filter, Ids, Range};
use crate::state::{Event, EventKind};

/// One visitors.list row.
#[derive(Clone, Debug)]
pub struct ListRow<'a> {
    pub visitor_id: &'a str,
    /// The latest activity in the range, or with a goal filter the latest completion of it.
    pub last_seen: i64,
    /// The latest activity in the range: current page and dimensions.
    pub latest: &'a Event,
    /// The first activity in the range: acquisition.
    pub first: &'a Event,
    /// Paid at any time.
    pub is_customer: bool,
}

/// Per-visitor state while scanning.
#[derive(Clone, Copy)]
struct Agg<'a> {
    first: &'a Event,
    latest: &'a Event,
    /// Bit `i`: filter `i` met.
    met: u64,
    last_goal_match: Option<i64>,
}

/// Whether one event meets a visitors.list filter.
fn meets(f: &Filter, e: &Event) -> bool {
    match f.dim {
        Dim::Page | Dim::EntryPage => e.kind == EventKind::Pageview && f.matches(&e.path),
        Dim::Hostname => e.kind == EventKind::Pageview && f.matches(&e.hostname),
        Dim::Goal => e.kind == EventKind::Goal && e.goal_name.as_deref().is_some_and(|g| f.matches(g)),
        _ => session_passes(f, &e.dims),
    }
}

/// Visitors matching `filters` (at most 64, all positive) and `is_customer`, most recently
/// seen first.
pub fn list<'a>(
    events: &'a [Event],
    range: Option<Range>,
    filters: &[Filter],
    is_customer: Option<bool>,
) -> Vec<ListRow<'a>> {
    let mut ids = Ids::with_capacity(events.len() / 4);
    let mut aggs: Vec<Option<Agg>> = Vec::new();
    let mut customers: Vec<bool> = Vec::new();
    let goal_filter = filters.iter().any(|f| f.dim == Dim::Goal);
    for e in events {
        let v = ids.id(&e.visitor_id);
        if aggs.len() <= v {
            aggs.resize(v + 1, None);
            customers.resize(v + 1, false);
        }
        if e.kind == EventKind::Payment {
            if let Some(c) = customers.get_mut(v) {
                *c |= super::is_purchase(e);
            }
            continue;
        }
        if range.is_some_and(|r| !r.contains(e.ts)) {
            continue;
        }
        let Some(slot) = aggs.get_mut(v) else { continue };
        let agg = slot.get_or_insert(Agg { first: e, latest: e, met: 0, last_goal_match: None });
        if e.ts < agg.first.ts {
            agg.first = e;
        }
        if e.ts >= agg.latest.ts {
            agg.latest = e;
        }
        for (i, f) in filters.iter().enumerate().take(64) {
            if meets(f, e) {
                agg.met |= 1 << i;
                if f.dim == Dim::Goal {
                    agg.last_goal_match = agg.last_goal_match.max(Some(e.ts));
                }
            }
        }
    }
    let all_met = if filters.len() >= 64 { u64::MAX } else { (1u64 << filters.len()) - 1 };
    let mut rows: Vec<ListRow> = aggs
        .iter()
        .zip(&customers)
        .enumerate()
        .filter_map(|(v, (agg, &customer))| {
            let agg = agg.as_ref()?;
            if agg.met != all_met || is_customer.is_some_and(|want| want != customer) {
                return None;
            }
            let last_seen = if goal_filter { agg.last_goal_match? } else { agg.latest.ts };
            Some(ListRow {
                visitor_id: ids.text(v),
                last_seen,
                latest: agg.latest,
                first: agg.first,
                is_customer: customer,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then_with(|| a.visitor_id.cmp(b.visitor_id)));
    rows
}

/// Everything W19 shows about one visitor.
#[derive(Clone, Debug)]
pub struct Detail<'a> {
    /// Pageviews in time order.
    pub pageviews: Vec<&'a Event>,
    /// Goals and payment records in time order.
    pub goals: Vec<&'a Event>,
    /// Distinct sessions with a pageview.
    pub visit_count: u64,
    /// First pageview of the latest session.
    pub current_visit_start: i64,
    pub is_customer: bool,
}

impl<'a> Detail<'a> {
    pub fn first(&self) -> Option<&'a Event> {
        self.pageviews.first().copied()
    }

    pub fn last(&self) -> Option<&'a Event> {
        self.pageviews.last().copied()
    }
}

/// The visitor's history on this website; `None` when they have no pageview here. The id
/// is compared ignoring case (UUIDs are case-insensitive).
pub fn detail<'a>(events: &'a [Event], visitor_id: &str) -> Option<Detail<'a>> {
    let mine: Vec<&Event> = events.iter().filter(|e| e.visitor_id.eq_ignore_ascii_case(visitor_id)).collect();
    let mut pageviews: Vec<&Event> = mine.iter().copied().filter(|e| e.kind == EventKind::Pageview).collect();
    if pageviews.is_empty() {
        return None;
    }
    pageviews.sort_by_key(|e| e.ts);
    let mut goals: Vec<&Event> = mine.iter().copied().filter(|e| e.kind != EventKind::Pageview).collect();
    goals.sort_by_key(|e| e.ts);
    let mut sessions: Vec<&str> = pageviews.iter().map(|e| &*e.session_id).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let latest_session = pageviews.last().map(|e| &e.session_id);
    let current_visit_start = pageviews.iter().find(|e| Some(&e.session_id) == latest_session).map_or(0, |e| e.ts);
    Some(Detail {
        is_customer: goals.iter().any(|e| super::is_purchase(e)),
        visit_count: sessions.len() as u64,
        current_visit_start,
        pageviews,
        goals,
    })
}
