//! Dense visitor and session numbers for a website's events, kept between requests.
//!
//! Counting unique visitors and sessions means looking ids up in hash maps, once per event
//! and request; with the default data that lookup is most of an overview's cost. The index
//! does it once per event instead: for each position in the website's event list it stores
//! the visitor's and the session's number, so a request counts with plain vectors.
//!
//! Visits' dimensions (`Arc<Dims>`, shared by the events of a session) get numbers too, by
//! address only, so per-visit work (a filter on the country, a breakdown key) is done once
//! per visit and remembered in a vector. So do pages (hostname and path).
//!
//! Columns: the index keeps, per event, its numbers plus its time and kind in one compact
//! row ([`EventIds`], 32 bytes against ~200 for an `Event` and its strings), so the passes
//! over every selected event read a dense array instead of chasing each event's pointers.
//! Per visit, the values of a filtered dimension are dictionary-encoded on first use
//! ([`DimColumn`]): a filter is decided once per distinct value, then per visit by a lookup.
//!
//! It stays correct without any hook into the code that changes events: a website's
//! [`Events`] get a new version on every change but an append, so an index of the same
//! version and no more events than the list is still right for its positions and only the
//! new tail needs numbers; anything else rebuilds it.
//!
//! The cache belongs to the store ([`IndexCache`]) and is shared by concurrent reads: the
//! first request after a change brings the index up to date, the others wait for it and reuse
//! it.

use super::{fast_map, money, session_values, Dim, FastMap, Money, OverviewTally, DIMS};
use crate::state::{Dims, Event, EventKind, Events};
use arcstr::ArcStr;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Dense numbers for ids, by text. The keys are clones of the events' [`ArcStr`]s: no copy
/// of the text. (A map by address in front of it made lookups a little cheaper but cost
/// two more entries per visitor and session, tens of MB at a million events.)
#[derive(Clone, Debug, Default)]
struct Interner {
    by_text: FastMap<ArcStr, u32>,
}

fn address<T: ?Sized>(a: &Arc<T>) -> usize {
    Arc::as_ptr(a) as *const u8 as usize
}

impl Interner {
    fn with_capacity(n: usize) -> Interner {
        Interner { by_text: fast_map(n) }
    }

    fn id(&mut self, s: &ArcStr) -> u32 {
        let next = self.count();
        if let Some(&id) = self.by_text.get(&**s) {
            return id;
        }
        self.by_text.insert(s.clone(), next);
        next
    }

    fn count(&self) -> u32 {
        self.by_text.len() as u32
    }
}

/// The numbers of one website's events, by position.
#[derive(Clone, Debug, Default)]
pub struct Index {
    visitors: Interner,
    sessions: Interner,
    /// Dimension sets by address (equal contents in two `Arc`s get two numbers, which only
    /// costs a repeated computation).
    dims_by_ptr: FastMap<usize, u32>,
    dims_kept: Vec<Arc<Dims>>,
    /// Numbers, time and kind of the event at each position.
    ids: Vec<EventIds>,
    /// Pages (hostname and path) by text, as `<hostname length>:<hostname><path>`.
    pages: FastMap<Box<str>, u32>,
    /// Per filterable dimension (by its place in `DIMS`), the visits' values as codes,
    /// built on first use.
    dim_columns: Vec<OnceLock<DimColumn>>,
    /// The positions of each visitor's first and last pageview (by visitor number; [`NONE`]
    /// without one). The pageviews in between are a chain through [`EventIds::next_pageview`]:
    /// a vector per visitor cost ~15 MB more at a million events.
    pageview_ends: Vec<[u32; 2]>,
    /// Some visitor id has upper-case letters: ids are matched ignoring case, so a lookup
    /// by the lower-cased text might miss one.
    mixed_case: bool,
    /// The overview of every event, kept up to date as events are indexed.
    totals: OverviewTally,
    /// Times never decrease along the list, so a time window is a range of positions.
    unsorted: bool,
    /// The position of one event of each page and of each visit (by number): what a
    /// breakdown key reads when it is computed from a rollup instead of from events.
    page_examples: Vec<u32>,
    dims_examples: Vec<u32>,
    /// Pageviews and payments by visit, built on first use (see [`VisitRollup`]).
    rollup: OnceLock<VisitRollup>,
    /// The [`Events::version`] indexed.
    version: u64,
}

