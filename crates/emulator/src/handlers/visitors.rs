//! W18 `GET /visitors` and W19 `GET /visitors/{visitorId}`.

use super::analytics::{paging_with, params_json, round4};
use super::Ctx;
use crate::analytics::model::Model;
use crate::analytics::{self, visitors, Dim, Filter, Op};
use crate::http::{ApiError, Query, Reply};
use crate::seed;
use crate::state::{Event, Store};
use crate::time;
use datafast_contract::rules::{self, RuleResult, RuleViolation};
use serde_json::{json, Map, Value};

/// visitors.list page size (CONTRACT 2.5).
const LIST_LIMIT_DEFAULT: u32 = 100;
const LIST_LIMIT_MAX: u32 = 250;
/// Comma-separated values one filter may list (CONTRACT 2.10).
const LIST_VALUES_MAX: usize = 50;

/// visitors.list's own filters (not `filter_`-prefixed): accepted names (canonical first,
/// then the alias), the dimension and how values match.
const LIST_FILTERS: &[(&[&str], Dim, Op)] = &[
    (&["visitedPage", "page"], Dim::Page, Op::Is),
    (&["visitedPageContains", "pageContains"], Dim::Page, Op::Contains),
    (&["completedGoal", "goal"], Dim::Goal, Op::Is),
    (&["country"], Dim::Country, Op::Is),
    (&["region"], Dim::Region, Op::Is),
    (&["city"], Dim::City, Op::Is),
    (&["browser"], Dim::Browser, Op::Is),
    (&["os"], Dim::Os, Op::Is),
    (&["device"], Dim::Device, Op::Is),
    (&["referrer"], Dim::Referrer, Op::Is),
    (&["hostname"], Dim::Hostname, Op::Is),
    (&["utm_source"], Dim::UtmSource, Op::Is),
    (&["utm_medium"], Dim::UtmMedium, Op::Is),
    (&["utm_campaign"], Dim::UtmCampaign, Op::Is),
    (&["utm_term"], Dim::UtmTerm, Op::Is),
    (&["utm_content"], Dim::UtmContent, Op::Is),
    (&["ref"], Dim::Ref, Op::Is),
    (&["source"], Dim::Source, Op::Is),
    (&["via"], Dim::Via, Op::Is),
];

/// The parsed filters of a visitors.list request.
#[derive(Debug)]
struct ListFilters {
    filters: Vec<Filter>,
    is_customer: Option<bool>,
}

fn parse_list_filters(query: &Query) -> RuleResult<ListFilters> {
    let mut filters = Vec::new();
    let mut is_customer = None;
    let mut goal_param = None;
    let mut customer_param = None;
    for (key, raw) in query.iter() {
        if key.starts_with("filter_") {
            let plain = key.trim_start_matches("filter_");
            return Err(RuleViolation::new(
                key,
                format!("is not a visitors.list parameter: its filters have no filter_ prefix (use `{plain}`)"),
            ));
        }
        if matches!(key, "isCustomer" | "hasRevenue") {
            let v = match raw.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(RuleViolation::new(key, "must be true or false")),
            };
            is_customer = Some(v);
            customer_param = Some(key);
            continue;
        }
        let Some(&(_, dim, op)) = LIST_FILTERS.iter().find(|(names, _, _)| names.contains(&key)) else {
            continue;
        };
        let values: Vec<String> =
            raw.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_lowercase).collect();
        if values.is_empty() {
            continue;
        }
        if values.len() > LIST_VALUES_MAX {
            return Err(RuleViolation::new(key, format!("may list at most {LIST_VALUES_MAX} comma-separated values")));
        }
        if dim == Dim::Goal {
            goal_param = Some(key);
        }
        filters.push(Filter { dim, op, values });
    }
    if let (Some(goal), Some(customer)) = (goal_param, customer_param) {
        return Err(RuleViolation::new(goal, format!("cannot be combined with `{customer}`")));
    }
    Ok(ListFilters { filters, is_customer })
}

/// `host/path` as the visitors routes show a page (`datafa.st/pricing`).
fn url_of(e: &Event) -> String {
    format!("{}{}", e.hostname, e.path)
}

