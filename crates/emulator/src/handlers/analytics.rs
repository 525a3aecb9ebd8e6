//! The analytics routes: W01 overview, W02 timeseries, W03/W04 realtime, W05 metadata,
//! W06–W15 breakdowns (one shared handler driven by a table per route), W16 goals, W17 funnel.

use super::Ctx;
use crate::analytics::model::{Model, Prediction};
use crate::analytics::{
    self, fast_map, funnel, realtime, timeseries, AnalyticsQuery, Dim, FastMap, KeyScope, MoneySums,
};
use crate::http::{number, ApiError, Query, Reply};
use crate::state::{Event, EventKind, Store};
use crate::time;
use crate::tz::Interval;
// The valid `fields` of each route are the contract's, shared with the client's checks.
use datafast_contract::params::{GOALS_BREAKDOWN_FIELDS, METADATA_FIELDS, OVERVIEW_FIELDS, TIMESERIES_FIELDS};
use datafast_contract::rules::{self, RuleResult, RuleViolation, BREAKDOWN_LIMIT_DEFAULT, BREAKDOWN_LIMIT_MAX};
use datafast_contract::EndpointId;
use serde_json::{json, Map, Value};

pub fn overview(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, OVERVIEW_FIELDS)?;
    let sel = analytics::select(store.indexed(&website.id), &q);
    let o = analytics::overview(&sel);
    let all = [
        ("visitors", json!(o.visitors)),
        ("sessions", json!(o.sessions)),
        ("bounce_rate", number(o.bounce_rate)),
        ("avg_session_duration", number(o.avg_session_duration)),
        ("currency", json!(analytics::currency_symbol(&website.currency))),
        ("revenue", number(o.revenue)),
        ("payments", json!(o.payments)),
        ("revenue_per_visitor", number(o.revenue_per_visitor)),
        ("conversion_rate", number(o.conversion_rate)),
    ];
    let row: Map<String, Value> =
        all.into_iter().filter(|(k, _)| q.wants(k)).map(|(k, v)| (k.to_string(), v)).collect();
    Ok(Reply::data(json!([row])))
}

// ---------- W02 timeseries ----------

/// W02. `fields` and `interval` are required; revenue brings `payments` and a
/// `revenueBreakdown` along; totals are computed over the whole window (so `visitors` is
/// the unique count, equal to the overview's for the same range).
pub fn timeseries(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, TIMESERIES_FIELDS)?;
    let Some(requested) = q.fields.clone() else {
        return Err(RuleViolation::new(
            "fields",
            format!("is required: a comma list of {}", TIMESERIES_FIELDS.join(", ")),
        )
        .into());
    };
    // Required and one of the contract's names (`validate` ran before).
    let interval = ctx
        .query
        .get("interval")
        .and_then(Interval::parse)
        .ok_or_else(|| RuleViolation::new("interval", "is required: hour, day, week or month"))?;
    let (limit, offset) = paging(ctx.query)?;
    let plan = timeseries::plan(interval, &q, ctx.now_ms)?;
    let sel = analytics::select_in(store.indexed(&website.id), Some(plan.range), &q.filters);
    let totals = analytics::overview(&sel);
    let buckets = timeseries::buckets(&sel, &plan);

    let include_renewals = website.settings.include_renewal_revenue;
    let wants = |f: &str| requested.iter().any(|x| x == f);
    let with_revenue = wants("revenue");
    let metrics = |m: &mut Map<String, Value>, visitors: u64, sessions: u64, money: &MoneySums| {
        if wants("visitors") {
            m.insert("visitors".into(), json!(visitors));
        }
        if wants("sessions") {
            m.insert("sessions".into(), json!(sessions));
        }
        if with_revenue {
            m.insert("revenue".into(), number(money.revenue()));
            m.insert(
                "revenueBreakdown".into(),
                json!({ "new": number(money.new), "renewal": number(money.renewal), "refund": number(money.refund) }),
            );
        }
        if with_revenue || wants("payments") {
            m.insert("payments".into(), json!(money.payments));
        }
        if wants("conversion_rate") {
            m.insert("conversion_rate".into(), number(timeseries::conversion_rate(money, visitors, include_renewals)));
        }
    };
    let mut totals_json = Map::new();
    metrics(&mut totals_json, totals.visitors, totals.sessions, &totals.money);
    let zone = &q.zone;
    let data: Vec<Value> = buckets
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|b| {
            let mut row = Map::new();
            row.insert("name".into(), json!(timeseries::label(plan.interval, zone, b.start)));
            row.insert("timestamp".into(), json!(time::iso_with_offset(b.start, zone.offset_ms(b.start))));
            metrics(&mut row, b.visitors, b.sessions, &b.money);
            Value::Object(row)
        })
        .collect();
    Ok(Reply::page(Value::Array(data), limit, offset, buckets.len())
        .with("fields", json!(requested))
        .with("interval", json!(plan.interval.as_str()))
        .with("timezone", json!(zone.name()))
        .with("currency", json!(analytics::currency_symbol(&website.currency)))
        .with("totals", Value::Object(totals_json)))
}

