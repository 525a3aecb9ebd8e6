//! W24 `POST /identify`: links a visitor to a user profile and merges the profile's custom
//! fields. The visitor detail (W19) shows the result through [`profile_json`].

use super::goals::{last_pageview, required_visitor, strip_html};
use super::{required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Profile, Store};
use datafast_contract::rules;
use serde_json::{json, Map, Value};

/// Body keys that are not custom profile fields.
const RESERVED: &[&str] = &["user_id", "datafast_visitor_id", "visitorId"];

pub fn identify(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let (website_id, cookieless) = (website.id.clone(), website.settings.is_cookieless);
    let body = ctx.body;
    let user_id = rules::user_id("user_id", required_str(body, "user_id")?)?;
    let visitor_id = required_visitor(body)?;
    let fields = custom_fields(body)?;
    let visitor = last_pageview(&store.indexed(&website_id), visitor_id, i64::MAX)
        .map(|pv| pv.visitor_id.to_string())
        .ok_or_else(|| ApiError::not_found(format!("visitor {visitor_id} has no pageviews on this website")))?;

    // Cookieless websites keep no profiles: the call succeeds and stores nothing (W24).
    if cookieless {
        return Ok(Reply::data(json!({
            "message": "Website is cookieless: user profile not stored",
            "profileId": null,
            "action": "unchanged",
        })));
    }

    let now = ctx.now_ms;
    // A visitor is one user at a time: identifying it as someone else moves it.
    for p in store.profiles.iter_mut().filter(|p| p.website_id == website_id && p.user_id != user_id) {
        p.visitors.retain(|(v, _)| *v != visitor);
    }
    let existing = store.profiles.iter().position(|p| p.website_id == website_id && p.user_id == user_id);
    let (profile_id, action) = match existing {
        None => {
            let id = store.new_object_id();
            store.profiles.push(Profile {
                id: id.clone(),
                website_id,
                user_id,
                metadata: fields,
                visitors: vec![(visitor, now)],
                created_at: now,
                updated_at: now,
            });
            (id, "created")
        }
        Some(i) => {
            let p = &mut store.profiles[i];
            let mut changed = merge(&mut p.metadata, fields);
            if !p.visitors.iter().any(|(v, _)| *v == visitor) {
                p.visitors.push((visitor, now));
                changed = true;
            }
            if changed {
                p.updated_at = now;
            }
            (p.id.clone(), if changed { "updated" } else { "unchanged" })
        }
    };
    let message = match action {
        "created" => "User profile created successfully",
        "updated" => "User profile updated successfully",
        _ => "User profile unchanged",
    };
    Ok(Reply::data(json!({ "message": message, "profileId": profile_id, "action": action })))
}

/// Every top-level key besides the reserved ones, as a string: strings (HTML stripped),
/// numbers and booleans as their JSON text. `null` and placeholder names (`undefined
/// undefined`) are left out, so they never overwrite a stored value.
fn custom_fields(body: &Map<String, Value>) -> Result<Vec<(String, String)>, ApiError> {
    let mut text = Vec::new();
    for (key, value) in body.iter().filter(|(k, _)| !RESERVED.contains(&k.as_str())) {
        let s = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(ApiError::bad_request(format!(
                    "`{key}` must be a string, number or boolean: profile fields are flat"
                )))
            }
        };
        text.push((key.as_str(), s));
    }
    rules::identify_fields(text.iter().map(|(k, v)| (*k, Some(v.as_str()))))?;
    Ok(text
        .into_iter()
        .map(|(k, v)| (k.to_string(), strip_html(&v)))
        .filter(|(_, v)| !rules::is_placeholder_name(v))
        .collect())
}

/// Shallow merge: sent keys replace or join, keys not sent are kept. Whether anything changed.
fn merge(metadata: &mut Vec<(String, String)>, fields: Vec<(String, String)>) -> bool {
    let mut changed = false;
    for (key, value) in fields {
        match metadata.iter_mut().find(|(k, _)| *k == key) {
            Some((_, old)) if *old == value => {}
            Some((_, old)) => {
                *old = value;
                changed = true;
            }
            None => {
                metadata.push((key, value));
                changed = true;
            }
        }
    }
    changed
}

/// The visitor detail's `profile` (W19): `{userId, metadata, identifiedAt}`, or `None` for a
/// visitor never identified.
pub fn profile_json(store: &Store, website_id: &str, visitor_id: &str) -> Option<Value> {
    let vp = store.visitor_profile(website_id, visitor_id)?;
    let metadata: Map<String, Value> =
        vp.profile.metadata.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    Some(json!({
        "userId": vp.profile.user_id,
        "metadata": metadata,
        "identifiedAt": crate::time::iso(vp.identified_at),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_merge_reports_changes() {
        let mut m = vec![("plan".to_string(), "free".to_string()), ("team".to_string(), "a".to_string())];
        assert!(!merge(&mut m, vec![("plan".into(), "free".into())]));
        assert!(merge(&mut m, vec![("plan".into(), "pro".into()), ("seats".into(), "3".into())]));
        assert_eq!(
            m,
            [("plan", "pro"), ("team", "a"), ("seats", "3")].map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
    }

    #[test]
    fn custom_fields_are_flattened_and_filtered() {
        let body = json!({
            "user_id": "u1", "datafast_visitor_id": "x", "plan": "<b>pro</b>", "seats": 3, "trial": false,
            "name": "undefined undefined", "company": null
        });
        let fields = custom_fields(body.as_object().unwrap()).unwrap();
        assert_eq!(
            fields,
            [("plan", "pro"), ("seats", "3"), ("trial", "false")].map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
        let nested = json!({"user_id": "u1", "address": {"city": "Paris"}});
        assert!(custom_fields(nested.as_object().unwrap()).unwrap_err().message.contains("`address`"));
        let bad_key = json!({"Plan": "pro"});
        assert!(custom_fields(bad_key.as_object().unwrap()).unwrap_err().message.contains("`Plan`"));
    }
}
