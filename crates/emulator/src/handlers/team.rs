//! A28–A30 `/admin/websites/{websiteId}/team`: members, invitations, removal.

use super::{optional_str, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Invitation, Role, Store};
use datafast_contract::rules;
use serde_json::{json, Value};

pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website_id = &ctx.website(store)?.id;
    let data: Vec<Value> = store
        .memberships
        .iter()
        .filter(|m| &m.website_id == website_id)
        .filter_map(|m| {
            let u = store.user(&m.user_id)?;
            Some(json!({
                "userId": u.id,
                "name": u.name,
                "email": u.email,
                "image": u.image,
                "role": m.role.as_str(),
                "joinedAt": crate::time::iso(m.joined_at),
            }))
        })
        .collect();
    Ok(Reply::data(Value::Array(data)))
}

/// Invite and remove need the owner role on top of `team:write` (CONTRACT 2.8); the
/// router's generic write check only asks for member.
fn require_owner(ctx: &Ctx, website_id: &str) -> Result<(), ApiError> {
    match ctx.access.role {
        Some(Role::Owner) => Ok(()),
        role => Err(ApiError::forbidden(format!(
            "{} needs the owner role on website {website_id}; this token's user is a {}",
            ctx.endpoint.id,
            role.map_or("non-member", Role::as_str)
        ))),
    }
}

/// A29. Checks run rights → input → conflicts, and nothing is stored before all passed.
pub fn invite(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    require_owner(ctx, &website_id)?;
    let body = ctx.body;
    let email = rules::email("email", required_str(body, "email")?)?;
    // Owners are made in the dashboard, never invited.
    let role = match optional_str(body, "role")?.map(str::trim) {
        None | Some("viewer") => Role::Viewer,
        Some("member") => Role::Member,
        Some(_) => return Err(ApiError::bad_request("`role` must be `viewer` (the default) or `member`")),
    };
    let caller = store
        .user(&ctx.principal.user_id)
        .ok_or_else(|| ApiError::not_found("the account of this token no longer exists"))?;
    if caller.email.eq_ignore_ascii_case(&email) {
        return Err(ApiError::bad_request("`email` is your own address: you cannot invite yourself"));
    }
    let is_member = store
        .memberships
        .iter()
        .filter(|m| m.website_id == website_id)
        .filter_map(|m| store.user(&m.user_id))
        .any(|u| u.email.eq_ignore_ascii_case(&email));
    if is_member {
        return Err(ApiError::conflict(format!("{email} is already a member of website {website_id}")));
    }
    if store.invitations.iter().any(|i| i.website_id == website_id && i.email == email) {
        return Err(ApiError::conflict(format!("{email} already has a pending invitation to website {website_id}")));
    }
    let id = store.new_object_id();
    store.invitations.push(Invitation {
        id: id.clone(),
        website_id,
        email: email.clone(),
        role,
        invited_by: ctx.principal.user_id.clone(),
        created_at: ctx.now_ms,
    });
    Ok(Reply::data(json!([{
        "message": "Invitation created. Send the invite link to the user.",
        "invitationId": id,
        "email": email,
        "role": role.as_str(),
    }])))
}

/// A30. The user id comes in a JSON body, the one DELETE of the API that has one.
pub fn remove(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    require_owner(ctx, &website_id)?;
    let body = ctx.body;
    let user_id = required_str(body, "userId")?;
    rules::object_id("userId", user_id)?;
    if user_id == ctx.principal.user_id {
        return Err(ApiError::bad_request("`userId` is the owner's own id: the owner cannot remove themself"));
    }
    let pos = store
        .memberships
        .iter()
        .position(|m| m.website_id == website_id && m.user_id == user_id)
        .ok_or_else(|| ApiError::not_found(format!("user {user_id} is not a member of website {website_id}")))?;
    store.memberships.remove(pos);
    // Their keys for this website die with the membership (authentication refuses them
    // anyway); removing them keeps the key list truthful.
    store.api_keys.retain(|k| !(k.website_id == website_id && k.user_id == user_id));
    Ok(Reply::data(json!([{ "message": "Team member removed successfully" }])))
}
