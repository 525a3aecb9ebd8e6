//! Analytics computed from raw events: the shared query parameters (CONTRACT 3: dates,
//! timezone, fields, filters), event selection, and the computations behind every
//! analytics endpoint.
//!
//! Pure functions over `&[Event]`, no HTTP: every analytics endpoint is `select` + one
//! computation + a JSON shape (in `handlers`).
//!
//! Speed: these passes are written to touch each selected event once with cheap work. Visitor and session ids are turned
//! into dense numbers by [`Ids`] (keyed by the `Arc` they share, falling back to the text),
//! so per-visitor and per-session state lives in plain vectors instead of string maps.

pub mod funnel;
pub mod index;
pub mod model;
pub mod realtime;
pub mod timeseries;
pub mod visitors;

use crate::http::Query;
use crate::state::{Dims, Event, EventKind, PaymentKind};
use crate::time;
use crate::tz::Zone;
use arcstr::ArcStr;
use datafast_contract::rules::{self, RuleResult, RuleViolation};
use foldhash::fast::FixedState;
use index::Index;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

/// Hash maps and sets for aggregation: fast and deterministic (the keys are ids and
/// dimension values of a local emulator's own events, not attacker-chosen).
pub type FastMap<K, V> = HashMap<K, V, FixedState>;
pub type FastSet<K> = HashSet<K, FixedState>;

pub fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, FixedState::default())
}

pub fn fast_set<K>(capacity: usize) -> FastSet<K> {
    FastSet::with_capacity_and_hasher(capacity, FixedState::default())
}

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
    /// `timezone`, or the website's zone.
    pub zone: Zone,
    pub filters: Vec<Filter>,
    /// `None` = every field.
    pub fields: Option<Vec<String>>,
}

impl AnalyticsQuery {
    /// Parses the zone, dates (read in that zone), `fields` (checked against `valid_fields`)
    /// and filters.
    pub fn parse(query: &Query, website_tz: &str, valid_fields: &[&str]) -> RuleResult<AnalyticsQuery> {
        let zone = parse_zone(query, website_tz)?;
        let range = parse_range(query, &zone)?;
        Ok(AnalyticsQuery { range, zone, fields: parse_fields(query, valid_fields)?, filters: parse_filters(query)? })
    }

    /// [`AnalyticsQuery::parse`] for routes that take no `fields` (funnel analytics).
    pub fn parse_without_fields(query: &Query, website_tz: &str) -> RuleResult<AnalyticsQuery> {
        let zone = parse_zone(query, website_tz)?;
        let range = parse_range(query, &zone)?;
        Ok(AnalyticsQuery { range, zone, fields: None, filters: parse_filters(query)? })
    }

    /// Whether the response should carry `field`.
    pub fn wants(&self, field: &str) -> bool {
        self.fields.as_ref().is_none_or(|f| f.iter().any(|x| x == field))
    }
}

/// `timezone`, defaulting to the website's; an unknown name is a 400 naming `timezone`.
pub fn parse_zone(query: &Query, website_tz: &str) -> RuleResult<Zone> {
    let name = query.get_nonempty("timezone").map(str::trim).unwrap_or(website_tz);
    Zone::get(name).ok_or_else(|| {
        RuleViolation::new("timezone", "must be an IANA time zone name (exact spelling), such as UTC or Europe/Paris")
    })
}

