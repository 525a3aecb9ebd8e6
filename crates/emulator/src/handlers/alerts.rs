//! A23–A27 `/admin/websites/{websiteId}/alerts`: e-mail alerts fired by goals, and their
//! history. The emulator sends no e-mail: a firing is recorded as `sent` (see [`fire`]).

use super::{optional_bool, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Alert, AlertLog, Store};
use datafast_contract::rules::{
    self, RuleViolation, ALERTS_PER_WEBSITE_MAX, ALERT_HISTORY_LIMIT_DEFAULT, ALERT_HISTORY_LIMIT_MAX,
    ALERT_SUBJECT_MAX, GOAL_NAME_MAX,
};
use serde_json::{json, Map, Value};

/// How many firings an alert shows in `recentLogs` (not documented; inferred).
const RECENT_LOGS: usize = 5;

fn log_json(l: &AlertLog) -> Value {
    json!({
        "alertId": l.alert_id,
        "alertName": l.alert_name,
        "goalName": l.goal_name,
        "status": l.status,
        "error": l.error,
        "visitorId": l.visitor_id,
        "triggeredAt": crate::time::iso(l.triggered_at),
    })
}

fn alert_json(a: &Alert, store: &Store) -> Value {
    let recent: Vec<Value> =
        store.alert_logs.iter().rev().filter(|l| l.alert_id == a.id).take(RECENT_LOGS).map(log_json).collect();
    json!({
        "_id": a.id,
        "websiteId": a.website_id,
        "name": a.name,
        "trigger": { "type": "goal", "goalName": a.goal_name },
        "destination": { "type": "email" },
        "template": { "subject": a.subject, "message": a.message },
        "isEnabled": a.is_enabled,
        "recentLogs": recent,
    })
}

pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website_id = &ctx.website(store)?.id;
    let data: Vec<Value> =
        store.alerts.iter().filter(|a| &a.website_id == website_id).map(|a| alert_json(a, store)).collect();
    Ok(Reply::data(Value::Array(data)))
}

/// A nested object field (`trigger`, `template`): absent → `None`.
fn object<'m>(body: &'m Map<String, Value>, field: &str) -> Result<Option<&'m Map<String, Value>>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ApiError::bad_request(format!("`{field}` must be an object"))),
    }
}

fn string<'m>(obj: &'m Map<String, Value>, field: &str) -> Result<Option<&'m str>, ApiError> {
    match obj.get(field.rsplit('.').next().unwrap_or(field)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("`{field}` must be a string"))),
    }
}

/// The fields a create or update body sets; `None` = not sent.
#[derive(Default)]
struct Changes {
    name: Option<String>,
    goal_name: Option<String>,
    subject: Option<Option<String>>,
    message: Option<String>,
    is_enabled: Option<bool>,
}

/// Reads and checks every field present. Required-ness is the caller's business.
fn changes(body: &Map<String, Value>) -> Result<Changes, ApiError> {
    let mut c = Changes::default();
    if body.contains_key("name") {
        let raw = string(body, "name")?.ok_or_else(|| ApiError::bad_request("`name` must not be null"))?;
        c.name = Some(rules::alert_name("name", raw)?);
    }
    if let Some(trigger) = object(body, "trigger")? {
        if let Some(t) = string(trigger, "trigger.type")? {
            if t != "goal" {
                return Err(RuleViolation::new("trigger.type", "must be `goal` (the only trigger type)").into());
            }
        }
        let raw = string(trigger, "trigger.goalName")?
            .ok_or_else(|| ApiError::bad_request("`trigger.goalName` is required"))?;
        c.goal_name = Some(rules::goal_name("trigger.goalName", raw, GOAL_NAME_MAX)?);
    }
    if let Some(destination) = object(body, "destination")? {
        if string(destination, "destination.type")?.is_some_and(|t| t != "email") {
            return Err(RuleViolation::new("destination.type", "must be `email` (the only destination)").into());
        }
    }
    if let Some(template) = object(body, "template")? {
        if let Some(m) = string(template, "template.message")? {
            c.message = Some(rules::alert_message("template.message", m)?);
        }
        if template.contains_key("subject") {
            c.subject = Some(match string(template, "template.subject")? {
                None => None,
                Some(s) => rules::optional_text("template.subject", s, ALERT_SUBJECT_MAX)?,
            });
        }
    }
    c.is_enabled = optional_bool(body, "isEnabled")?;
    Ok(c)
}