/// Every pageview as page, visitor and visit (dims) numbers, and the positions of every
/// payment: a breakdown of all the events of some visits (all time, filtered on visit
/// dimensions) reads these instead of every event.
#[derive(Clone, Debug, Default)]
pub struct VisitRollup {
    /// Sorted and without repeats as built, so a breakdown reads them in one sequential pass
    /// and sets each row's bits in order; then the pageviews appended since, in list order.
    pub pageviews: Vec<PageVisit>,
    /// The payments that move money, in list order.
    pub payments: Vec<PaidVisit>,
    /// How many events of the list are rolled up.
    covered: usize,
}

/// One payment in a [`VisitRollup`]: who paid, in which visit, and how it counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaidVisit {
    pub visitor: u32,
    pub dims: u32,
    pub money: Money,
}

/// One pageview in a [`VisitRollup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageVisit {
    pub page: u32,
    pub visitor: u32,
    pub dims: u32,
}

impl VisitRollup {
    /// Rolls up `events`, the list's events from the first not rolled up yet, numbered in `ids`
    /// (every indexed event).
    fn extend(&mut self, ids: &[EventIds], events: &[Event]) {
        for (ids, event) in ids.iter().skip(self.covered).zip(events) {
            let (page, visitor, dims) = (ids.page, ids.visitor, ids.dims);
            match ids.kind {
                EventKind::Pageview => self.pageviews.push(PageVisit { page, visitor, dims }),
                EventKind::Payment => {
                    self.payments.extend(money(event).map(|money| PaidVisit { visitor, dims, money }))
                }
                EventKind::Goal => {}
            }
        }
        self.covered = ids.len();
    }
}

/// No position: the end of a chain, a visitor without pageviews.
const NONE: u32 = u32::MAX;

/// The numbers of one event, with its time and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventIds {
    pub visitor: u32,
    pub session: u32,
    pub dims: u32,
    /// Events with the same hostname and path share it.
    pub page: u32,
    pub ts: i64,
    pub kind: EventKind,
    /// For a pageview, the position of the same visitor's next pageview ([`NONE`] for the
    /// last). Fills what would be padding: the row stays 32 bytes.
    next_pageview: u32,
}

impl Default for EventIds {
    fn default() -> Self {
        EventIds { visitor: 0, session: 0, dims: 0, page: 0, ts: 0, kind: EventKind::Goal, next_pageview: NONE }
    }
}

/// One dimension's value pair ([`session_values`]) for every visit number, dictionary-encoded.
#[derive(Clone, Debug)]
pub struct DimColumn {
    dim: Dim,
    /// The distinct value pairs.
    pub values: Vec<[Box<str>; 2]>,
    by_text: FastMap<Box<str>, u32>,
    /// The code of each visit's pair, by visit (dims) number.
    pub codes: Vec<u32>,
}

impl DimColumn {
    fn build(dim: Dim, dims: &[Arc<Dims>]) -> DimColumn {
        let mut column = DimColumn { dim, values: Vec::new(), by_text: fast_map(64), codes: Vec::new() };
        column.extend(dims);
        column
    }

    fn extend(&mut self, dims: &[Arc<Dims>]) {
        let mut key = String::new();
        for d in dims.get(self.codes.len()..).unwrap_or_default() {
            let [a, b] = session_values(self.dim, d);
            key.clear();
            let _ = write!(key, "{}:{a}{b}", a.len());
            let code = match self.by_text.get(key.as_str()) {
                Some(&code) => code,
                None => {
                    let code = self.values.len() as u32;
                    self.values.push([a.into(), b.into()]);
                    self.by_text.insert(key.as_str().into(), code);
                    code
                }
            };
            self.codes.push(code);
        }
    }
}

impl Index {
    fn build(events: &[Event], version: u64) -> Index {
        let mut index = Index {
            visitors: Interner::with_capacity(events.len() / 4),
            sessions: Interner::with_capacity(events.len() / 3),
            dims_by_ptr: fast_map(256),
            dims_kept: Vec::new(),
            ids: Vec::with_capacity(events.len()),
            pages: fast_map(256),
            totals: OverviewTally::default(),
            unsorted: false,
            dim_columns: DIMS.iter().map(|_| OnceLock::new()).collect(),
            pageview_ends: Vec::with_capacity(events.len() / 4),
            mixed_case: false,
            page_examples: Vec::new(),
            dims_examples: Vec::new(),
            rollup: OnceLock::new(),
            version,
        };
        index.extend(events);
        index
    }