/// `startAt`/`endAt` (both or neither). A date-only
/// bound is a whole day in the zone: `startAt` from its local midnight, `endAt` through the
/// end of its day (inclusive), so DST days are 23 or 25 hours long. An instant `endAt` is
/// inclusive to the millisecond.
pub fn parse_range(query: &Query, zone: &Zone) -> RuleResult<Option<Range>> {
    let (start, end) = (query.get_nonempty("startAt"), query.get_nonempty("endAt"));
    rules::date_pair(start, end)?;
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(None);
    };
    // Gen-1: a full-day UTC pair (midnight … 23:59:59) means plain dates, read in the zone.
    let (start, end) = full_day_utc_pair(start, end).unwrap_or((start, end));
    let bound = |field: &str, s: &str, is_end: bool| -> RuleResult<i64> {
        let ms = match time::parse_date(s) {
            Some(day) => Some(zone.start_of_day(if is_end { day + 1 } else { day })),
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
pub(crate) const DIMS: &[(&str, Dim)] = &[
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

impl Dim {
    /// The dimension of a parameter name without the `filter_` prefix.
    pub fn from_name(name: &str) -> Option<Dim> {
        DIMS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
    }

    /// Whether the dimension describes the visit (same value for every event of a
    /// session), as opposed to pages and goals, which vary within it.
    pub fn is_session_level(self) -> bool {
        !matches!(self, Dim::Page | Dim::EntryPage | Dim::Hostname | Dim::Goal)
    }
}

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
        let hit = observed.into_iter().any(|o| self.matches(o));
        hit != self.op.negated()
    }

    /// Whether one observed value matches one of the filter's values (ignoring the
    /// operator's polarity).
    pub fn matches(&self, observed: &str) -> bool {
        match self.op {
            Op::Is | Op::IsNot => self.values.iter().any(|v| eq_lowercase(observed, v)),
            Op::Contains | Op::DoesNotContain => self.values.iter().any(|v| contains_lowercase(observed, v)),
        }
    }
}

/// `observed` equals the already-lowercased `lower`, ignoring case, without allocating.
pub fn eq_lowercase(observed: &str, lower: &str) -> bool {
    if observed.is_ascii() {
        return observed.len() == lower.len()
            && observed.bytes().zip(lower.bytes()).all(|(a, b)| a.to_ascii_lowercase() == b);
    }
    observed.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// `observed` contains the already-lowercased `lower`, ignoring case (allocation-free for
/// ASCII, which paths are).
pub fn contains_lowercase(observed: &str, lower: &str) -> bool {
    if observed.is_ascii() && lower.is_ascii() {
        let (o, n) = (observed.as_bytes(), lower.as_bytes());
        return n.is_empty() || o.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    observed.to_lowercase().contains(lower)
}

/// Every `filter_*` parameter, plus the Gen-1 spellings without the prefix (`country=US`).
pub fn parse_filters(query: &Query) -> RuleResult<Vec<Filter>> {
    let mut filters = Vec::new();
    for (key, raw) in query.iter() {
        let (name, prefixed) = match key.strip_prefix("filter_") {
            Some(name) => (name, true),
            None => (key, false),
        };
        let Some(dim) = Dim::from_name(name) else {
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

/// What a session-level dimension shows for a session: one or two spellings that match
/// (`US` and `United States`), the second possibly empty.
pub fn session_values(dim: Dim, d: &Dims) -> [&str; 2] {
    match dim {
        Dim::Country => [&d.country, &d.country_code],
        // The name and the ISO 3166-2 code that visitor detail and the realtime map show.
        Dim::Region => [&d.region, crate::seed::region_code(&d.region).unwrap_or("")],
        Dim::City => [&d.city, ""],
        Dim::Device => [&d.device, ""],
        // `Safari` also matches Mobile Safari (CONTRACT 3.1).
        Dim::Browser if d.browser == "Mobile Safari" => [&d.browser, "Safari"],
        Dim::Browser => [&d.browser, ""],
        Dim::Os => [&d.os, ""],
        Dim::Referrer => [&d.referrer, &d.referrer_domain],
        Dim::UtmSource => [&d.utm_source, ""],
        Dim::UtmMedium => [&d.utm_medium, ""],
        Dim::UtmCampaign => [&d.utm_campaign, ""],
        Dim::UtmTerm => [&d.utm_term, ""],
        Dim::UtmContent => [&d.utm_content, ""],
        Dim::Ref => [&d.ref_param, ""],
        Dim::Source => [&d.source_param, ""],
        Dim::Via => [&d.via_param, ""],
        Dim::Page | Dim::EntryPage | Dim::Hostname | Dim::Goal => ["", ""],
    }
}

/// Whether a session-level filter passes for a session's dimensions.
pub fn session_passes(f: &Filter, d: &Dims) -> bool {
    values_pass(f, session_values(f.dim, d))
}

/// Whether a session-level filter passes for a dimension's value pair.
fn values_pass(f: &Filter, [a, b]: [&str; 2]) -> bool {
    f.test(std::iter::once(a).chain((!b.is_empty()).then_some(b)))
}

/// A website's events and their [`Index`] (from `Store::indexed`).
#[derive(Clone, Debug)]
pub struct Indexed<'a> {
    events: &'a [Event],
    index: Arc<Index>,
}

impl<'a> Indexed<'a> {
    /// `index` must describe `events` (see `index::IndexCache`).
    pub fn new(events: &'a [Event], index: Arc<Index>) -> Indexed<'a> {
        Indexed { events, index }
    }

    pub fn events(&self) -> &'a [Event] {
        self.events
    }

    /// The pageviews of a visitor (id matched ignoring ASCII case), in list order: through
    /// the index, or a scan when the index cannot tell.
    pub fn pageviews_of<'s>(&'s self, visitor_id: &'s str) -> Box<dyn Iterator<Item = &'a Event> + 's> {
        let events = self.events;
        match self.index.pageviews_of(visitor_id) {
            Some(positions) => Box::new(positions.filter_map(move |p| events.get(p))),
            None => Box::new(
                events
                    .iter()
                    .filter(move |e| e.kind == EventKind::Pageview && e.visitor_id.eq_ignore_ascii_case(visitor_id)),
            ),
        }
    }
}

/// The events a request looks at, as positions in the website's event list, with the
/// website's [`Index`] to number their visitors and sessions.
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    events: &'a [Event],
    index: Arc<Index>,
    chosen: Chosen,
    /// Every event of the website is selected (no range, no filter).
    whole: bool,
}

/// Which events a [`Selection`] holds.
#[derive(Clone, Debug)]
enum Chosen {
    /// The events of `span` whose visit (dims number) passes `visits` (all when `None`):
    /// nothing is listed, so a selection of a million events costs nothing to make.
    Visits { span: std::ops::Range<usize>, visits: Option<Arc<[bool]>> },
    /// These positions, ascending.
    Listed(Vec<u32>),
}

/// One selected event with its visitor's, session's, dimensions' and page's numbers, and
/// its time and kind (read from the index's dense rows: cheaper than from `event`).
#[derive(Clone, Copy, Debug)]
pub struct Picked<'a> {
    pub event: &'a Event,
    /// Where the event is in the website's list.
    pub position: usize,
    pub visitor: usize,
    pub session: usize,
    /// Events sharing this number share their `Dims` (the visit's dimensions).
    pub dims: usize,
    /// Events sharing this number share their hostname and path.
    pub page: usize,
    pub ts: i64,
    pub kind: EventKind,
}

impl<'a> Picked<'a> {
    fn new(event: &'a Event, position: usize, ids: index::EventIds) -> Picked<'a> {
        Picked {
            event,
            position,
            visitor: ids.visitor as usize,
            session: ids.session as usize,
            dims: ids.dims as usize,
            page: ids.page as usize,
            ts: ids.ts,
            kind: ids.kind,
        }
    }
}

impl<'a> Selection<'a> {
    /// Every event of a website.
    pub fn all(Indexed { events, index }: Indexed<'a>) -> Selection<'a> {
        let span = 0..events.len().min(index.len());
        Selection { events, index, chosen: Chosen::Visits { span, visits: None }, whole: true }
    }

    pub fn iter(&self) -> impl Iterator<Item = Picked<'a>> + '_ {
        let (span, visits, listed) = match &self.chosen {
            Chosen::Visits { span, visits } => (span.clone(), visits.as_deref(), &[][..]),
            Chosen::Listed(positions) => (0..0, None, positions.as_slice()),
        };
        let index = &self.index;
        let events = self.events;
        let passes =
            move |p: &usize| visits.is_none_or(|v| v.get(index.ids(*p).dims as usize).copied().unwrap_or(false));
        span.filter(passes)
            .chain(listed.iter().map(|&p| p as usize))
            .filter_map(move |p| Some(Picked::new(events.get(p)?, p, index.ids(p))))
    }

    /// At least as many as the selected events (exact when no filter applied).
    pub fn size_hint(&self) -> usize {
        match &self.chosen {
            Chosen::Visits { span, .. } => span.len(),
            Chosen::Listed(positions) => positions.len(),
        }
    }

    /// The visits (by dims number) whose events are all selected, when the selection is
    /// exactly that: every event of the website in a passing visit.
    fn visits_only(&self) -> Option<Option<&[bool]>> {
        match &self.chosen {
            Chosen::Visits { span, visits } if span.start == 0 && span.end == self.index.len() => {
                Some(visits.as_deref())
            }
            _ => None,
        }
    }

    /// Per-visitor vector length.
    pub fn visitor_slots(&self) -> usize {
        self.index.visitor_count()
    }

    /// Per-session vector length.
    pub fn session_slots(&self) -> usize {
        self.index.session_count()
    }

    /// Per-`Dims` vector length.
    pub fn dims_slots(&self) -> usize {
        self.index.dims_count()
    }

    /// Per-page vector length.
    pub fn page_slots(&self) -> usize {
        self.index.page_count()
    }

    /// Keeps the events for which `keep` holds.
    fn retain(&mut self, mut keep: impl FnMut(Picked<'a>) -> bool) {
        let kept = self.iter().filter(|p| keep(*p)).map(|p| p.position as u32).collect();
        self.chosen = Chosen::Listed(kept);
        self.whole = false;
    }
}

/// Whether each visit (by dims number) passes every filter, decided once per distinct value
/// of each filtered dimension through the index's dictionaries.
fn visits_passing(index: &Index, filters: &[&Filter]) -> Vec<bool> {
    let mut passing = vec![true; index.dims_count()];
    for f in filters {
        match index.dim_column(f.dim) {
            Some(column) => {
                let verdicts: Vec<bool> = column.values.iter().map(|[a, b]| values_pass(f, [a, b])).collect();
                for (pass, &code) in passing.iter_mut().zip(&column.codes) {
                    *pass &= verdicts.get(code as usize).copied().unwrap_or(false);
                }
            }
            None => passing.iter_mut().for_each(|p| *p = false),
        }
    }
    passing
}

/// The events a request looks at: inside the range, and passing every filter.
///
/// Filter semantics (inferred, Plausible-like): dimensions of the visit (country, device,
/// referrer, UTM, …) select sessions; `page` and `hostname` select sessions that viewed a
/// matching page (`is`/`contains`) or no matching page (`is_not`/`does_not_contain`);
/// `entry_page` looks at the session's first pageview; `goal` selects visitors who completed
/// (or never completed) the goal within the range.
pub fn select<'a>(events: Indexed<'a>, q: &AnalyticsQuery) -> Selection<'a> {
    select_in(events, q.range, &q.filters)
}

/// [`select`] with an explicit range (timeseries and realtime pick their own windows).
pub fn select_in<'a>(events: Indexed<'a>, range: Option<Range>, filters: &[Filter]) -> Selection<'a> {
    let Indexed { events, index } = events;
    // Events in time order: the window is a range of positions, so what follows costs what
    // the window holds.
    let window = range.and_then(|r| index.window(r.start, r.end));
    // Visit-level filters depend only on the visit's dimensions: decided once per `Dims`.
    let dim_filters: Vec<&Filter> = filters.iter().filter(|f| f.dim.is_session_level()).collect();
    let visits: Option<Arc<[bool]>> = (!dim_filters.is_empty()).then(|| visits_passing(&index, &dim_filters).into());
    let whole = range.is_none() && dim_filters.is_empty();
    let chosen = match (range, window) {
        (Some(_), Some(span)) => Chosen::Visits { span, visits },
        (None, _) => Chosen::Visits { span: 0..events.len().min(index.len()), visits },
        // Out of time order: every event is tested.
        (Some(r), None) => {
            let all = Selection {
                events,
                index: index.clone(),
                chosen: Chosen::Visits { span: 0..events.len().min(index.len()), visits },
                whole: false,
            };
            Chosen::Listed(all.iter().filter(|p| r.contains(p.ts)).map(|p| p.position as u32).collect())
        }
    };
    let mut sel = Selection { events, index, chosen, whole };

    // Page-level filters: decided per session from its selected pageviews.
    let page_filters: Vec<&Filter> =
        filters.iter().filter(|f| matches!(f.dim, Dim::Page | Dim::EntryPage | Dim::Hostname)).collect();
    if !page_filters.is_empty() {
        let n = sel.session_slots();
        let mut has_pageview = vec![false; n];
        let mut entry: Vec<Option<&Event>> = vec![None; n];
        let mut hits: Vec<Vec<bool>> = page_filters.iter().map(|_| vec![false; n]).collect();
        // Page filters depend only on the page: decided once per page and filter.
        let mut page_verdicts: Vec<Vec<Option<bool>>> =
            page_filters.iter().map(|_| vec![None; sel.page_slots()]).collect();
        for p in sel.iter().filter(|p| p.kind == EventKind::Pageview) {
            let Some(seen) = has_pageview.get_mut(p.session) else { continue };
            *seen = true;
            if let Some(first) = entry.get_mut(p.session) {
                if first.is_none_or(|f| p.ts < f.ts) {
                    *first = Some(p.event);
                }
            }
            for ((f, hit), verdicts) in page_filters.iter().zip(hits.iter_mut()).zip(page_verdicts.iter_mut()) {
                let decide = || match f.dim {
                    Dim::Page => f.matches(&p.event.path),
                    Dim::Hostname => f.matches(&p.event.hostname),
                    _ => false,
                };
                let matched = match verdicts.get_mut(p.page) {
                    Some(Some(v)) => *v,
                    Some(slot) => *slot.insert(decide()),
                    None => decide(),
                };
                if matched {
                    if let Some(h) = hit.get_mut(p.session) {
                        *h = true;
                    }
                }
            }
        }
        let passing: Vec<bool> = (0..n)
            .map(|s| {
                has_pageview[s]
                    && page_filters.iter().zip(&hits).all(|(f, hit)| match f.dim {
                        Dim::EntryPage => f.test(entry[s].map(|e| e.path.as_str())),
                        _ => hit[s] != f.op.negated(),
                    })
            })
            .collect();
        sel.retain(|p| passing.get(p.session).copied().unwrap_or(false));
    }

    // Goal filters: decided per visitor from the goals they completed in the selection.
    let goal_filters: Vec<&Filter> = filters.iter().filter(|f| f.dim == Dim::Goal).collect();
    if !goal_filters.is_empty() {
        let mut goals: Vec<Vec<&str>> = vec![Vec::new(); sel.visitor_slots()];
        for p in sel.iter() {
            if let (Some(g), Some(list)) = (&p.event.goal_name, goals.get_mut(p.visitor)) {
                list.push(g);
            }
        }
        let passing: Vec<bool> =
            goals.iter().map(|names| goal_filters.iter().all(|f| f.test(names.iter().copied()))).collect();
        sel.retain(|p| passing.get(p.visitor).copied().unwrap_or(false));
    }
    sel
}

/// Dense numbers (0, 1, 2, …) for visitor or session ids within one request.
///
/// Events of one visitor share one [`ArcStr`], so the pointer is looked up first (cheap);
/// a pointer not seen yet falls back to the text, so two strings holding the same id still
/// get the same number.
#[derive(Debug)]
pub struct Ids<'a> {
    by_ptr: FastMap<usize, u32>,
    by_text: FastMap<&'a str, u32>,
    texts: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    pub fn with_capacity(n: usize) -> Ids<'a> {
        Ids { by_ptr: fast_map(n), by_text: fast_map(n), texts: Vec::with_capacity(n) }
    }

    pub fn id(&mut self, s: &'a ArcStr) -> usize {
        let ptr = s.as_ptr() as usize;
        if let Some(&id) = self.by_ptr.get(&ptr) {
            return id as usize;
        }
        let next = self.texts.len() as u32;
        let id = *self.by_text.entry(s).or_insert(next);
        if id == next {
            self.texts.push(s);
        }
        self.by_ptr.insert(ptr, id);
        id as usize
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    pub fn text(&self, id: usize) -> &'a str {
        self.texts.get(id).copied().unwrap_or_default()
    }
}

