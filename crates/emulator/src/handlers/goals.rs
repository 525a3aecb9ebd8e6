//! W20 `POST /goals` and W21 `DELETE /goals` (custom events), and A15
//! `GET /admin/websites/{websiteId}/goals` (the goals seen in a website's data).

use super::deletes;
use super::{optional_str, required_str, Ctx};
use crate::analytics::Indexed;
use crate::http::{number, ApiError, Reply};
use crate::state::{Event, EventDetail, EventKind, Store};
use datafast_contract::rules::{self, GOAL_NAME_MAX};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    // Validate everything before touching the store: a 4xx changes nothing.
    let body = ctx.body;
    let visitor_id = required_visitor(body)?;
    let name = rules::goal_name("name", required_str(body, "name")?, GOAL_NAME_MAX)?;
    let description = optional_str(body, "description")?.map(str::to_string);
    let metadata = metadata(body)?;

    // Goals inherit the visitor's latest pageview context (session, location, device, page),
    // so filters and breakdowns see them where the visitor was.
    let last_pageview = last_pageview(&store.indexed(&website_id), visitor_id, i64::MAX).ok_or_else(|| {
        ApiError::not_found(format!(
            "visitor {visitor_id} has no pageviews on this website; a goal needs at least one prior pageview"
        ))
    })?;
    let (visitor, session, dims, hostname, path) = (
        last_pageview.visitor_id.clone(),
        last_pageview.session_id.clone(),
        last_pageview.dims.clone(),
        last_pageview.hostname.clone(),
        last_pageview.path.clone(),
    );

    let id = store.new_event_id();
    super::alerts::fire(store, &website_id, &name, &visitor, ctx.now_ms);
    store.events.entry(website_id).or_default().push(Event {
        id,
        visitor_id: visitor,
        session_id: session,
        ts: ctx.now_ms,
        kind: EventKind::Goal,
        hostname,
        path,
        dims,
        detail: EventDetail { goal_name: Some(name.into()), description, metadata, ..EventDetail::default() }.into(),
    });
    Ok(Reply::data(json!([{ "message": "Custom event created successfully", "eventId": id }])))
}

/// The body's visitor: `datafast_visitor_id`, or its Gen-1 alias `visitorId`; a UUID when
/// present. Shared with payments and identify.
pub(super) fn body_visitor(body: &Map<String, Value>) -> Result<Option<&str>, ApiError> {
    for field in ["datafast_visitor_id", "visitorId"] {
        // The format was checked against the route's table before the handler ran.
        if let Some(id) = optional_str(body, field)? {
            return Ok(Some(id.trim()));
        }
    }
    Ok(None)
}

/// [`body_visitor`] for routes that need one.
pub(super) fn required_visitor(body: &Map<String, Value>) -> Result<&str, ApiError> {
    body_visitor(body)?.ok_or_else(|| {
        ApiError::bad_request(
            "`datafast_visitor_id` is required (the visitor's UUID from the datafast_visitor_id cookie; `visitorId` is accepted too)",
        )
    })
}

/// The visitor's latest pageview at or before `at` (or, when every pageview is later, the
/// first one): the visit a server-side event is attributed to.
pub(super) fn last_pageview<'e>(events: &Indexed<'e>, visitor_id: &str, at: i64) -> Option<&'e Event> {
    let pageviews = || events.pageviews_of(visitor_id);
    pageviews().filter(|e| e.ts <= at).max_by_key(|e| e.ts).or_else(|| pageviews().min_by_key(|e| e.ts))
}

