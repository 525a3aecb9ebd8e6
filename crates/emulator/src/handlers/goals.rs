//! W20 `POST /goals` (custom events).

use super::{json_object, optional_str, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Event, EventKind, Store};
use datafast_contract::rules::{self, GOAL_NAME_MAX};
use serde_json::{json, Map, Value};

pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    // Validate everything before touching the store: a 4xx changes nothing.
    let body = json_object(ctx.body)?;
    let (field, visitor_id) = visitor_field(&body)?;
    rules::visitor_id(field, visitor_id)?;
    let name = rules::goal_name("name", required_str(&body, "name")?, GOAL_NAME_MAX)?;
    let description = optional_str(&body, "description")?.map(str::to_string);
    let metadata = metadata(&body)?;

    // Goals inherit the visitor's latest pageview context (session, location, device, page),
    // so filters and breakdowns see them where the visitor was.
    let last_pageview = store
        .events(&website_id)
        .iter()
        .filter(|e| e.kind == EventKind::Pageview && e.visitor_id.eq_ignore_ascii_case(visitor_id))
        .max_by_key(|e| e.ts)
        .ok_or_else(|| {
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

    let id = store.new_object_id();
    super::alerts::fire(store, &website_id, &name, &visitor, ctx.now_ms);
    store.events.entry(website_id).or_default().push(Event {
        id: id.clone(),
        visitor_id: visitor,
        session_id: session,
        ts: ctx.now_ms,
        kind: EventKind::Goal,
        hostname,
        path,
        dims,
        goal_name: Some(name),
        description,
        metadata,
        amount: None,
        currency: None,
    });
    Ok(Reply::data(json!([{ "message": "Custom event created successfully", "eventId": id }])))
}

/// `datafast_visitor_id`, or its Gen-1 alias `visitorId`.
fn visitor_field(body: &Map<String, Value>) -> Result<(&'static str, &str), ApiError> {
    for field in ["datafast_visitor_id", "visitorId"] {
        if let Some(id) = optional_str(body, field)? {
            return Ok((field, id.trim()));
        }
    }
    Err(ApiError::bad_request(
        "`datafast_visitor_id` is required (the visitor's UUID from the datafast_visitor_id cookie; `visitorId` is accepted too)",
    ))
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
fn strip_html(s: &str) -> String {
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