/// How a payment event counts (CONTRACT W02 `revenueBreakdown`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Money {
    /// A first purchase or a one-off payment.
    New(f64),
    /// A recurring charge of an existing subscription.
    Renewal(f64),
    /// Money given back: reported as a positive amount, subtracted from revenue.
    Refund(f64),
}

/// The one place that reads an event as money: `None` for anything but a payment, and for
/// free trials, which move no money. Refunds are stored with a negative amount.
pub fn money(e: &Event) -> Option<Money> {
    let amount = e.amount.unwrap_or(0.0);
    Some(match e.payment_kind()? {
        PaymentKind::New => Money::New(amount),
        PaymentKind::Renewal => Money::Renewal(amount),
        PaymentKind::Refund => Money::Refund(amount.abs()),
        PaymentKind::FreeTrial => return None,
    })
}

/// A payment that makes its visitor a customer: a purchase or a renewal (not a free trial,
/// not a refund).
pub fn is_purchase(e: &Event) -> bool {
    matches!(money(e), Some(Money::New(_) | Money::Renewal(_)))
}

/// Revenue split the way timeseries reports it; `revenue()` is what every other endpoint
/// shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MoneySums {
    pub new: f64,
    pub renewal: f64,
    pub refund: f64,
    /// Payments counted (refunds are not payments).
    pub payments: u64,
}

