//! A11–A14 `/admin/websites/{websiteId}/apikeys`: a website's `df_` keys.

use super::{iso_or_null, optional_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{ApiKey, Store};
use datafast_contract::rules::WEBSITE_KEYS_MAX;
use datafast_contract::TokenKind;
use serde_json::{json, Value};

/// The list shape: masked only (CONTRACT 2.9).
fn key_json(k: &ApiKey) -> Value {
    json!({
        "_id": k.id,
        "name": k.name,
        "displayKey": TokenKind::display_key(&k.secret),
        "websiteId": k.website_id,
        "lastUsedAt": iso_or_null(k.last_used_at.get()),
        "createdAt": crate::time::iso(k.created_at),
    })
}

/// Create and roll answers: the list shape plus the full secret, shown this once.
fn key_with_secret(k: &ApiKey) -> Value {
    let mut v = key_json(k);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("key".into(), json!(k.secret));
    }
    v
}

pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website_id = &ctx.website(store)?.id;
    let data: Vec<Value> = store.api_keys.iter().filter(|k| &k.website_id == website_id).map(key_json).collect();
    Ok(Reply::data(Value::Array(data)))
}

/// A `df_` key acts with every permission on its website (CONTRACT 2.7), so handing one out
/// (create, or roll, which shows the secret) needs a caller holding them all: with
/// `api-keys:write` alone, minting a key would escalate (DECISIONS.md, Authorization).
fn require_every_permission(ctx: &Ctx) -> Result<(), ApiError> {
    if ctx.principal.holds_every_permission() {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "{} hands out a website key, which holds every permission on its website; the calling token must hold `*`, not only `api-keys:write`",
        ctx.endpoint.id
    )))
}

pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    require_every_permission(ctx)?;
    let body = ctx.body;
    let name = optional_str(body, "name")?.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let website_id = ctx.website(store)?.id.clone();
    let held = store.api_keys.iter().filter(|k| k.website_id == website_id).count();
    if held >= WEBSITE_KEYS_MAX {
        return Err(ApiError::bad_request(format!(
            "website {website_id} already has {WEBSITE_KEYS_MAX} API keys, the maximum; delete one first"
        )));
    }
    let key = ApiKey {
        id: store.new_object_id(),
        website_id,
        user_id: ctx.principal.user_id.clone(),
        name,
        secret: store.new_secret("df_"),
        created_at: ctx.now_ms,
        last_used_at: Default::default(),
    };
    let out = key_with_secret(&key);
    store.api_keys.push(key);
    Ok(Reply::data(json!([out])))
}

/// The key `apiKeyId` of the request's website; keys of other websites are "not found".
fn find_key(ctx: &Ctx, store: &Store) -> Result<usize, ApiError> {
    let id = ctx.path_id("apiKeyId")?;
    let website_id = &ctx.website(store)?.id;
    store
        .api_keys
        .iter()
        .position(|k| k.id == id && &k.website_id == website_id)
        .ok_or_else(|| ApiError::not_found(format!("API key {id} not found on website {website_id}")))
}

/// A13: same record, new secret; the old one fails authentication from now on.
pub fn roll(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    require_every_permission(ctx)?;
    let pos = find_key(ctx, store)?;
    let secret = store.new_secret("df_");
    let key = &mut store.api_keys[pos];
    key.secret = secret;
    Ok(Reply::data(json!([key_with_secret(key)])))
}

pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let pos = find_key(ctx, store)?;
    store.api_keys.remove(pos);
    Ok(Reply::data(json!([{ "deleted": true }])))
}