// ---------- W03/W04 realtime ----------

/// W03: visitors active in the last 10 minutes. Dates and filters do not apply; `fields`
/// may only name `visitors`.
pub fn realtime(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    analytics::parse_fields(ctx.query, &["visitors"])?;
    let visitors = realtime::active_visitors(store.events(&website.id), ctx.now_ms);
    Ok(Reply::data(json!([{ "visitors": visitors }])))
}

/// Most recent events and payments listed on the map.
const RECENT_MAX: usize = 50;

/// W04: the active visitors with where they are and what they use (Gen-1's nested
/// `system` objects), their conversion likelihood, and the latest events and payments.
pub fn realtime_map(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let events = store.events(&website.id);
    let model = Model::build(events);
    let live = realtime::live_visitors(events, ctx.now_ms);
    // Customer name and e-mail by visitor: the latest each payment record gave.
    let mut customers: FastMap<&str, (Option<&str>, Option<&str>)> = fast_map(64);
    for e in events.iter().filter(|e| e.kind == EventKind::Payment) {
        if let Some(details) = e.payment.as_deref() {
            let c = customers.entry(&e.visitor_id).or_default();
            c.0 = details.customer_name.as_deref().or(c.0);
            c.1 = details.customer_email.as_deref().or(c.1);
        }
    }
    let customer_of = |visitor: &str| customers.get(visitor).copied().unwrap_or_default();
    let visitors: Vec<Value> = live
        .iter()
        .map(|v| {
            let d = &v.latest.dims;
            let (lat, lon) = crate::seed::city_coordinates(&d.city)
                .map_or((Value::Null, Value::Null), |(a, b)| (json!(a), json!(b)));
            let page = v.current_page.unwrap_or(v.latest);
            let likelihood = match (&model, v.is_customer) {
                (None, _) => Value::Null,
                (Some(m), true) => likelihood_json(&customer_prediction(m)),
                (Some(m), false) => likelihood_json(&m.predict(d)),
            };
            json!({
                "visitorId": v.visitor_id,
                "location": { "city": d.city, "region": super::visitors::region_iso(&d.region), "countryCode": d.country_code },
                "system": {
                    "browser": { "name": d.browser },
                    "os": { "name": d.os },
                    "device": { "type": d.device },
                },
                "currentUrl": page.path,
                "referrer": referrer_or_null(&d.referrer_domain),
                "sessionStartTime": time::iso(v.session_start),
                "visitCount": v.visit_count,
                "params": params_json(d),
                "latitude": lat,
                "longitude": lon,
                "isCustomer": v.is_customer,
                "customerName": customer_of(v.visitor_id).0,
                "customerEmail": customer_of(v.visitor_id).1,
                "profileData": profile_data(store, &website.id, v.visitor_id),
                "conversionLikelihood": likelihood,
            })
        })
        .collect();
    let display_name = |visitor: &str| profile_data(store, &website.id, visitor)["displayName"].clone();
    let recent_events: Vec<Value> = realtime::recent(events, ctx.now_ms, false, RECENT_MAX)
        .iter()
        .map(|e| recent_event_json(e, customer_of(&e.visitor_id).0, display_name(&e.visitor_id)))
        .collect();
    let recent_payments: Vec<Value> = realtime::recent(events, ctx.now_ms, true, RECENT_MAX)
        .iter()
        .map(|e| recent_payment_json(e, events, display_name(&e.visitor_id)))
        .collect();
    let mut data = json!({
        "count": live.len(),
        "visitors": visitors,
        "hasConversionPredictions": model.is_some(),
        "recentEvents": recent_events,
        "recentPayments": recent_payments,
    });
    if let (Some(m), Some(obj)) = (&model, data.as_object_mut()) {
        obj.insert(
            "conversionMetrics".into(),
            json!({ "baselineConversionRate": round4(m.baseline_rate), "baselineAverageValue": number(m.baseline_value) }),
        );
    }
    Ok(Reply::data(data))
}