    fn extend(&mut self, events: &[Event]) {
        let mut page_key = String::new();
        for e in events {
            let next = self.dims_kept.len() as u32;
            let dims = *self.dims_by_ptr.entry(address(&e.dims)).or_insert(next);
            if dims == next {
                self.dims_kept.push(e.dims.clone());
                self.dims_examples.push(self.ids.len() as u32);
            }
            let known = self.visitors.count();
            let visitor = self.visitors.id(&e.visitor_id);
            if visitor == known {
                self.mixed_case |= e.visitor_id.bytes().any(|b| b.is_ascii_uppercase());
            }
            let position = self.ids.len() as u32;
            if e.kind == EventKind::Pageview {
                if self.pageview_ends.len() <= visitor as usize {
                    self.pageview_ends.resize(visitor as usize + 1, [NONE; 2]);
                }
                if let Some(ends) = self.pageview_ends.get_mut(visitor as usize) {
                    match self.ids.get_mut(ends[1] as usize) {
                        Some(last) => last.next_pageview = position,
                        None => ends[0] = position,
                    }
                    ends[1] = position;
                }
            }
            page_key.clear();
            let _ = write!(page_key, "{}:{}{}", e.hostname.len(), e.hostname, e.path);
            let next = self.pages.len() as u32;
            let page = match self.pages.get(page_key.as_str()) {
                Some(&page) => page,
                None => {
                    self.page_examples.push(position);
                    *self.pages.entry(page_key.as_str().into()).or_insert(next)
                }
            };
            let session = self.sessions.id(&e.session_id);
            self.totals.add(visitor as usize, session as usize, e.ts, e.kind, e);
            self.unsorted |= self.ids.last().is_some_and(|last| e.ts < last.ts);
            self.ids.push(EventIds { visitor, session, dims, page, ts: e.ts, kind: e.kind, next_pageview: NONE });
        }
        for column in self.dim_columns.iter_mut().filter_map(OnceLock::get_mut) {
            column.extend(&self.dims_kept);
        }
        if let Some(rollup) = self.rollup.get_mut() {
            rollup.extend(&self.ids, events);
        }
    }

    /// The pageviews and payments by visit, built on first use; `events` are the indexed
    /// ones.
    pub fn rollup(&self, events: &[Event]) -> &VisitRollup {
        self.rollup.get_or_init(|| {
            let mut rollup = VisitRollup::default();
            rollup.extend(&self.ids, events);
            rollup.pageviews.sort_unstable();
            rollup.pageviews.dedup();
            rollup.pageviews.shrink_to_fit();
            rollup
        })
    }

    /// The position of an event of page number `page`, and of visit (dims) number `dims`.
    pub fn page_example(&self, page: usize) -> Option<usize> {
        self.page_examples.get(page).map(|&p| p as usize)
    }

    pub fn dims_example(&self, dims: usize) -> Option<usize> {
        self.dims_examples.get(dims).map(|&p| p as usize)
    }

    /// The positions of the events in `[start, end)` (Unix ms), when the list is in time
    /// order; `None` otherwise.
    pub fn window(&self, start: i64, end: i64) -> Option<std::ops::Range<usize>> {
        if self.unsorted {
            return None;
        }
        let from = self.ids.partition_point(|e| e.ts < start);
        let to = self.ids.partition_point(|e| e.ts < end).max(from);
        Some(from..to)
    }

    /// The overview of every indexed event.
    pub fn totals(&self) -> &OverviewTally {
        &self.totals
    }

    /// The visits' codes for `dim`'s values (a session-level dimension), built on first use.
    pub fn dim_column(&self, dim: Dim) -> Option<&DimColumn> {
        let slot = self.dim_columns.get(DIMS.iter().position(|(_, d)| *d == dim)?)?;
        Some(slot.get_or_init(|| DimColumn::build(dim, &self.dims_kept)))
    }

    /// Whether the indexed positions still hold what was indexed (see the module docs).
    fn still_describes(&self, events: &Events) -> bool {
        self.version == events.version() && self.ids.len() <= events.len()
    }

