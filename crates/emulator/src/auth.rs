//! Who is calling (token → principal) and whether they may call this route on this website
//! (CONTRACT 2.6–2.8, section 6). Route permissions and token rules come from the registry.

use crate::http::{ApiError, Query};
use crate::state::{Role, Store};
use axum::http::HeaderValue;
use datafast_contract::rules;
use datafast_contract::{Endpoint, Permission, TokenKind};

/// The authenticated caller. Holds ids only, never the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub kind: TokenKind,
    /// Id of the token or key: the rate-limit key and the `lastUsedAt` target.
    pub credential_id: String,
    /// The token's user; for a `df_` key, the user who created it.
    pub user_id: String,
    /// `df_` keys act as holding every permission for their website (CONTRACT 2.7).
    pub permissions: Vec<Permission>,
    /// `df_`: the key's website.
    pub key_website: Option<String>,
    /// `dft_`: the website allow-list; empty = every website of the user.
    pub website_ids: Vec<String>,
}

impl Principal {
    pub fn holds(&self, required: Permission) -> bool {
        self.permissions.iter().any(|p| p.grants(required))
    }

    /// Every permission, as `*` or listed one by one: what a `df_` key acts with.
    pub fn holds_every_permission(&self) -> bool {
        Permission::ALL.iter().filter(|p| **p != Permission::All).all(|p| self.holds(*p))
    }

    /// Whether the credential's own scope includes the website (roles are checked apart).
    pub fn scope_includes(&self, website_id: &str) -> bool {
        match &self.key_website {
            Some(own) => own == website_id,
            None => self.website_ids.is_empty() || self.website_ids.iter().any(|w| w == website_id),
        }
    }

    /// Whether a credential with these permissions and websites (empty = every website)
    /// stays inside this one's scope: the bound of what a token may create, list or delete.
    /// `Err` names the first permission or website beyond it.
    pub fn covers(&self, permissions: &[Permission], website_ids: &[String]) -> Result<(), Beyond> {
        if let Some(extra) = permissions.iter().find(|want| !self.holds(**want)) {
            return Err(Beyond::Permission(*extra));
        }
        let limited = self.key_website.is_some() || !self.website_ids.is_empty();
        if website_ids.is_empty() && limited {
            return Err(Beyond::AllWebsites);
        }
        match website_ids.iter().find(|w| !self.scope_includes(w)) {
            Some(w) => Err(Beyond::Website(w.clone())),
            None => Ok(()),
        }
    }
}

/// What makes a credential reach beyond a caller's scope ([`Principal::covers`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Beyond {
    Permission(Permission),
    /// Every website, while the caller is limited to some.
    AllWebsites,
    Website(String),
}

/// The website a request acts on, and the caller's effective role there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub website_id: Option<String>,
    pub role: Option<Role>,
}

const BEARER_HINT: &str =
    "send `Authorization: Bearer <token>` with a website key (df_...) or an account token (dft_...)";