/// W18: visitors most recently seen first, `hasMore` instead of a total.
pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let zone = analytics::parse_zone(ctx.query, &website.timezone)?;
    let range = analytics::parse_range(ctx.query, &zone)?;
    let (limit, offset) = paging_with(ctx.query, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX)?;
    let f = parse_list_filters(ctx.query)?;
    let rows = visitors::list(store.events(&website.id), range, &f.filters, f.is_customer);
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let data: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(limit as usize)
        .map(|r| {
            let (d, first) = (&r.latest.dims, &r.first.dims);
            let mut acquisition = Map::new();
            acquisition.insert("referrer".into(), json!(first.referrer));
            for (k, v) in [
                ("utm_source", &first.utm_source),
                ("utm_medium", &first.utm_medium),
                ("utm_campaign", &first.utm_campaign),
                ("utm_term", &first.utm_term),
                ("utm_content", &first.utm_content),
                ("ref", &first.ref_param),
                ("source", &first.source_param),
                ("via", &first.via_param),
            ] {
                if !v.is_empty() {
                    acquisition.insert(k.into(), json!(v));
                }
            }
            json!({
                "visitorId": r.visitor_id,
                "lastSeenAt": time::iso(r.last_seen),
                "currentUrl": url_of(r.latest),
                "identity": {
                    "country": d.country_code,
                    // The subdivision part of the ISO code, as the contract's example (`"CA"`).
                    "region": seed::region_code(&d.region)
                        .and_then(|code| code.split_once('-'))
                        .map_or(d.region.as_str(), |(_, subdivision)| subdivision),
                    "city": d.city,
                    "browser": d.browser,
                    "os": d.os,
                    "device": d.device,
                },
                "acquisition": acquisition,
                "isCustomer": r.is_customer,
            })
        })
        .collect();
    let has_more = rows.len() > skip.saturating_add(data.len());
    Ok(Reply::data(Value::Array(data))
        .with("pagination", json!({ "limit": limit, "offset": offset, "hasMore": has_more })))
}

/// A region as its ISO 3166-2 code (`US-CA`); a region the seed does not know as sent,
/// `null` when empty.
pub(super) fn region_iso(region: &str) -> Value {
    match seed::region_code(region) {
        Some(code) => json!(code),
        None if region.is_empty() => Value::Null,
        None => json!(region),
    }
}

/// W19: everything about one visitor on this website.
pub fn get(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let visitor_id = ctx
        .path
        .iter()
        .find(|(n, _)| *n == "visitorId")
        .map(|(_, v)| v.trim())
        .ok_or_else(|| ApiError::bad_request("`visitorId` is missing from the path"))?;
    rules::visitor_id("visitorId", visitor_id)?;
    let events = store.events(&website.id);
    let d = visitors::detail(events, visitor_id)
        .ok_or_else(|| ApiError::not_found(format!("visitor {visitor_id} has no pageviews on this website")))?;
    let (Some(first), Some(last)) = (d.first(), d.last()) else {
        return Err(ApiError::not_found(format!("visitor {visitor_id} has no pageviews on this website")));
    };
    let dims = &last.dims;
    let or_null = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    // Payment records complete their automatic goal (`payment`, `subscription_renewed`,
    // `free_trial`); refunds complete none.
    let completed: Vec<Value> = d
        .goals
        .iter()
        .filter_map(|e| {
            let (name, payment) = match e.payment_kind() {
                Some(kind) => (kind.goal_name()?, true),
                None => (e.goal_name.as_deref().unwrap_or_default(), false),
            };
            Some(json!({
                "name": name,
                "description": e.description,
                "isServer": payment,
                "origin": if payment { "payment_provider" } else { "manual" },
                "timestamp": time::iso(e.ts),
            }))
        })
        .collect();
    let prediction = match Model::build(events) {
        Some(model) if !d.is_customer => {
            let p = model.predict(dims);
            json!({
                "score": p.score,
                "conversionRate": round4(p.conversion_rate),
                "expectedValue": round4(p.expected_value),
                "confidence": round4(p.confidence),
            })
        }
        _ => Value::Null,
    };
    let since = |t: i64| (ctx.now_ms - t).max(0);
    let system = seed::system_details(visitor_id, &dims.browser, &dims.os, &dims.device);
    let (width, height) = system.viewport;
    let mut data = json!({
        "visitorId": &*last.visitor_id,
        "identity": {
            // Codes, as the contract's example (`"country":"KR","region":"KR-44"`).
            "country": or_null(&dims.country_code),
            "countryCode": or_null(&dims.country_code),
            "region": region_iso(&dims.region),
            "city": or_null(&dims.city),
            "params": params_json(&first.dims),
            "adClickIds": {},
            "browser": { "name": or_null(&dims.browser), "version": system.browser_version },
            "os": { "name": or_null(&dims.os), "version": system.os_version },
            "device": { "type": or_null(&dims.device), "vendor": Value::Null, "model": Value::Null },
            "viewport": { "width": width, "height": height },
        },
        "activity": {
            "visitCount": d.visit_count,
            "pageViewCount": d.pageviews.len(),
            "timeSinceFirstVisit": since(first.ts),
            "timeSinceCurrentVisit": since(d.current_visit_start),
            "firstVisitAt": time::iso(first.ts),
            "lastVisitAt": time::iso(d.current_visit_start),
            "currentUrl": url_of(last),
            "visitedPages": d.pageviews.iter().map(|e| json!({ "url": url_of(e), "timestamp": time::iso(e.ts) })).collect::<Vec<_>>(),
            // Gen-1 clients read the same list as `completedCustomGoals` (CONTRACT W19).
            "completedCustomGoals": completed,
            "completedGoals": completed,
        },
        "prediction": prediction,
    });
    // Only identified visitors have a profile (CONTRACT W19).
    if let (Some(profile), Some(obj)) =
        (super::identify::profile_json(store, &website.id, visitor_id), data.as_object_mut())
    {
        obj.insert("profile".into(), profile);
    }
    Ok(Reply::data(data))
}
