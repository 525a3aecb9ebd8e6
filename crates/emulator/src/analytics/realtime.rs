//! W03/W04: who is on the website right now — visitors with a pageview or goal in the last
//! 10 minutes before the request (Gen-3's window).

use super::{fast_map, FastMap, Range};
use crate::state::{Event, EventKind};
use crate::time::MS_PER_MINUTE;

pub const WINDOW_MS: i64 = 10 * MS_PER_MINUTE;

/// The last 10 minutes up to and including `now_ms`.
pub fn window(now_ms: i64) -> Range {
    Range { start: now_ms - WINDOW_MS, end: now_ms + 1 }
}

/// Visitor activity: pageviews and goals (payments are the provider's, not the visitor's).
fn is_activity(e: &Event) -> bool {
    matches!(e.kind, EventKind::Pageview | EventKind::Goal)
}

/// The number of visitors active in the window.
pub fn active_visitors(events: &[Event], now_ms: i64) -> u64 {
    let w = window(now_ms);
    let mut seen = super::Ids::with_capacity(64);
    for e in events.iter().filter(|e| w.contains(e.ts) && is_activity(e)) {
        seen.id(&e.visitor_id);
    }
    seen.len() as u64
}

/// One active visitor, for the map.
#[derive(Clone, Debug)]
pub struct LiveVisitor<'a> {
    pub visitor_id: &'a str,
    /// Their latest activity in the window (its dimensions are the current visit's).
    pub latest: &'a Event,
    /// Their latest pageview in the window, if any (a goal alone keeps the goal's page).
    pub current_page: Option<&'a Event>,
    /// First pageview of the current session.
    pub session_start: i64,
    /// Sessions so far, all time.
    pub visit_count: u64,
    /// Paid at any time (a purchase or renewal).
    pub is_customer: bool,
    /// Their latest payment record with customer details, if any.
    pub customer: Option<&'a Event>,
}

/// Active visitors, most recently active first.
pub fn live_visitors(events: &[Event], now_ms: i64) -> Vec<LiveVisitor<'_>> {
    let w = window(now_ms);
    let mut index: FastMap<&str, usize> = fast_map(64);
    let mut live: Vec<LiveVisitor> = Vec::new();
    for e in events.iter().filter(|e| w.contains(e.ts) && is_activity(e)) {
        match index.get(&*e.visitor_id).and_then(|&i| live.get_mut(i)) {
            Some(v) => {
                if e.ts >= v.latest.ts {
                    v.latest = e;
                }
                if e.kind == EventKind::Pageview && v.current_page.is_none_or(|p| e.ts >= p.ts) {
                    v.current_page = Some(e);
                }
            }
            None => {
                index.insert(&e.visitor_id, live.len());
                live.push(LiveVisitor {
                    visitor_id: &e.visitor_id,
                    latest: e,
                    current_page: (e.kind == EventKind::Pageview).then_some(e),
                    session_start: e.ts,
                    visit_count: 0,
                    is_customer: false,
                    customer: None,
                });
            }
        }
    }
    // Their history: sessions, the current session's start, payments.
    let mut sessions: Vec<super::FastSet<&str>> = live.iter().map(|_| super::fast_set(4)).collect();
    for e in events.iter().filter(|e| e.ts < w.end) {
        let Some(&i) = index.get(&*e.visitor_id) else { continue };
        let (Some(v), Some(s)) = (live.get_mut(i), sessions.get_mut(i)) else { continue };
        match e.kind {
            EventKind::Pageview => {
                s.insert(&e.session_id);
                if e.session_id == v.latest.session_id {
                    v.session_start = v.session_start.min(e.ts);
                }
            }
            EventKind::Payment => {
                v.is_customer |= super::is_purchase(e);
                if e.payment.is_some() && v.customer.is_none_or(|c| e.ts >= c.ts) {
                    v.customer = Some(e);
                }
            }
            EventKind::Goal => {}
        }
    }
    for (v, s) in live.iter_mut().zip(&sessions) {
        v.visit_count = s.len().max(1) as u64;
    }
    live.sort_by(|a, b| b.latest.ts.cmp(&a.latest.ts).then_with(|| a.visitor_id.cmp(b.visitor_id)));
    live
}

/// Events in the window of one kind group, newest first, at most `max`.
pub fn recent(events: &[Event], now_ms: i64, payments: bool, max: usize) -> Vec<&Event> {
    let w = window(now_ms);
    let mut out: Vec<&Event> =
        events.iter().filter(|e| w.contains(e.ts) && (e.kind == EventKind::Payment) == payments).collect();
    out.sort_by(|a, b| b.ts.cmp(&a.ts).then_with(|| a.id.cmp(&b.id)));
    out.truncate(max);
    out
}

/// A stable, made-up display name for an anonymous visitor (`Teal Koala`), as the map
/// shows for visitors without a profile (`isRandomName`).
pub fn display_name(visitor_id: &str) -> String {
    const ADJECTIVES: [&str; 16] = [
        "Amber", "Brave", "Calm", "Coral", "Eager", "Gentle", "Happy", "Jolly", "Lucky", "Mellow", "Nimble", "Quiet",
        "Rapid", "Swift", "Teal", "Witty",
    ];
    const ANIMALS: [&str; 16] = [
        "Badger", "Beaver", "Falcon", "Fox", "Heron", "Koala", "Lynx", "Marmot", "Otter", "Owl", "Panda", "Puffin",
        "Raven", "Seal", "Tiger", "Wombat",
    ];
    let hash = crate::rng::fnv1a(visitor_id.bytes());
    let adjective = ADJECTIVES.get((hash % 16) as usize).copied().unwrap_or("Calm");
    let animal = ANIMALS.get((hash / 16 % 16) as usize).copied().unwrap_or("Otter");
    format!("{adjective} {animal}")
}