/// Resolves the `Authorization` header to a principal; every failure is a 401.
pub fn authenticate(store: &Store, header: Option<&HeaderValue>) -> Result<Principal, ApiError> {
    let header =
        header.ok_or_else(|| ApiError::unauthorized(format!("missing Authorization header: {BEARER_HINT}")))?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::unauthorized(format!("malformed Authorization header: {BEARER_HINT}")))?;
    let token = bearer_token(value)
        .ok_or_else(|| ApiError::unauthorized(format!("malformed Authorization header: {BEARER_HINT}")))?;
    if token.is_empty() {
        return Err(ApiError::unauthorized(format!("empty bearer token: {BEARER_HINT}")));
    }
    let unknown = || ApiError::unauthorized("invalid or revoked token");
    match TokenKind::of(token) {
        None => Err(ApiError::unauthorized("token must start with df_ (website key) or dft_ (account token)")),
        Some(TokenKind::AccountToken) => {
            let t = store.tokens.iter().find(|t| t.secret == token).ok_or_else(unknown)?;
            Ok(Principal {
                kind: TokenKind::AccountToken,
                credential_id: t.id.clone(),
                user_id: t.user_id.clone(),
                permissions: t.permissions.clone(),
                key_website: None,
                website_ids: t.website_ids.clone(),
            })
        }
        Some(TokenKind::WebsiteKey) => {
            let k = store.api_keys.iter().find(|k| k.secret == token).ok_or_else(unknown)?;
            // A key lives on its creator's membership: once they leave the website, it is
            // revoked like a deleted key (DECISIONS.md, Authorization).
            if store.role_of(&k.user_id, &k.website_id).is_none() {
                return Err(unknown());
            }
            Ok(Principal {
                kind: TokenKind::WebsiteKey,
                credential_id: k.id.clone(),
                user_id: k.user_id.clone(),
                permissions: vec![Permission::All],
                key_website: Some(k.website_id.clone()),
                website_ids: Vec::new(),
            })
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value (possibly empty); `None` for any
/// other scheme or shape.
pub fn bearer_token(value: &str) -> Option<&str> {
    match value.trim().split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => Some(rest.trim()),
        _ => None,
    }
}

/// Records the use of a credential (`lastUsedAt` in token and key lists). Needs only
/// shared access, so reads stay reads.
pub fn touch(store: &Store, p: &Principal, now_ms: i64) {
    let last_used = match p.kind {
        TokenKind::AccountToken => store.tokens.iter().find(|t| t.id == p.credential_id).map(|t| &t.last_used_at),
        TokenKind::WebsiteKey => store.api_keys.iter().find(|k| k.id == p.credential_id).map(|k| &k.last_used_at),
    };
    if let Some(l) = last_used {
        l.set(now_ms);
    }
}

/// Token kind, permission, website scope and role checks, in the contract's order.
pub fn authorize(
    store: &Store,
    p: &Principal,
    ep: &Endpoint,
    path_params: &[(&'static str, String)],
    query: &Query,
) -> Result<Access, ApiError> {
    if !ep.allows(p.kind) {
        return Err(ApiError::forbidden(format!(
            "{} needs an account token (dft_); website keys (df_) cannot call account-level routes",
            ep.id
        )));
    }
    if !p.holds(ep.permission) {
        return Err(ApiError::forbidden(format!(
            "this access token lacks the `{}` permission required by {}",
            ep.permission, ep.id
        )));
    }
    let user = store.user(&p.user_id).ok_or_else(|| ApiError::unauthorized("invalid or revoked token"))?;
    if !user.has_access {
        return Err(ApiError::forbidden("this account does not have API access"));
    }

    let path_website = path_params.iter().find(|(name, _)| *name == "websiteId").map(|(_, v)| v.as_str());
    let query_website = if ep.website_from_query() { query.get_nonempty("websiteId") } else { None };
    let access = match (&p.key_website, ep.website_from_query(), path_website) {
        // df_ key: the website is the key's; naming another one is refused, not ignored.
        (Some(own), true, _) => {
            if let Some(asked) = query_website.filter(|w| *w != own) {
                return Err(ApiError::forbidden(format!(
                    "this website key belongs to another website than `websiteId` {asked}; omit websiteId or use that website's key"
                )));
            }
            Access { website_id: Some(own.clone()), role: Some(key_role(store, p, own)) }
        }
        (Some(own), false, Some(asked)) => {
            if asked != own {
                return Err(ApiError::forbidden(format!(
                    "this website key may only call {} for its own website, not {asked}",
                    ep.id
                )));
            }
            Access { website_id: Some(own.clone()), role: Some(key_role(store, p, own)) }
        }
        (Some(_), false, None) => Access::default(),
        (None, true, _) => {
            let id = query_website.ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`websiteId` query parameter is required when calling {} with an account token (dft_)",
                    ep.id
                ))
            })?;
            account_access(store, p, id)?
        }
        (None, false, Some(id)) => account_access(store, p, id)?,
        (None, false, None) => Access::default(),
    };

    if ep.permission.is_write() {
        if let (Some(website_id), Some(role)) = (&access.website_id, access.role) {
            if role < Role::Member {
                return Err(ApiError::forbidden(format!(
                    "{} changes data and needs the owner or member role on website {website_id}; this token's user is a {}",
                    ep.id,
                    role.as_str()
                )));
            }
        }
    }
    Ok(access)
}

/// A `df_` key acts with its creator's role, capped at member (CONTRACT 2.6). A creator
/// without a role is refused at authentication already; should that ever be missed, the
/// key falls back to the least role, never to more.
fn key_role(store: &Store, p: &Principal, website_id: &str) -> Role {
    store.role_of(&p.user_id, website_id).unwrap_or(Role::Viewer).min(Role::Member)
}