/// A24. All input is checked (400) before the per-website limit (403).
pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let c = changes(body)?;
    let name = c.name.ok_or_else(|| ApiError::bad_request("`name` is required"))?;
    let goal_name = c.goal_name.ok_or_else(|| ApiError::bad_request("`trigger.goalName` is required"))?;
    let message = c.message.ok_or_else(|| ApiError::bad_request("`template.message` is required"))?;
    let website_id = ctx.website(store)?.id.clone();
    let held = store.alerts.iter().filter(|a| a.website_id == website_id).count();
    if held >= ALERTS_PER_WEBSITE_MAX {
        return Err(ApiError::forbidden(format!(
            "website {website_id} already has {ALERTS_PER_WEBSITE_MAX} alerts, the maximum; delete one first"
        )));
    }
    let alert = Alert {
        id: store.new_object_id(),
        website_id,
        name,
        goal_name,
        // `null` = the default subject (CONTRACT A23 shows `subject|null`).
        subject: c.subject.flatten(),
        message,
        is_enabled: c.is_enabled.unwrap_or(true),
        created_at: ctx.now_ms,
    };
    let out = alert_json(&alert, store);
    store.alerts.push(alert);
    Ok(Reply::data(json!([out])))
}

fn find(ctx: &Ctx, store: &Store) -> Result<usize, ApiError> {
    let id = ctx.path_id("alertId")?;
    let website_id = &ctx.website(store)?.id;
    store
        .alerts
        .iter()
        .position(|a| a.id == id && &a.website_id == website_id)
        .ok_or_else(|| ApiError::not_found(format!("alert {id} not found on website {website_id}")))
}

/// A25: partial; only fields sent change, all checked before any is applied.
pub fn update(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let pos = find(ctx, store)?;
    let body = ctx.body;
    let c = changes(body)?;
    let a = &mut store.alerts[pos];
    if let Some(v) = c.name {
        a.name = v;
    }
    if let Some(v) = c.goal_name {
        a.goal_name = v;
    }
    if let Some(v) = c.subject {
        a.subject = v;
    }
    if let Some(v) = c.message {
        a.message = v;
    }
    if let Some(v) = c.is_enabled {
        a.is_enabled = v;
    }
    let out = alert_json(&store.alerts[pos], store);
    Ok(Reply::data(json!([out])))
}

/// A26. The alert's history stays (it records what happened), under the name it had.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let pos = find(ctx, store)?;
    store.alerts.remove(pos);
    Ok(Reply::data(json!([{ "message": "Alert deleted successfully" }])))
}

/// A27: newest first; `counts` cover every matching firing, before `limit`.
pub fn history(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let alert_id = match ctx.query.get("alertId") {
        None => None,
        Some(id) => {
            rules::object_id("alertId", id)?;
            Some(id)
        }
    };
    let limit = match ctx.query.get("limit") {
        None => ALERT_HISTORY_LIMIT_DEFAULT,
        Some(raw) => {
            let n: f64 = raw.trim().parse().map_err(|_| {
                RuleViolation::new("limit", format!("must be a whole number from 1 to {ALERT_HISTORY_LIMIT_MAX}"))
            })?;
            // Above the cap is clamped (CONTRACT 2.5: "capped at 100").
            rules::limit("limit", n.min(f64::from(ALERT_HISTORY_LIMIT_MAX)), ALERT_HISTORY_LIMIT_MAX)?
        }
    };
    let website_id = &ctx.website(store)?.id;
    let matching: Vec<&AlertLog> = store
        .alert_logs
        .iter()
        .rev()
        .filter(|l| &l.website_id == website_id && alert_id.is_none_or(|id| l.alert_id == id))
        .collect();
    let sent = matching.iter().filter(|l| l.status == "sent").count();
    let failed = matching.iter().filter(|l| l.status == "failed").count();
    let counts = json!({ "sent": sent, "failed": failed, "total": matching.len() });
    let data: Vec<Value> = matching.into_iter().take(limit as usize).map(log_json).collect();
    Ok(Reply::data(Value::Array(data)).with("counts", counts))
}

/// Called when a goal is received: every enabled alert of the website on that goal fires.
pub fn fire(store: &mut Store, website_id: &str, goal_name: &str, visitor_id: &str, now_ms: i64) {
    let logs: Vec<AlertLog> = store
        .alerts
        .iter()
        .filter(|a| a.website_id == website_id && a.is_enabled && a.goal_name == goal_name)
        .map(|a| AlertLog {
            alert_id: a.id.clone(),
            website_id: website_id.to_string(),
            alert_name: a.name.clone(),
            goal_name: goal_name.to_string(),
            status: "sent".into(),
            error: None,
            visitor_id: Some(visitor_id.to_string()),
            triggered_at: now_ms,
        })
        .collect();
    store.alert_logs.extend(logs);
}