/// Customers already converted: score 100 (Gen-3), certain.
fn customer_prediction<'a>(m: &Model) -> Prediction<'a> {
    Prediction {
        score: 100,
        conversion_rate: 1.0,
        average_value: m.baseline_value,
        expected_value: m.baseline_value,
        confidence: 1.0,
        is_baseline: false,
        matches: Vec::new(),
    }
}

fn likelihood_json(p: &Prediction) -> Value {
    json!({
        "score": p.score,
        "confidence": round4(p.confidence),
        "isBaseline": p.is_baseline,
        // The names of the dimensions that matched, as the contract's example
        // (`["device","os","browser","country","referrer"]`).
        "dimensionMatches": p.matches.iter().map(|m| m.dimension).collect::<Vec<_>>(),
        "raw": {
            "conversionRate": round4(p.conversion_rate),
            "averageValue": number(p.average_value),
            "expectedValue": round4(p.expected_value),
        },
    })
}

/// Rates between 0 and 1 keep four decimals (`0.0138`).
pub(super) fn round4(x: f64) -> Value {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r.is_finite() {
        json!(r)
    } else {
        json!(0)
    }
}

pub(super) fn referrer_or_null(domain: &str) -> Value {
    if domain.is_empty() {
        Value::Null
    } else {
        json!(domain)
    }
}

/// `ref, source, via, utm_*` of a visit, `null` when absent.
pub(super) fn params_json(d: &crate::state::Dims) -> Value {
    let or_null = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    json!({
        "ref": or_null(&d.ref_param),
        "source": or_null(&d.source_param),
        "via": or_null(&d.via_param),
        "utm_source": or_null(&d.utm_source),
        "utm_medium": or_null(&d.utm_medium),
        "utm_campaign": or_null(&d.utm_campaign),
        "utm_term": or_null(&d.utm_term),
        "utm_content": or_null(&d.utm_content),
    })
}

/// The map's `profileData`: an identified visitor shows their profile (display name: the
/// profile's `name` field, else the user id); anyone else a stable made-up name.
fn profile_data(store: &Store, website_id: &str, visitor_id: &str) -> Value {
    match store.visitor_profile(website_id, visitor_id) {
        Some(vp) => {
            let p = vp.profile;
            let name = p.metadata.iter().find(|(k, _)| k == "name").map_or(p.user_id.as_str(), |(_, v)| v.as_str());
            json!({ "displayName": name, "userId": p.user_id, "hasProfile": true, "isRandomName": false })
        }
        None => json!({
            "displayName": realtime::display_name(visitor_id),
            "userId": Value::Null,
            "hasProfile": false,
            "isRandomName": true,
        }),
    }
}

