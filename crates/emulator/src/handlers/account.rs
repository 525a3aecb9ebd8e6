//! A01 `GET /admin/account`.

use super::Ctx;
use crate::http::{ApiError, Reply};
use crate::state::Store;
use crate::time;
use serde_json::{json, Value};

pub fn get(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
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