impl MoneySums {
    pub fn add(&mut self, m: Money) {
        match m {
            Money::New(a) => {
                self.new += a;
                self.payments += 1;
            }
            Money::Renewal(a) => {
                self.renewal += a;
                self.payments += 1;
            }
            Money::Refund(a) => self.refund += a,
        }
    }

    pub fn merge(&mut self, other: &MoneySums) {
        self.new += other.new;
        self.renewal += other.renewal;
        self.refund += other.refund;
        self.payments += other.payments;
    }

    /// Net revenue: new + renewal − refunds.
    pub fn revenue(&self) -> f64 {
        self.new + self.renewal - self.refund
    }
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
    pub money: MoneySums,
    pub revenue: f64,
    pub payments: u64,
    pub revenue_per_visitor: f64,
    /// Percent of visitors who paid.
    pub conversion_rate: f64,
}

/// Per-session pageview count and first/last pageview time.
#[derive(Clone, Copy, Debug, Default)]
struct SessionSpan {
    pageviews: u32,
    first: i64,
    last: i64,
}

/// W01's sums, fed one event at a time in list order: by [`overview`] for a selection, and
/// by the index for all of a website's events as they are appended (so the unfiltered
/// all-time overview costs nothing per request). Every figure is kept up to date as events
/// arrive, which gives the same numbers as summing at the end (money in the same order).
#[derive(Clone, Debug, Default)]
pub struct OverviewTally {
    visitor_seen: Vec<bool>,
    payer_seen: Vec<bool>,
    spans: Vec<SessionSpan>,
    visitors: u64,
    /// Visitors with pageviews who paid.
    payers: u64,
    sessions: u64,
    bounces: u64,
    duration: i64,
    money: MoneySums,
}