/// W21. Every filter given must match (visitor, name, window); without any of them nothing
/// is deleted (400). Only custom goal events go: payment goals are deleted through W23.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    let visitor = deletes::visitor(ctx.query);
    let name = ctx.query.get_nonempty("name").map(|n| rules::goal_name("name", n, GOAL_NAME_MAX)).transpose()?;
    let window = deletes::window(ctx.query)?;
    if visitor.is_none() && name.is_none() && window.is_none() {
        return Err(ApiError::bad_request(
            "say which goal events to delete: `datafast_visitor_id`, `name`, or a time window (`startAt` and `endAt`, or `start` and `end`); a bulk delete needs the window",
        ));
    }

    let removed = deletes::remove_events(store, &website_id, |e| {
        e.kind == EventKind::Goal
            && visitor.as_deref().is_none_or(|v| e.visitor_id.eq_ignore_ascii_case(v))
            && name.as_deref().is_none_or(|n| e.goal_name.as_deref() == Some(n))
            && window.is_none_or(|w| w.contains(e.ts))
    });
    if removed == 0 {
        return Err(ApiError::not_found("no goal events on this website match these filters; nothing was deleted"));
    }

    let message = if visitor.is_some() && name.is_none() {
        "All goal events for visitor deleted successfully"
    } else {
        "Goal events deleted successfully"
    };
    let mut filters = Map::new();
    if let Some(v) = visitor {
        filters.insert("datafast_visitor_id".into(), json!(v));
    }
    if let Some(n) = name {
        filters.insert("goal_name".into(), json!(n));
    }
    Ok(deletes::answer(message, filters, window))
}

/// A15: every goal seen in the website's events, custom and payment-related, most frequent
/// first. `conversionRate` is the percent of the website's visitors who completed it.
pub fn tracked(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let events = store.events(&ctx.website(store)?.id);
    let visitors: HashSet<&str> =
        events.iter().filter(|e| e.kind == EventKind::Pageview).map(|e| &*e.visitor_id).collect();
    // (name, eventType) → (completions, unique visitors)
    let mut goals: HashMap<(&str, &str), (u64, HashSet<&str>)> = HashMap::new();
    for e in events {
        let key = match e.kind {
            EventKind::Goal => e.goal_name.as_deref().map(|n| (n, "custom")),
            EventKind::Payment => e.payment_kind().and_then(|k| k.goal_name()).map(|n| (n, "payment")),
            EventKind::Pageview => None,
        };
        if let Some(key) = key {
            let g = goals.entry(key).or_default();
            g.0 += 1;
            // Payments without a visitor count as completions, not as visitors.
            if !e.visitor_id.is_empty() {
                g.1.insert(&e.visitor_id);
            }
        }
    }
    let mut rows: Vec<_> = goals.into_iter().map(|(key, (total, uv))| (key, total, uv.len())).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let data: Vec<Value> = rows
        .into_iter()
        .map(|((name, event_type), total, uv)| {
            let rate = if visitors.is_empty() { 0.0 } else { uv as f64 * 100.0 / visitors.len() as f64 };
            json!({ "name": name, "total": total, "uv": uv, "conversionRate": number(rate), "eventType": event_type })
        })
        .collect();
    Ok(Reply::data(Value::Array(data)))
}

/// Optional `metadata`: checked with the contract's rule, then HTML-stripped (CONTRACT W20).
fn metadata(body: &Map<String, Value>) -> Result<Vec<(String, String)>, ApiError> {
    let map = match body.get("metadata") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(ApiError::bad_request("`metadata` must be an object of string values")),
    };
    rules::metadata("metadata", map.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    Ok(map.iter().map(|(k, v)| (k.clone(), strip_html(v.as_str().unwrap_or_default()))).collect())
}

/// Drops `<…>` tags (and `<script>`/`<style>` contents); the rest is kept as text.
pub(super) fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let lower = after.to_ascii_lowercase();
        let skip_to = ["script", "style"].iter().find_map(|tag| {
            if lower.starts_with(&format!("<{tag}")) {
                let close = format!("</{tag}>");
                Some(lower.find(&close).map_or(after.len(), |i| i + close.len()))
            } else {
                None
            }
        });
        let consumed = match skip_to {
            Some(n) => n,
            None => after.find('>').map_or(after.len(), |i| i + 1),
        };
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_html() {
        assert_eq!(super::strip_html("<b>pro</b> plan"), "pro plan");
        assert_eq!(super::strip_html("a<script>alert(1)</script>b"), "ab");
        assert_eq!(super::strip_html("x < y"), "x");
        assert_eq!(super::strip_html("plain"), "plain");
        assert_eq!(super::strip_html("é<i>ü</i>"), "éü");
    }
}
