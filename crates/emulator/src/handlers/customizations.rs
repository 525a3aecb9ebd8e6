//! A16–A18 `/admin/websites/{websiteId}/goals/customizations`: display-only metadata of
//! goals (label, color, description) and the allowed color palette.

use super::Ctx;
use crate::http::{ApiError, Reply};
use crate::state::{GoalCustomization, Store};
use datafast_contract::rules::{self, GOAL_COLORS, GOAL_DESCRIPTION_MAX, GOAL_DISPLAY_NAME_MAX, GOAL_NAME_MAX};
use serde_json::{json, Map, Value};

fn customization_json(c: &GoalCustomization) -> Value {
    json!({
        "goalName": c.goal_name,
        "displayName": c.display_name,
        "color": c.color,
        "description": c.description,
        "updatedAt": crate::time::iso(c.updated_at),
    })
}

fn palette() -> Value {
    GOAL_COLORS.iter().map(|p| json!({ "color": p.color, "label": p.label, "family": p.family })).collect()
}

/// `?goalName=`: optional on list, required on delete; normalized like event names.
fn goal_name_query(ctx: &Ctx) -> Result<Option<String>, ApiError> {
    match ctx.query.get("goalName") {
        None => Ok(None),
        Some(raw) => Ok(Some(rules::goal_name("goalName", raw, GOAL_NAME_MAX)?)),
    }
}

/// A16: the saved customizations (optionally of one goal) plus the palette as `colors`.
pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let only = goal_name_query(ctx)?;
    let website_id = &ctx.website(store)?.id;
    let data: Vec<Value> = store
        .goal_customizations
        .iter()
        .filter(|c| &c.website_id == website_id && only.as_ref().is_none_or(|g| &c.goal_name == g))
        .map(customization_json)
        .collect();
    Ok(Reply::data(Value::Array(data)).with("colors", palette()))
}

/// A field of the PATCH body: absent → `None`, `null` → clear, string → checked value.
fn patch_text(
    body: &Map<String, Value>,
    field: &str,
    check: impl Fn(&str) -> Result<Option<String>, ApiError>,
) -> Result<Option<Option<String>>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(check(s)?)),
        Some(_) => Err(ApiError::bad_request(format!("`{field}` must be a string or null"))),
    }
}

/// A17: upsert. A record left with nothing set is removed (only goals with saved metadata
/// are listed), but the answer still shows it, all `null`.
pub fn update(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let goal_name = match body.get("goalName") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("`goalName` is required")),
        Some(Value::String(s)) => rules::goal_name("goalName", s, GOAL_NAME_MAX)?,
        Some(_) => return Err(ApiError::bad_request("`goalName` must be a string")),
    };
    let display_name =
        patch_text(body, "displayName", |s| Ok(rules::optional_text("displayName", s, GOAL_DISPLAY_NAME_MAX)?))?;
    let color = patch_text(body, "color", |s| Ok(Some(rules::goal_color("color", s)?.to_string())))?;
    let description =
        patch_text(body, "description", |s| Ok(rules::optional_text("description", s, GOAL_DESCRIPTION_MAX)?))?;
    if display_name.is_none() && color.is_none() && description.is_none() {
        return Err(ApiError::bad_request(
            "nothing to change: send at least one of `displayName`, `color`, `description` (null clears one)",
        ));
    }

    let website_id = ctx.website(store)?.id.clone();
    let pos = store.goal_customizations.iter().position(|c| c.website_id == website_id && c.goal_name == goal_name);
    let mut c = match pos {
        Some(i) => store.goal_customizations[i].clone(),
        None => GoalCustomization {
            website_id,
            goal_name,
            display_name: None,
            color: None,
            description: None,
            updated_at: ctx.now_ms,
        },
    };
    if let Some(v) = display_name {
        c.display_name = v;
    }
    if let Some(v) = color {
        c.color = v;
    }
    if let Some(v) = description {
        c.description = v;
    }
    c.updated_at = ctx.now_ms;
    let out = customization_json(&c);
    let empty = c.display_name.is_none() && c.color.is_none() && c.description.is_none();
    match (pos, empty) {
        (Some(i), true) => {
            store.goal_customizations.remove(i);
        }
        (Some(i), false) => store.goal_customizations[i] = c,
        (None, true) => {}
        (None, false) => store.goal_customizations.push(c),
    }
    Ok(Reply::data(json!([out])))
}

/// A18: `deleted` says whether anything was saved for that goal.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let goal_name =
        goal_name_query(ctx)?.ok_or_else(|| ApiError::bad_request("`goalName` query parameter is required"))?;
    let website_id = ctx.website(store)?.id.clone();
    let before = store.goal_customizations.len();
    store.goal_customizations.retain(|c| !(c.website_id == website_id && c.goal_name == goal_name));
    let deleted = store.goal_customizations.len() != before;
    Ok(Reply::data(json!([{ "deleted": deleted, "goalName": goal_name }])))
}
