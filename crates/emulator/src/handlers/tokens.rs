//! A03–A05 `/admin/access-tokens`: the caller's own `dft_` tokens.

use super::{iso_or_null, optional_str, optional_str_list, Ctx};
use crate::auth::Beyond;
use crate::http::{ApiError, Reply};
use crate::state::{AccountToken, Store};
use datafast_contract::rules::{self, ACCOUNT_TOKENS_MAX};
use datafast_contract::{Permission, TokenKind};
use serde_json::{json, Value};

/// The list/create shape without the secret (A03). `key` is added by `create` only.
fn token_json(t: &AccountToken) -> Value {
    json!({
        "_id": t.id,
        "name": t.name,
        "displayKey": TokenKind::display_key(&t.secret),
        "scope": "user",
        "permissions": t.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "websiteIds": t.website_ids,
        "lastUsedAt": iso_or_null(t.last_used_at.get()),
        "createdAt": crate::time::iso(t.created_at),
    })
}

/// The caller's tokens that stay inside its own scope: a token limited to some websites or
/// permissions neither sees nor deletes broader ones (DECISIONS.md, Authorization).
fn manageable<'s>(ctx: &'s Ctx, store: &'s Store) -> impl Iterator<Item = (usize, &'s AccountToken)> {
    let p = ctx.principal;
    store
        .tokens
        .iter()
        .enumerate()
        .filter(move |(_, t)| t.user_id == p.user_id && p.covers(&t.permissions, &t.website_ids).is_ok())
}

pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let data: Vec<Value> = manageable(ctx, store).map(|(_, t)| token_json(t)).collect();
    Ok(Reply::data(Value::Array(data)))
}

/// A04. Input is checked in full (400) before any right (403), and nothing is stored
/// unless every check passed.
pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let name = optional_str(body, "name")?.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let permissions = match optional_str_list(body, "permissions")? {
        Some(list) => rules::permissions("permissions", list)?,
        None => vec![Permission::All],
    };
    let website_ids: Vec<String> = match optional_str_list(body, "websiteIds")? {
        Some(list) => {
            let mut ids: Vec<String> = Vec::new();
            for (i, id) in list.into_iter().enumerate() {
                rules::object_id(&format!("websiteIds[{i}]"), id)?;
                if !ids.iter().any(|x| x == id) {
                    ids.push(id.to_string());
                }
            }
            ids
        }
        None => Vec::new(),
    };

    let p = ctx.principal;
    // A token can hand on only what it holds itself (CONTRACT 2.7).
    let beyond = match p.covers(&permissions, &website_ids) {
        Err(beyond) => Some(beyond),
        // Unknown websites and websites the user has no role on are refused like
        // out-of-scope ones: the answer must not reveal which ids exist.
        Ok(()) => website_ids.iter().find(|w| store.role_of(&p.user_id, w).is_none()).cloned().map(Beyond::Website),
    };
    if let Some(beyond) = beyond {
        return Err(ApiError::forbidden(match beyond {
            Beyond::Permission(extra) => {
                format!("`permissions` may not exceed the calling token's: it does not hold `{extra}`")
            }
            Beyond::AllWebsites => {
                "`websiteIds` may not be empty (all websites) when the calling token is limited to some websites"
                    .to_string()
            }
            Beyond::Website(out) => {
                format!("`websiteIds` may not exceed the calling token's websites: {out} is not one of them")
            }
        }));
    }
    let held = store.tokens.iter().filter(|t| t.user_id == p.user_id).count();
    if held >= ACCOUNT_TOKENS_MAX {
        return Err(ApiError::forbidden(format!(
            "this account already has {ACCOUNT_TOKENS_MAX} access tokens, the maximum; delete one first"
        )));
    }

    let token = AccountToken {
        id: store.new_object_id(),
        user_id: p.user_id.clone(),
        name,
        secret: store.new_secret("dft_"),
        permissions,
        website_ids,
        created_at: ctx.now_ms,
        last_used_at: Default::default(),
    };
    let mut out = token_json(&token);
    // The only time the full secret is shown (CONTRACT 2.9).
    if let Some(obj) = out.as_object_mut() {
        obj.insert("key".into(), json!(token.secret));
    }
    store.tokens.push(token);
    Ok(Reply::data(json!([out])))
}

/// A05. Another user's token, or one of the caller's that reaches beyond the calling
/// token's scope, is "not found", as in the list: what a token may not manage, it does not see.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.path_id("tokenId")?;
    let pos = manageable(ctx, store)
        .find(|(_, t)| t.id == id)
        .map(|(pos, _)| pos)
        .ok_or_else(|| ApiError::not_found(format!("access token {id} not found")))?;
    store.tokens.remove(pos);
    Ok(Reply::data(json!([{ "message": "Access token deleted successfully" }])))
}
