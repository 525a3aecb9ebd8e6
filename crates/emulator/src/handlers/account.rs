//! A01 `GET /admin/account`, A02 `PUT /admin/account`.

use super::{required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::Store;
use crate::time;
use datafast_contract::rules;
use serde_json::{json, Value};

pub fn get(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let user = store
        .user(&ctx.principal.user_id)
        .ok_or_else(|| ApiError::not_found("the account of this token no longer exists"))?;
    let iso = |t: Option<i64>| t.map_or(Value::Null, |ms| json!(time::iso(ms)));
    let mut account = json!({
        "_id": user.id,
        "name": user.name,
        "email": user.email,
        "image": user.image,
        "hasAccess": user.has_access,
        "planType": user.plan_type,
        "isFreeTrialActive": user.is_free_trial_active,
        "freeTrialStartAt": iso(user.free_trial_start_at),
        "billingCycleStartAt": iso(user.billing_cycle_start_at),
        "billingCycleEndAt": iso(user.billing_cycle_end_at),
        "createdAt": time::iso(user.created_at),
    });
    // With a df_ key the answer also names the key's website (CONTRACT A01).
    if let (Some(website_id), Some(obj)) = (&ctx.principal.key_website, account.as_object_mut()) {
        obj.insert("websiteId".into(), json!(website_id));
    }
    Ok(Reply::data(json!([account])))
}

/// A02 `PUT /admin/account`: only the name can change.
pub fn update(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let name = rules::account_name("name", required_str(body, "name")?)?;
    let user = store
        .users
        .iter_mut()
        .find(|u| u.id == ctx.principal.user_id)
        .ok_or_else(|| ApiError::not_found("the account of this token no longer exists"))?;
    user.name = Some(name);
    Ok(Reply::data(json!([{
        "_id": user.id,
        "name": user.name,
        "email": user.email,
        "image": user.image,
    }])))
}