fn recent_event_json(e: &Event, customer_name: Option<&str>, display_name: Value) -> Value {
    let (kind, extra) = match (&e.kind, &e.goal_name) {
        (EventKind::Goal, Some(name)) => {
            let mut extra = Map::new();
            extra.insert("goalName".into(), json!(name));
            if let Some(d) = &e.description {
                extra.insert("description".into(), json!(d));
            }
            for (k, v) in &e.metadata {
                extra.insert(k.clone(), json!(v));
            }
            ("goal", extra)
        }
        _ => ("pageview", Map::new()),
    };
    json!({
        "_id": e.id,
        "type": kind,
        "visitorId": &*e.visitor_id,
        "timestamp": time::iso(e.ts),
        "path": e.path,
        "countryCode": e.dims.country_code,
        "extraData": extra,
        "referrer": referrer_or_null(&e.dims.referrer_domain),
        "customerName": customer_name,
        "amount": Value::Null,
        "displayName": display_name,
    })
}

fn recent_payment_json(e: &Event, events: &[Event], display_name: Value) -> Value {
    let (amount, renewal) = match analytics::money(e) {
        Some(analytics::Money::Renewal(a)) => (a, true),
        Some(analytics::Money::New(a)) => (a, false),
        Some(analytics::Money::Refund(a)) => (-a, false),
        // A free trial moves no money.
        None => (0.0, false),
    };
    // A new customer: no earlier purchase by the same visitor.
    let is_new = !events
        .iter()
        .any(|p| analytics::is_purchase(p) && p.visitor_id == e.visitor_id && (p.ts, &p.id) < (e.ts, &e.id));
    let details = e.payment.as_deref();
    json!({
        "_id": e.id,
        "type": "payment_received",
        "timestamp": time::iso(e.ts),
        "name": details.and_then(|d| d.customer_name.clone()),
        "email": details.and_then(|d| d.customer_email.clone()),
        "amount": number(amount),
        "currency": e.currency,
        "renewal": renewal,
        "displayName": display_name,
        "isNew": is_new,
        "visible": true,
    })
}

// ---------- W05 metadata ----------

/// The KPI color a website shows until one is chosen (the contract's example value).
const DEFAULT_KPI_COLOR_SCHEME: &str = "orange";

/// W05: the website's display settings. Dates and filters do not apply.
pub fn metadata(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let fields = analytics::parse_fields(ctx.query, METADATA_FIELDS)?;
    let wants = |f: &str| fields.as_ref().is_none_or(|list| list.iter().any(|x| x == f));
    let s = &website.settings;
    let all = [
        ("domain", json!(website.domain)),
        ("timezone", json!(website.timezone)),
        ("name", json!(website.name)),
        ("logo", Value::Null),
        ("kpiColorScheme", json!(s.kpi_color_scheme.as_deref().unwrap_or(DEFAULT_KPI_COLOR_SCHEME))),
        ("kpi", json!(s.kpi)),
        ("currency", json!(website.currency)),
    ];
    let row: Map<String, Value> = all.into_iter().filter(|(k, _)| wants(k)).map(|(k, v)| (k.to_string(), v)).collect();
    Ok(Reply::data(json!([row])))
}

// ---------- W06–W15 breakdowns ----------

/// A breakdown row's key: up to eight dimension values (only campaigns use all eight);
/// compared and hashed on the first `width` only, since the rest are always empty.
#[derive(Clone, Copy, Debug)]
struct Key<'a> {
    values: [&'a str; 8],
    width: usize,
}

impl<'a> Key<'a> {
    fn used(&self) -> &[&'a str] {
        self.values.get(..self.width).unwrap_or(&self.values)
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.used() == other.used()
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.used().hash(state);
    }
}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.used().cmp(other.used())
    }
}

/// How a row's key becomes JSON.
#[derive(Clone, Copy, Debug)]
enum Layout {
    /// One column per key value, in `columns` order.
    Flat,
    /// `country` plus an `image` flag URL made from the ISO code (key `[name, code]`).
    Country,
    /// A `campaign` object with the eight sub-keys `columns[1..]`.
    Campaign,
}

/// One breakdown endpoint (CONTRACT W06–W15).
struct Breakdown {
    route: EndpointId,
    /// Dimension keys in a row, valid in `fields` next to the metrics.
    columns: &'static [&'static str],
    /// The row a pageview counts in; `None` skips it.
    key: for<'a> fn(&'a Event) -> Option<Key<'a>>,
    /// What `key` reads (so it is computed once per visit or page).
    scope: KeyScope,
    /// Filters that also restrict the rows (dimensions that vary within a session), so
    /// `filter_page=contains:/docs` lists only docs pages.
    row_filters: &'static [Dim],
    layout: Layout,
}

