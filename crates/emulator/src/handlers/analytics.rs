//! W01 overview and the W06–W15 breakdowns.

use super::Ctx;
use crate::analytics::{self, AnalyticsQuery};
use crate::http::{number, ApiError, Query, Reply};
use crate::state::Store;
use datafast_contract::rules::{self, RuleResult, BREAKDOWN_LIMIT_DEFAULT, BREAKDOWN_LIMIT_MAX};
use serde_json::{json, Map, Value};

const OVERVIEW_FIELDS: &[&str] = &[
    "visitors",
    "sessions",
    "bounce_rate",
    "avg_session_duration",
    "currency",
    "revenue",
    "payments",
    "revenue_per_visitor",
    "conversion_rate",
];

/// Metric columns every breakdown row has; `fields` may also name the dimension keys.
const METRICS: &[&str] = &["visitors", "revenue", "payments"];

pub fn overview(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, OVERVIEW_FIELDS)?;
    let sel = analytics::select(store.events(&website.id), &q);
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

pub fn pages(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let valid: Vec<&str> = ["hostname", "path"].iter().chain(METRICS).copied().collect();
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, &valid)?;
    let (limit, offset) = paging(ctx.query)?;
    let sel = analytics::select(store.events(&website.id), &q);
    let rows = analytics::pages(&sel, &q.filters);
    Ok(page_of(&rows, limit, offset, |r| {
        let mut row = Map::new();
        row.insert("hostname".into(), json!(r.key.1));
        row.insert("path".into(), json!(r.key.0));
        metrics(&mut row, &q, r.visitors, r.revenue, r.payments);
        row
    }))
}

/// W16: custom goals with their completions and unique visitors, most completed first.
/// Payment and subscription lifecycle goals are not custom goals and never appear here.
pub fn goals(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let q = AnalyticsQuery::parse(ctx.query, &website.timezone, &["name", "completions", "visitors"])?;
    let (limit, offset) = paging(ctx.query)?;
    let sel = analytics::select(store.events(&website.id), &q);
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
    let num = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    let limit = match query.get("limit") {
        Some(s) => rules::limit("limit", num(s), BREAKDOWN_LIMIT_MAX)?,
        None => BREAKDOWN_LIMIT_DEFAULT,
    };
    let offset = match query.get("offset") {
        Some(s) => rules::offset("offset", num(s))?,
        None => 0,
    };
    Ok((limit, offset))
}