/// `v[i]`, growing `v` as needed.
fn slot<T: Default + Clone>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    &mut v[i]
}

impl OverviewTally {
    fn with_slots(visitors: usize, sessions: usize) -> OverviewTally {
        OverviewTally {
            visitor_seen: vec![false; visitors],
            payer_seen: vec![false; visitors],
            spans: vec![SessionSpan::default(); sessions],
            ..OverviewTally::default()
        }
    }

    /// Counts one event (its index numbers, time and kind, and the event for money).
    pub fn add(&mut self, visitor: usize, session: usize, ts: i64, kind: EventKind, event: &Event) {
        match kind {
            EventKind::Pageview => {
                let seen = slot(&mut self.visitor_seen, visitor);
                if !*seen {
                    *seen = true;
                    self.visitors += 1;
                    self.payers += u64::from(*slot(&mut self.payer_seen, visitor));
                }
                let span = slot(&mut self.spans, session);
                let before = *span;
                if span.pageviews == 0 {
                    *span = SessionSpan { pageviews: 1, first: ts, last: ts };
                } else {
                    span.pageviews += 1;
                    span.first = span.first.min(ts);
                    span.last = span.last.max(ts);
                }
                match before.pageviews {
                    0 => {
                        self.sessions += 1;
                        self.bounces += 1;
                    }
                    1 => self.bounces -= 1,
                    _ => {}
                }
                self.duration += (span.last - span.first) - (before.last - before.first);
            }
            EventKind::Payment => {
                if let Some(m) = money(event) {
                    self.money.add(m);
                }
                if is_purchase(event) {
                    let paid = slot(&mut self.payer_seen, visitor);
                    if !*paid {
                        *paid = true;
                        self.payers += u64::from(*slot(&mut self.visitor_seen, visitor));
                    }
                }
            }
            EventKind::Goal => {}
        }
    }

    pub fn overview(&self) -> Overview {
        let (visitors, sessions) = (self.visitors, self.sessions);
        let revenue = self.money.revenue();
        Overview {
            visitors,
            sessions,
            bounce_rate: ratio(self.bounces as f64 * 100.0, sessions as f64),
            avg_session_duration: ratio(self.duration as f64, sessions as f64),
            money: self.money,
            revenue,
            payments: self.money.payments,
            revenue_per_visitor: ratio(revenue, visitors as f64),
            // Payments not attributed to a visitor with pageviews count in revenue, not here.
            conversion_rate: ratio(self.payers as f64 * 100.0, visitors as f64).min(100.0),
        }
    }
}