const CAMPAIGN_KEYS: [&str; 8] =
    ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via"];

/// A key of one or two values, skipped when the first is empty.
fn key2<'a>(a: &'a str, b: &'a str, width: usize) -> Option<Key<'a>> {
    (!a.is_empty()).then_some(Key { values: [a, b, "", "", "", "", "", ""], width })
}

fn one(v: &str) -> Option<Key<'_>> {
    key2(v, "", 1)
}

static PAGES: Breakdown = Breakdown {
    route: EndpointId::AnalyticsPages,
    columns: &["hostname", "path"],
    key: |e| key2(&e.hostname, &e.path, 2),
    scope: KeyScope::Page,
    row_filters: &[Dim::Page, Dim::Hostname],
    layout: Layout::Flat,
};

static REFERRERS: Breakdown = Breakdown {
    route: EndpointId::AnalyticsReferrers,
    columns: &["referrer"],
    key: |e| one(&e.dims.referrer),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static COUNTRIES: Breakdown = Breakdown {
    route: EndpointId::AnalyticsCountries,
    columns: &["country", "image"],
    key: |e| key2(&e.dims.country, &e.dims.country_code, 2),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Country,
};

static REGIONS: Breakdown = Breakdown {
    route: EndpointId::AnalyticsRegions,
    columns: &["region"],
    key: |e| one(&e.dims.region),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static CITIES: Breakdown = Breakdown {
    route: EndpointId::AnalyticsCities,
    columns: &["city"],
    key: |e| one(&e.dims.city),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static DEVICES: Breakdown = Breakdown {
    route: EndpointId::AnalyticsDevices,
    columns: &["device"],
    key: |e| one(&e.dims.device),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static BROWSERS: Breakdown = Breakdown {
    route: EndpointId::AnalyticsBrowsers,
    columns: &["browser"],
    key: |e| one(&e.dims.browser),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static OPERATING_SYSTEMS: Breakdown = Breakdown {
    route: EndpointId::AnalyticsOperatingSystems,
    columns: &["operating_system"],
    key: |e| one(&e.dims.os),
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Flat,
};

static CAMPAIGNS: Breakdown = Breakdown {
    route: EndpointId::AnalyticsCampaigns,
    columns: &[
        "campaign",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "ref",
        "source",
        "via",
    ],
    key: |e| {
        let d = &e.dims;
        let key = [
            d.utm_source.as_str(),
            &d.utm_medium,
            &d.utm_campaign,
            &d.utm_term,
            &d.utm_content,
            &d.ref_param,
            &d.source_param,
            &d.via_param,
        ];
        // Visits without any campaign parameter are not a campaign.
        key.iter().any(|v| !v.is_empty()).then_some(Key { values: key, width: 8 })
    },
    scope: KeyScope::Visit,
    row_filters: &[],
    layout: Layout::Campaign,
};

static HOSTNAMES: Breakdown = Breakdown {
    route: EndpointId::AnalyticsHostnames,
    columns: &["hostname"],
    key: |e| one(&e.hostname),
    scope: KeyScope::Page,
    row_filters: &[Dim::Hostname],
    layout: Layout::Flat,
};

/// W06–W15: one handler per breakdown route, each the shared [`breakdown`] with its table.
macro_rules! breakdown_routes {
    ($($handler:ident = $table:ident,)*) => {
        $(pub fn $handler(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
            breakdown(ctx, store, &$table)
        })*

        #[cfg(test)]
        static BREAKDOWNS: &[&Breakdown] = &[$(&$table),*];
    };
}

breakdown_routes! {
    pages = PAGES,
    referrers = REFERRERS,
    countries = COUNTRIES,
    regions = REGIONS,
    cities = CITIES,
    devices = DEVICES,
    browsers = BROWSERS,
    operating_systems = OPERATING_SYSTEMS,
    campaigns = CAMPAIGNS,
    hostnames = HOSTNAMES,
}

/// The flag image the API shows next to a country.
fn flag_url(code: &str) -> String {
    format!("https://purecatamphetamine.github.io/country-flag-icons/3x2/{}.svg", code.to_ascii_uppercase())
}

/// W06–W15: what every breakdown shares, driven by its table `spec`.
fn breakdown(ctx: &Ctx, store: &Store, spec: &Breakdown) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let valid = spec.route.endpoint().params().valid_fields().unwrap_or_default();
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, valid)?;
    let (limit, offset) = paging(ctx.query)?;
    let sel = analytics::select(store.indexed(&website.id), &q);
    let row_filters: Vec<&analytics::Filter> = q.filters.iter().filter(|f| spec.row_filters.contains(&f.dim)).collect();
    // Campaign sub-keys named in `fields` narrow the campaign object, and the grouping with
    // it (`fields=utm_source` is a breakdown by source); none named = all eight.
    let campaign_keys: Vec<&str> = match &q.fields {
        Some(f) if f.iter().any(|x| CAMPAIGN_KEYS.contains(&x.as_str())) => {
            CAMPAIGN_KEYS.iter().copied().filter(|k| f.iter().any(|x| x == k)).collect()
        }
        _ => CAMPAIGN_KEYS.to_vec(),
    };
    let campaign_mask = CAMPAIGN_KEYS.map(|k| campaign_keys.contains(&k));
    let rows = analytics::breakdown(&sel, spec.scope, |e| {
        let keep = row_filters.iter().all(|f| match f.dim {
            Dim::Page => f.test([e.path.as_str()]),
            _ => f.test([e.hostname.as_str()]),
        });
        let mut key = (spec.key)(e).filter(|_| keep)?;
        if let Layout::Campaign = spec.layout {
            for (value, wanted) in key.values.iter_mut().zip(campaign_mask) {
                if !wanted {
                    *value = "";
                }
            }
            if key.values.iter().all(|v| v.is_empty()) {
                return None;
            }
        }
        Some(key)
    });
    Ok(page_of(&rows, limit, offset, |r| {
        let mut row = Map::new();
        match spec.layout {
            Layout::Flat => {
                for (col, value) in spec.columns.iter().zip(r.key.used()) {
                    row.insert((*col).into(), json!(value));
                }
            }
            Layout::Country => {
                row.insert("country".into(), json!(r.key.values[0]));
                row.insert("image".into(), json!(flag_url(r.key.values[1])));
            }
            Layout::Campaign => {
                let campaign: Map<String, Value> = CAMPAIGN_KEYS
                    .iter()
                    .zip(r.key.values)
                    .zip(campaign_mask)
                    .filter(|(_, wanted)| *wanted)
                    .map(|((k, v), _)| ((*k).to_string(), json!(v)))
                    .collect();
                row.insert("campaign".into(), Value::Object(campaign));
            }
        }
        metrics(&mut row, &q, r.visitors, r.revenue, r.payments);
        row
    }))
}

/// W16: custom goals with their completions and unique visitors, most completed first.
/// Payment and subscription lifecycle goals are not custom goals and never appear here.
pub fn goals(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, GOALS_BREAKDOWN_FIELDS)?;
    let (limit, offset) = paging(ctx.query)?;
    let sel = analytics::select(store.indexed(&website.id), &q);
    let rows = analytics::goals(&sel);
    Ok(page_of(&rows, limit, offset, |r| {
        // The goal name is the row's key: asking for `name` yields `goal` (CONTRACT W16).
        let mut row = Map::new();
        row.insert("goal".into(), json!(r.name));
        if q.wants("completions") {
            row.insert("completions".into(), json!(r.completions));
        }
        if q.wants("visitors") {
            row.insert("visitors".into(), json!(r.visitors));
        }
        row
    }))
}

// ---------- W17 funnel ----------

/// W17 (shape provisional, CONTRACT): per step visitors, conversion from the first step,
/// drop-off from the previous one and the revenue of the visitors who reached it.
pub fn funnel(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let funnel_id = ctx.path_id("funnelId")?;
    let f = store
        .funnels
        .iter()
        .find(|f| f.id == funnel_id && f.website_id == website.id && f.is_active)
        .ok_or_else(|| ApiError::not_found(format!("funnel {funnel_id} not found on this website")))?;
    let q = AnalyticsQuery::parse_without_fields(ctx.query, &website.timezone)?;
    let sel = analytics::select(store.indexed(&website.id), &q);
    let results = funnel::funnel(&sel, &f.steps);
    let first = results.first().map_or(0, |r| r.visitors);
    let pct = |n: u64| number(analytics::ratio(n as f64 * 100.0, first as f64));
    let mut previous = first;
    let steps: Vec<Value> = f
        .steps
        .iter()
        .zip(&results)
        .map(|(s, r)| {
            let mut step = json!({
                "id": s.id,
                "name": s.name,
                "type": s.kind,
                "visitors": r.visitors,
                "conversionRate": pct(r.visitors),
                "dropOff": previous.saturating_sub(r.visitors),
                "revenue": number(r.revenue),
            });
            if let Some(obj) = step.as_object_mut() {
                if let Some(url) = &s.url {
                    obj.insert("url".into(), json!(url));
                }
                if let Some(g) = &s.goal_name {
                    obj.insert("goalName".into(), json!(g));
                }
            }
            previous = r.visitors;
            step
        })
        .collect();
    let last = results.last().map_or(0, |r| r.visitors);
    Ok(Reply::data(json!({
        "funnelId": f.id,
        "name": f.name,
        "steps": steps,
        "conversionRate": pct(last),
        "totalVisitors": first,
    })))
}

// ---------- shared ----------

/// The metric columns of a breakdown row that `fields` asks for (dimension keys are always
/// kept, CONTRACT W06–W15).
fn metrics(row: &mut Map<String, Value>, q: &AnalyticsQuery, visitors: u64, revenue: f64, payments: u64) {
    if q.wants("visitors") {
        row.insert("visitors".into(), json!(visitors));
    }
    if q.wants("revenue") {
        row.insert("revenue".into(), number(revenue));
    }
    if q.wants("payments") {
        row.insert("payments".into(), json!(payments));
    }
}

/// One page of sorted rows, each shaped into a JSON object, with `pagination.total`.
fn page_of<R>(rows: &[R], limit: u32, offset: u64, shape: impl Fn(&R) -> Map<String, Value>) -> Reply {
    let data: Vec<Value> = rows
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|r| Value::Object(shape(r)))
        .collect();
    Reply::page(Value::Array(data), limit, offset, rows.len())
}

/// `limit` (1..=1000, default 100) and `offset` (≥ 0, default 0); non-numbers are 400s.
fn paging(query: &Query) -> RuleResult<(u32, u64)> {
    paging_with(query, BREAKDOWN_LIMIT_DEFAULT, BREAKDOWN_LIMIT_MAX)
}

/// `limit` (1..=`max`, default `default`) and `offset` (≥ 0, default 0).
pub(super) fn paging_with(query: &Query, default: u32, max: u32) -> RuleResult<(u32, u64)> {
    let num = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    let limit = match query.get("limit") {
        Some(s) => rules::limit("limit", num(s), max)?,
        None => default,
    };
    let offset = match query.get("offset") {
        Some(s) => rules::offset("offset", num(s))?,
        None => 0,
    };
    Ok((limit, offset))
}

#[cfg(test)]
mod tests {
    use super::BREAKDOWNS;

    /// `fields` is validated with the contract's list, so every column a breakdown writes must
    /// be in it (or a caller could not ask for it).
    #[test]
    fn breakdown_columns_are_contract_fields() {
        for b in BREAKDOWNS {
            let ep = b.route.endpoint();
            let valid = ep.params().valid_fields().unwrap_or_default();
            for column in b.columns {
                assert!(valid.contains(column), "{}: `{column}` is not a valid field in the contract", ep.id);
            }
        }
    }
}
