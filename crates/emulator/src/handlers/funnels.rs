//! A19–A22 `/admin/websites/{websiteId}/funnels`: funnel definitions.

use super::{optional_bool, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Funnel, FunnelStep, Store};
use datafast_contract::rules::{self, RuleViolation, FUNNEL_NAME_MAX, FUNNEL_STEP_GOAL_NAME_MAX};
use serde_json::{json, Map, Value};

fn step_json(s: &FunnelStep) -> Value {
    let mut v = json!({ "id": s.id, "name": s.name, "type": s.kind });
    if let Some(obj) = v.as_object_mut() {
        if let Some(url) = &s.url {
            obj.insert("url".into(), json!(url));
        }
        if let Some(g) = &s.goal_name {
            obj.insert("goalName".into(), json!(g));
        }
    }
    v
}

fn funnel_json(f: &Funnel) -> Value {
    json!({
        "_id": f.id,
        "websiteId": f.website_id,
        "name": f.name,
        "slug": f.slug,
        "steps": f.steps.iter().map(step_json).collect::<Vec<_>>(),
        "isActive": f.is_active,
        "createdAt": crate::time::iso(f.created_at),
    })
}

/// A19: active funnels only.
pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website_id = &ctx.website(store)?.id;
    let data: Vec<Value> =
        store.funnels.iter().filter(|f| &f.website_id == website_id && f.is_active).map(funnel_json).collect();
    Ok(Reply::data(Value::Array(data)))
}

/// The funnel name, trimmed (inferred limit: 100 characters).
fn funnel_name(body: &Map<String, Value>) -> Result<String, ApiError> {
    Ok(rules::required_text("name", required_str(body, "name")?, FUNNEL_NAME_MAX)?)
}

/// `steps`: 2–8 objects; every failure names the step (`steps[1].goalName`).
fn steps(body: &Map<String, Value>) -> Result<Vec<FunnelStep>, ApiError> {
    let items = match body.get("steps") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("`steps` is required")),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::bad_request("`steps` must be an array of step objects")),
    };
    rules::funnel_step_count("steps", items.len())?;
    let mut out: Vec<FunnelStep> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |f: &str| format!("steps[{i}].{f}");
        let obj = item.as_object().ok_or_else(|| ApiError::bad_request(format!("`steps[{i}]` must be an object")))?;
        let text = |f: &str| -> Result<Option<&str>, ApiError> {
            match obj.get(f) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(_) => Err(ApiError::bad_request(format!("`{}` must be a string", at(f)))),
            }
        };
        let name = text("name")?.ok_or_else(|| ApiError::bad_request(format!("`{}` is required", at("name"))))?;
        let name = rules::required_text(&at("name"), name, FUNNEL_NAME_MAX)?;
        let kind = text("type")?
            .ok_or_else(|| ApiError::bad_request(format!("`{}` is required: `pageview` or `goal`", at("type"))))?;
        let (url, goal_name) = match kind {
            "pageview" => {
                let url = text("url")?
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .ok_or_else(|| ApiError::bad_request(format!("`{}` is required for a pageview step", at("url"))))?;
                (Some(url.to_string()), None)
            }
            "goal" => {
                let g = text("goalName")?.ok_or_else(|| {
                    ApiError::bad_request(format!("`{}` is required for a goal step", at("goalName")))
                })?;
                (None, Some(rules::goal_name(&at("goalName"), g, FUNNEL_STEP_GOAL_NAME_MAX)?))
            }
            other => {
                return Err(
                    RuleViolation::new(at("type"), format!("must be `pageview` or `goal`, not `{other}`")).into()
                )
            }
        };
        // Step ids come from the step name (CONTRACT A20, inferred); repeats get a suffix.
        let base = match rules::kebab_case(&name) {
            b if b.is_empty() => format!("step-{}", i + 1),
            b => b,
        };
        let mut id = base.clone();
        let mut n = 2;
        while out.iter().any(|s| s.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        out.push(FunnelStep { id, name, kind: kind.to_string(), url, goal_name });
    }
    Ok(out)
}

fn slug(name: &str) -> String {
    match rules::kebab_case(name) {
        s if s.is_empty() => "funnel".to_string(),
        s => s,
    }
}

/// 409 when another active funnel of the website already has this name (case-insensitive).
fn check_unique(store: &Store, website_id: &str, name: &str, except: Option<&str>) -> Result<(), ApiError> {
    let taken = store.funnels.iter().any(|f| {
        f.website_id == website_id && f.is_active && Some(f.id.as_str()) != except && f.name.eq_ignore_ascii_case(name)
    });
    if taken {
        return Err(ApiError::conflict(format!("a funnel named `{name}` already exists on this website")));
    }
    Ok(())
}

pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let name = funnel_name(body)?;
    let steps = steps(body)?;
    let website_id = ctx.website(store)?.id.clone();
    check_unique(store, &website_id, &name, None)?;
    let f = Funnel {
        id: store.new_object_id(),
        website_id,
        slug: slug(&name),
        name,
        steps,
        is_active: true,
        created_at: ctx.now_ms,
    };
    let out = funnel_json(&f);
    store.funnels.push(f);
    Ok(Reply::data(json!([out])))
}

/// The funnel `funnelId` of the request's website (active or not).
fn find(ctx: &Ctx, store: &Store) -> Result<usize, ApiError> {
    let id = ctx.path_id("funnelId")?;
    let website_id = &ctx.website(store)?.id;
    store
        .funnels
        .iter()
        .position(|f| f.id == id && &f.website_id == website_id)
        .ok_or_else(|| ApiError::not_found(format!("funnel {id} not found on website {website_id}")))
}

/// A21. Edits a copy, stored only when every field passed. Inactive funnels can be
/// updated, which is how `isActive: true` brings one back.
pub fn update(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let pos = find(ctx, store)?;
    let body = ctx.body;
    let mut f = store.funnels[pos].clone();
    if body.contains_key("name") {
        f.name = funnel_name(body)?;
        f.slug = slug(&f.name);
    }
    if body.contains_key("steps") {
        f.steps = steps(body)?;
    }
    if let Some(active) = optional_bool(body, "isActive")? {
        f.is_active = active;
    }
    if f.is_active {
        check_unique(store, &f.website_id, &f.name, Some(&f.id))?;
    }
    let out = funnel_json(&f);
    store.funnels[pos] = f;
    Ok(Reply::data(json!([out])))
}

/// A22: soft delete. A funnel already deleted is "not found" (inferred), as in analytics.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let pos = find(ctx, store)?;
    let f = &mut store.funnels[pos];
    if !f.is_active {
        return Err(ApiError::not_found(format!("funnel {} not found (it was deleted)", f.id)));
    }
    f.is_active = false;
    Ok(Reply::data(json!([{ "message": "Funnel deleted successfully" }])))
}