    /// Positions of the pageviews of `visitor_id` (matched ignoring ASCII case), in list
    /// order; `None` when the index cannot tell (some stored id has upper-case letters).
    pub fn pageviews_of(&self, visitor_id: &str) -> Option<impl Iterator<Item = usize> + '_> {
        if self.mixed_case {
            return None;
        }
        let number = self.visitors.by_text.get(visitor_id.to_ascii_lowercase().as_str());
        let first = number.and_then(|&v| self.pageview_ends.get(v as usize)).map_or(NONE, |ends| ends[0]);
        let chain = std::iter::successors(Some(first), |&p| self.ids.get(p as usize).map(|row| row.next_pageview));
        Some(chain.take_while(|&p| p != NONE).map(|p| p as usize))
    }

    /// The numbers of the event at `position`.
    pub fn ids(&self, position: usize) -> EventIds {
        self.ids.get(position).copied().unwrap_or_default()
    }

    /// How many visitor numbers exist (an upper bound for per-visitor vectors).
    pub fn visitor_count(&self) -> usize {
        self.visitors.count() as usize
    }

    pub fn session_count(&self) -> usize {
        self.sessions.count() as usize
    }

    pub fn dims_count(&self) -> usize {
        self.dims_kept.len()
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The indexes of a store's websites, by website id.
#[derive(Debug, Default)]
pub struct IndexCache(Mutex<FastMap<String, Arc<Index>>>);

impl IndexCache {
    /// The index of `events` (the events of `website_id`; `None` = none), brought up to date.
    pub fn index_of(&self, website_id: &str, events: Option<&Events>) -> Arc<Index> {
        let Some(events) = events else {
            return Arc::new(Index::default());
        };
        let mut indexes = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot = indexes.entry(website_id.to_string()).or_default();
        if !slot.still_describes(events) {
            *slot = Arc::new(Index::build(events, events.version()));
        } else if slot.len() < events.len() {
            let done = slot.len();
            Arc::make_mut(slot).extend(events.get(done..).unwrap_or_default());
        }
        slot.clone()
    }
}

/// An index built for one use, outside any store (unit tests of the computations).
#[cfg(test)]
pub(crate) fn standalone(events: &[Event]) -> Arc<Index> {
    Arc::new(Index::build(events, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(visitor: &ArcStr, session: &ArcStr) -> Event {
        crate::analytics::test_event(visitor, session, 0, Arc::new(Dims::default()))
    }

    #[test]
    fn follows_appends_and_rebuilds_after_other_changes() {
        let (a, b): (ArcStr, ArcStr) = ("visitor-a".into(), "visitor-b".into());
        let (s1, s2): (ArcStr, ArcStr) = ("s1".into(), "s2".into());
        let mut events = Events::from(vec![ev(&a, &s1), ev(&b, &s2)]);
        let site = "index-test-site";
        let cache = IndexCache::default();
        let index_of = |events: &Events| cache.index_of(site, Some(events));
        let i = index_of(&events);
        let pair = |i: &Index, p: usize| (i.ids(p).visitor, i.ids(p).session);
        assert_eq!((pair(&i, 0), pair(&i, 1)), ((0, 0), (1, 1)));
        // An append with another Arc of the same text: same numbers, indexed incrementally.
        let a_again: ArcStr = "visitor-a".into();
        events.push(ev(&a_again, &s1));
        let i = index_of(&events);
        assert_eq!(i.len(), 3);
        assert_eq!(pair(&i, 2), (0, 0));
        assert_eq!(i.visitor_count(), 2);
        // A deletion shifts positions: the index notices and rebuilds.
        events.remove(0);
        let i = index_of(&events);
        assert_eq!(i.len(), 2);
        assert_eq!(pair(&i, 0), (0, 0), "b is now first");
        assert_eq!(pair(&i, 1), (1, 1));
        assert_eq!(i.visitor_count(), 2);
        // Pageviews by visitor, ignoring case; a goal is not a pageview.
        let mut goal = ev(&a, &s1);
        goal.kind = EventKind::Goal;
        events.push(goal);
        let i = index_of(&events);
        let pageviews = |i: &Index, visitor: &str| i.pageviews_of(visitor).map(Iterator::collect::<Vec<_>>);
        assert_eq!(pageviews(&i, "VISITOR-A"), Some(vec![1]));
        assert_eq!(pageviews(&i, "visitor-c"), Some(vec![]));
        events.push(ev(&b, &s2));
        events.push(ev(&a, &s1));
        let i = index_of(&events);
        assert_eq!(pageviews(&i, "visitor-a"), Some(vec![1, 4]), "appended: the chain goes on");
        assert_eq!(pageviews(&i, "visitor-b"), Some(vec![0, 3]));
        // Time windows are position ranges while times never decrease (all 0 here).
        assert_eq!(index_of(&events).window(0, 1), Some(0..5));
        assert_eq!(index_of(&events).window(1, 2), Some(5..5));
        let mut early = ev(&a, &s1);
        early.ts = -1;
        events.push(early);
        assert_eq!(index_of(&events).window(0, 1), None, "out of order: no shortcut");
        // An upper-case id stored: the index says it cannot tell, callers scan.
        events.push(ev(&"Visitor-C".into(), &s2));
        assert!(index_of(&events).pageviews_of("visitor-a").is_none());
    }
}