pub fn overview(sel: &Selection) -> Overview {
    if sel.whole {
        return sel.index.totals().overview();
    }
    let mut tally = OverviewTally::with_slots(sel.visitor_slots(), sel.session_slots());
    for p in sel.iter() {
        tally.add(p.visitor, p.session, p.ts, p.kind, p.event);
    }
    tally.overview()
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// What a breakdown key reads, so that it is computed once per visit or page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyScope {
    /// Only the visit's dimensions (`dims`).
    Visit,
    /// Only the hostname and path.
    Page,
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
///
/// `key` is called once per visit or page (see [`KeyScope`]) and remembered. A selection of
/// whole visits over all time (no range; filters on visit dimensions only) is read from the
/// index's [`index::VisitRollup`]: the passing visits' pageviews and the payments, not every
/// event; both ways count the same pairs and add each visitor's payments in list order.
pub fn breakdown<'a, K, F>(sel: &Selection<'a>, scope: KeyScope, key: F) -> Vec<Row<K>>
where
    K: Hash + Eq + Ord,
    F: Fn(&'a Event) -> Option<K>,
{
    let mut tally = RowTally::new(sel, scope, key);
    match sel.visits_only() {
        Some(visits) => {
            let passes = |dims: usize| visits.is_none_or(|v| v.get(dims).copied().unwrap_or(false));
            let rollup = sel.index.rollup(sel.events);
            for paid in rollup.payments.iter().filter(|p| passes(p.dims as usize)) {
                tally.pay(paid.visitor as usize, paid.money);
            }
            match scope {
                KeyScope::Page => tally.view_pages(&rollup.pageviews, visits),
                KeyScope::Visit => {
                    for pv in rollup.pageviews.iter().filter(|pv| passes(pv.dims as usize)) {
                        tally.view(pv.visitor as usize, pv.dims as usize, pv.page as usize);
                    }
                }
            }
        }
        None => {
            for p in sel.iter() {
                match p.kind {
                    EventKind::Payment => {
                        if let Some(m) = money(p.event) {
                            tally.pay(p.visitor, m);
                        }
                    }
                    EventKind::Pageview => tally.view(p.visitor, p.dims, p.page),
                    EventKind::Goal => {}
                }
            }
        }
    }
    tally.rows()
}

/// A breakdown being counted: each pageview's row, the visitors seen per row and what
/// paying visitors paid.
struct RowTally<'s, 'a, K, F> {
    sel: &'s Selection<'a>,
    scope: KeyScope,
    key: F,
    /// The row of each visit or page (by [`KeyScope`]): `UNKNOWN` until computed.
    memo: Vec<u32>,
    groups: FastMap<K, u32>,
    /// The visitors seen per group; each new one adds one visitor to the group.
    seen: RowVisitors,
    /// What each paying visitor paid in the selection (few visitors pay), and who they are,
    /// by visitor number (a bit test is cheaper than a map lookup for every row's visitor).
    paid: FastMap<usize, MoneySums>,
    payers: Vec<u64>,
}

const UNKNOWN: u32 = u32::MAX;
const NO_ROW: u32 = u32::MAX - 1;

impl<'s, 'a, K, F> RowTally<'s, 'a, K, F>
where
    K: Hash + Eq + Ord,
    F: Fn(&'a Event) -> Option<K>,
{
    fn new(sel: &'s Selection<'a>, scope: KeyScope, key: F) -> Self {
        let slots = match scope {
            KeyScope::Visit => sel.dims_slots(),
            KeyScope::Page => sel.page_slots(),
        };
        RowTally {
            sel,
            scope,
            key,
            memo: vec![UNKNOWN; slots],
            groups: fast_map(64),
            seen: RowVisitors::new(sel.visitor_slots()),
            paid: fast_map(64),
            payers: vec![0; sel.visitor_slots().div_ceil(64)],
        }
    }

    fn pay(&mut self, visitor: usize, m: Money) {
        self.paid.entry(visitor).or_default().add(m);
        if let Some(word) = self.payers.get_mut(visitor / 64) {
            *word |= 1 << (visitor % 64);
        }
    }

    /// One pageview of `visitor` in visit number `dims`, on page number `page`.
    #[inline(always)]
    fn view(&mut self, visitor: usize, dims: usize, page: usize) {
        let slot = match self.scope {
            KeyScope::Visit => dims,
            KeyScope::Page => page,
        };
        let g = match self.memo.get(slot).copied().filter(|&g| g != UNKNOWN) {
            Some(g) => g,
            None => {
                let g = self.row_of(slot);
                if let Some(m) = self.memo.get_mut(slot) {
                    *m = g;
                }
                g
            }
        };
        if g != NO_ROW {
            self.seen.insert(g, visitor);
        }
    }

    /// The rollup's pageviews of the visits passing `visits` (all when `None`), for a key
    /// read from the page. The rollup is sorted by page: each page's row is found once, and
    /// each pageview sets its visitor's bit or-ing in whether its visit passes, without a
    /// branch the CPU would mispredict for about half of them.
    fn view_pages(&mut self, pageviews: &[index::PageVisit], visits: Option<&[bool]>) {
        let passes = |dims: u32| visits.is_none_or(|v| v.get(dims as usize).copied().unwrap_or(false));
        for run in pageviews.chunk_by(|a, b| a.page == b.page) {
            let Some(page) = run.first().map(|pv| pv.page as usize) else { continue };
            let g = match self.memo.get(page).copied().filter(|&g| g != UNKNOWN) {
                Some(g) => g,
                None => {
                    let g = self.row_of(page);
                    if let Some(m) = self.memo.get_mut(page) {
                        *m = g;
                    }
                    g
                }
            };
            if g == NO_ROW {
                continue;
            }
            match self.seen.row_bits(g) {
                Some(words) => {
                    for pv in run {
                        if let Some(word) = words.get_mut(pv.visitor as usize / 64) {
                            *word |= u64::from(passes(pv.dims)) << (pv.visitor % 64);
                        }
                    }
                }
                None => {
                    for pv in run.iter().filter(|pv| passes(pv.dims)) {
                        self.seen.insert(g, pv.visitor as usize);
                    }
                }
            }
        }
    }

    /// The row of a visit or page number, from an event of it.
    fn row_of(&mut self, slot: usize) -> u32 {
        let index = &self.sel.index;
        let example = match self.scope {
            KeyScope::Visit => index.dims_example(slot),
            KeyScope::Page => index.page_example(slot),
        };
        match example.and_then(|p| self.sel.events.get(p)).and_then(|e| (self.key)(e)) {
            Some(k) => {
                let next = self.groups.len() as u32;
                *self.groups.entry(k).or_insert(next)
            }
            None => NO_ROW,
        }
    }

    fn rows(self) -> Vec<Row<K>> {
        let mut counts: Vec<(u64, MoneySums)> = vec![(0, MoneySums::default()); self.groups.len()];
        self.seen.for_each(|g, v| {
            let Some(c) = counts.get_mut(g) else { return };
            c.0 += 1;
            let is_payer = self.payers.get(v / 64).is_some_and(|w| w & (1 << (v % 64)) != 0);
            if let Some(p) = is_payer.then(|| self.paid.get(&v)).flatten() {
                c.1.merge(p);
            }
        });
        let mut rows: Vec<Row<K>> = self
            .groups
            .into_iter()
            .filter_map(|(key, g)| {
                // A page whose pageviews are all in visits the filter drops has a row number
                // (`view_pages` numbers it before testing them) but no row.
                let (visitors, m) = counts.get(g as usize).filter(|(visitors, _)| *visitors > 0)?;
                Some(Row { key, visitors: *visitors, revenue: m.revenue(), payments: m.payments })
            })
            .collect();
        rows.sort_by(|a, b| b.visitors.cmp(&a.visitors).then_with(|| a.key.cmp(&b.key)));
        rows
    }
}

/// The visitors each breakdown row has seen: a bitset per row while they fit in
/// [`RowVisitors::BUDGET_WORDS`] (setting a bit is much cheaper than a hash insert), then
/// `(row, visitor)` pairs in a hash set for rows beyond.
struct RowVisitors {
    words_per_row: usize,
    bits: Vec<Vec<u64>>,
    overflow: FastSet<u64>,
}

impl RowVisitors {
    /// 8 MB of bitsets per request at most.
    const BUDGET_WORDS: usize = 1 << 20;

    fn new(visitors: usize) -> RowVisitors {
        RowVisitors { words_per_row: visitors.div_ceil(64).max(1), bits: Vec::new(), overflow: fast_set(0) }
    }

    /// The bitset of `row` when it has one: rows whose bitsets fit in the budget, counted
    /// from row 0, have one (so a row is never split between bits and the hash set).
    fn row_bits(&mut self, row: u32) -> Option<&mut [u64]> {
        let r = row as usize;
        if (r + 1).saturating_mul(self.words_per_row) > Self::BUDGET_WORDS {
            return None;
        }
        while self.bits.len() <= r {
            self.bits.push(vec![0; self.words_per_row]);
        }
        self.bits.get_mut(r).map(Vec::as_mut_slice)
    }

    #[inline]
    fn insert(&mut self, row: u32, visitor: usize) {
        match self.row_bits(row).and_then(|b| b.get_mut(visitor / 64)) {
            Some(word) => *word |= 1 << (visitor % 64),
            None => {
                self.overflow.insert(u64::from(row) << 32 | visitor as u64);
            }
        }
    }

    /// Every `(row, visitor)` seen, once.
    fn for_each(&self, mut f: impl FnMut(usize, usize)) {
        for (row, bits) in self.bits.iter().enumerate() {
            for (i, &word) in bits.iter().enumerate() {
                let mut w = word;
                while w != 0 {
                    f(row, i * 64 + w.trailing_zeros() as usize);
                    w &= w - 1;
                }
            }
        }
        // In order, so that sums over them do not depend on the set's history.
        let mut overflow: Vec<u64> = self.overflow.iter().copied().collect();
        overflow.sort_unstable();
        for pair in overflow {
            f((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
        }
    }
}

/// One W16 row.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalRow<'a> {
    pub name: &'a str,
    pub completions: u64,
    pub visitors: u64,
}

/// Custom goal events grouped by name, sorted by completions (descending), then name.
pub fn goals<'a>(sel: &Selection<'a>) -> Vec<GoalRow<'a>> {
    let mut groups: FastMap<&'a str, (u64, FastSet<usize>)> = fast_map(16);
    for p in sel.iter().filter(|p| p.kind == EventKind::Goal) {
        if let Some(name) = p.event.goal_name.as_deref() {
            let g = groups.entry(name).or_insert_with(|| (0, fast_set(64)));
            g.0 += 1;
            g.1.insert(p.visitor);
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

/// A pageview for unit tests, built in one place so a new `Event` field means one change.
#[cfg(test)]
pub(crate) fn test_event(visitor: &ArcStr, session: &ArcStr, ts: i64, dims: Arc<Dims>) -> Event {
    Event {
        id: {
            let mut id = [0; 12];
            id[4..].copy_from_slice(&ts.to_be_bytes());
            crate::state::ObjectId::from_bytes(id)
        },
        visitor_id: visitor.clone(),
        session_id: session.clone(),
        ts,
        kind: EventKind::Pageview,
        hostname: "example.com".into(),
        path: "/".into(),
        dims,
        detail: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{MS_PER_DAY, MS_PER_HOUR};

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn range(pairs: &[(&str, &str)], zone: &str) -> RuleResult<Option<Range>> {
        parse_range(&q(pairs), &Zone::get(zone).unwrap())
    }

    #[test]
    fn date_ranges() {
        let day = time::parse_date("2026-05-01").unwrap() * MS_PER_DAY;
        let r = range(&[("startAt", "2026-05-01"), ("endAt", "2026-05-01")], "UTC").unwrap().unwrap();
        assert_eq!(r, Range { start: day, end: day + MS_PER_DAY });
        // Europe/Paris in May is on summer time, UTC+2.
        let r = range(&[("startAt", "2026-05-01"), ("endAt", "2026-05-02")], "Europe/Paris").unwrap().unwrap();
        assert_eq!(r.start, day - 2 * MS_PER_HOUR);
        assert_eq!(r.end, day + 2 * MS_PER_DAY - 2 * MS_PER_HOUR);
        // A range across the spring switch: 2026-03-29 is 23 hours long in Paris.
        let r = range(&[("startAt", "2026-03-29"), ("endAt", "2026-03-29")], "Europe/Paris").unwrap().unwrap();
        assert_eq!(r.end - r.start, 23 * MS_PER_HOUR);
        // Gen-1 full-day UTC pairs are plain dates in the zone.
        let zone = Zone::get("Europe/Paris").unwrap();
        let r = parse_range(&q(&[("startAt", "2026-05-01T00:00:00Z"), ("endAt", "2026-05-01T23:59:59Z")]), &zone);
        assert_eq!(r.unwrap().unwrap().start, day - 2 * MS_PER_HOUR);
        let r = range(&[("startAt", "2026-05-01T10:00:00+02:00"), ("endAt", "2026-05-01T11:00:00Z")], "UTC")
            .unwrap()
            .unwrap();
        assert_eq!(r, Range { start: day + 8 * MS_PER_HOUR, end: day + 11 * MS_PER_HOUR + 1 });
        assert_eq!(range(&[("startAt", "2026-05-01")], "UTC").unwrap_err().field, "endAt");
        assert_eq!(range(&[("startAt", "2026-05-02"), ("endAt", "2026-05-01")], "UTC").unwrap_err().field, "endAt");
        assert_eq!(range(&[("startAt", "2026-02-30"), ("endAt", "2026-03-01")], "UTC").unwrap_err().field, "startAt");
        assert_eq!(parse_zone(&q(&[("timezone", "Nowhere/City")]), "UTC").unwrap_err().field, "timezone");
        assert_eq!(parse_zone(&q(&[]), "Asia/Tokyo").unwrap().name(), "Asia/Tokyo");
        assert_eq!(range(&[], "UTC").unwrap(), None);
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
        assert!(session_passes(&safari, &d));
        let region = Filter { dim: Dim::Region, op: Op::Is, values: vec!["île-de-france".into()] };
        assert!(session_passes(&region, &Dims { region: "Île-de-France".into(), ..Dims::default() }));
        // The code a client reads back from visitor detail filters too.
        let by_code = Filter { dim: Dim::Region, op: Op::Is, values: vec!["us-ca".into()] };
        assert!(session_passes(&by_code, &Dims { region: "California".into(), ..Dims::default() }));
        assert!(!session_passes(&by_code, &Dims { region: "Texas".into(), ..Dims::default() }));
        let direct = Filter { dim: Dim::Referrer, op: Op::IsNot, values: vec!["direct/none".into()] };
        assert!(!session_passes(&direct, &Dims { referrer: "Direct/None".into(), ..Dims::default() }));
    }

    /// The index's running overview equals a pass over the same events, also after appends
    /// (indexed incrementally) that revisit sessions and add payments.
    #[test]
    fn running_totals_match_a_full_pass() {
        let (mut store, creds) = crate::seed::demo(&crate::seed::Generator::new(7, 3, 1_780_000_000_000));
        let site = creds.websites[0].id.clone();
        let check = |store: &crate::state::Store| {
            let whole = Selection::all(store.indexed(&site));
            let pass = Selection { whole: false, ..whole.clone() };
            assert_eq!(overview(&whole), overview(&pass));
        };
        check(&store);
        append_later_copies(&mut store, &site, 7, 5, 19.99);
        check(&store);
    }

    /// Appends a copy, an hour later, of every `step`-th event of `site`, every `paying`-th
    /// copy a payment of `amount`: appends that revisit sessions and add payments.
    fn append_later_copies(store: &mut crate::state::Store, site: &str, step: usize, paying: usize, amount: f64) {
        let later: Vec<Event> = store.events(site).iter().step_by(step).cloned().collect();
        let list = store.events.get_mut(site).unwrap();
        for (i, mut e) in later.into_iter().enumerate() {
            e.ts += 3_600_000;
            if i % paying == 0 {
                e.kind = EventKind::Payment;
                e.amount = Some(amount);
            }
            list.push(e);
        }
    }

    /// A breakdown read from the visit rollup equals one counted from the same events one by
    /// one, for page and visit keys, filtered or not, also after appends (rolled up
    /// incrementally) that add payments.
    #[test]
    fn breakdowns_from_the_rollup_match_a_pass_over_events() {
        let (mut store, creds) = crate::seed::demo(&crate::seed::Generator::new(11, 4, 1_780_000_000_000));
        let site = creds.websites[0].id.clone();
        let check = |store: &crate::state::Store| {
            for filters in [
                &[][..],
                &[("filter_country", "US")][..],
                &[("filter_device", "is_not:mobile"), ("filter_referrer", "Google")][..],
            ] {
                let q = AnalyticsQuery { filters: parse_filters(&q(filters)).unwrap(), ..AnalyticsQuery::default() };
                let rolled = select(store.indexed(&site), &q);
                assert!(rolled.visits_only().is_some());
                let listed = Selection {
                    chosen: Chosen::Listed(rolled.iter().map(|p| p.position as u32).collect()),
                    ..rolled.clone()
                };
                assert!(listed.visits_only().is_none());
                let page = |e: &Event| Some((e.hostname.to_string(), e.path.to_string()));
                let country = |e: &Event| Some(e.dims.country.clone()).filter(|c| !c.is_empty());
                assert_eq!(breakdown(&rolled, KeyScope::Page, page), breakdown(&listed, KeyScope::Page, page));
                assert_eq!(breakdown(&rolled, KeyScope::Visit, country), breakdown(&listed, KeyScope::Visit, country));
                assert!(breakdown(&rolled, KeyScope::Page, page).iter().any(|r| r.payments > 0));
            }
        };
        check(&store);
        append_later_copies(&mut store, &site, 5, 3, 7.5);
        check(&store);
    }

    #[test]
    fn row_visitors_count_each_pair_once_in_bits_or_beyond_them() {
        // One row's bitset takes the whole budget: the second row goes to the hash set.
        let mut seen = RowVisitors::new(64 * RowVisitors::BUDGET_WORDS);
        for (row, visitor) in [(0, 5), (1, 7), (1, 7), (0, 5), (0, 64 * 1000 + 3)] {
            seen.insert(row, visitor);
        }
        assert_eq!(seen.bits.len(), 1);
        let mut pairs = Vec::new();
        seen.for_each(|r, v| pairs.push((r, v)));
        pairs.sort_unstable();
        assert_eq!(pairs, [(0, 5), (0, 64_003), (1, 7)]);
    }

    #[test]
    fn ids_are_dense_and_follow_the_text() {
        let a: ArcStr = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd".into();
        let a2: ArcStr = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd".into();
        let b: ArcStr = "b971cbbf-7ce2-4925-902b-8f95a5fb3449".into();
        let mut ids = Ids::with_capacity(4);
        assert_eq!(ids.id(&a), 0);
        assert_eq!(ids.id(&b), 1);
        assert_eq!(ids.id(&a2), 0, "same text, another Arc");
        assert_eq!(ids.id(&a), 0);
        assert_eq!(ids.len(), 2);
        assert_eq!(ids.text(1), &*b);
    }
}