/// A `dft_` token on a website: a valid id, an existing website, inside the token's scope,
/// and a role for the token's user there.
fn account_access(store: &Store, p: &Principal, website_id: &str) -> Result<Access, ApiError> {
    rules::object_id("websiteId", website_id)?;
    if store.website(website_id).is_none() {
        return Err(ApiError::not_found(format!("website {website_id} not found")));
    }
    if !p.scope_includes(website_id) {
        return Err(ApiError::forbidden(format!("this access token is not allowed on website {website_id}")));
    }
    let role = store
        .role_of(&p.user_id, website_id)
        .ok_or_else(|| ApiError::forbidden(format!("this account has no role on website {website_id}")))?;
    Ok(Access { website_id: Some(website_id.to_string()), role: Some(role) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{AccountToken, Membership};
    use datafast_contract::registry::find;

    fn store_with_viewer() -> (Store, Principal, String) {
        let (mut store, demo) = crate::seed::demo(&crate::seed::Generator::new(1, 1, 1_800_000_000_000));
        let website = demo.websites[0].id.clone();
        let viewer_id = "0000000000000000000000aa".to_string();
        let mut owner = store.users[0].clone();
        owner.id = viewer_id.clone();
        store.users.push(owner);
        store.memberships.push(Membership {
            website_id: website.clone(),
            user_id: viewer_id.clone(),
            role: Role::Viewer,
            joined_at: 0,
        });
        store.tokens.push(AccountToken {
            id: "0000000000000000000000bb".into(),
            user_id: viewer_id,
            name: None,
            secret: "dft_viewer".into(),
            permissions: vec![Permission::All],
            website_ids: vec![],
            created_at: 0,
            last_used_at: Default::default(),
        });
        let hv = HeaderValue::from_static("Bearer dft_viewer");
        let p = authenticate(&store, Some(&hv)).unwrap();
        (store, p, website)
    }

    #[test]
    fn viewer_reads_but_cannot_write() {
        let (store, p, website) = store_with_viewer();
        let q = Query(vec![("websiteId".into(), website.clone())]);
        let read = authorize(&store, &p, find("analytics.overview").unwrap(), &[], &q).unwrap();
        assert_eq!(read.role, Some(Role::Viewer));
        let err = authorize(&store, &p, find("goals.create").unwrap(), &[], &q).unwrap_err();
        assert_eq!(err.status, 403);
        assert!(err.message.contains("viewer"));
        // Websites the viewer has no role on: 403, not 404 (the website exists).
        let other = store.websites[1].id.clone();
        let q = Query(vec![("websiteId".into(), other)]);
        assert_eq!(authorize(&store, &p, find("analytics.overview").unwrap(), &[], &q).unwrap_err().status, 403);
    }

    #[test]
    fn scoped_token_and_path_websites() {
        let (mut store, _p, website) = store_with_viewer();
        let owner = store.users[0].id.clone();
        store.tokens.push(AccountToken {
            id: "0000000000000000000000cc".into(),
            user_id: owner,
            name: None,
            secret: "dft_scoped".into(),
            permissions: vec![Permission::AnalyticsRead, Permission::SettingsRead],
            website_ids: vec![website.clone()],
            created_at: 0,
            last_used_at: Default::default(),
        });
        let p = authenticate(&store, Some(&HeaderValue::from_static("Bearer dft_scoped"))).unwrap();
        let get = find("admin.websites.get").unwrap();
        assert!(authorize(&store, &p, get, &[("websiteId", website.clone())], &Query::default()).is_ok());
        let other = store.websites[1].id.clone();
        assert_eq!(authorize(&store, &p, get, &[("websiteId", other)], &Query::default()).unwrap_err().status, 403);
        let missing = "aaaaaaaaaaaaaaaaaaaaaaaa".to_string();
        assert_eq!(authorize(&store, &p, get, &[("websiteId", missing)], &Query::default()).unwrap_err().status, 404);
        assert_eq!(
            authorize(&store, &p, get, &[("websiteId", "nope".into())], &Query::default()).unwrap_err().status,
            400
        );
        let e = authorize(&store, &p, find("goals.create").unwrap(), &[], &Query::default()).unwrap_err();
        assert_eq!(e.status, 403);
        assert!(e.message.contains("goals:write"));
    }
}
