//! A31–A41 `/admin/websites/{websiteId}/integrations[/<provider>]`: which payment
//! providers are connected. One code path for every provider, driven by [`PROVIDERS`];
//! the route's registry id names the provider (`admin.integrations.stripe.connect`).
//!
//! Credentials are checked against the route's parameter table (`validate`, before the
//! handler) and then dropped: no answer ever contains them, so the emulator has no reason to
//! keep them.

use super::Ctx;
use crate::http::{ApiError, Reply};
use crate::state::{IntegrationConnection, Store};
use crate::time::MS_PER_DAY;
use serde_json::{json, Map};

/// How one provider is connected and reported.
struct Provider {
    /// The path segment and the key in the status object.
    name: &'static str,
    /// How messages name it.
    label: &'static str,
    /// Whether the connect answer carries the website currency (A32, A34, A38).
    answers_currency: bool,
    /// Paddle keys expire: the status shows `keyExpiresAt`, this long after connecting.
    key_lifetime_ms: Option<i64>,
}

/// Inferred: the emulator cannot ask Paddle when a key expires; 90 days is a common choice.
const PADDLE_KEY_LIFETIME_MS: i64 = 90 * MS_PER_DAY;

/// In the order of the status object (CONTRACT A31).
const PROVIDERS: &[Provider] = &[
    Provider { name: "stripe", label: "Stripe", answers_currency: true, key_lifetime_ms: None },
    Provider { name: "lemonsqueezy", label: "Lemon Squeezy", answers_currency: true, key_lifetime_ms: None },
    Provider { name: "polar", label: "Polar", answers_currency: false, key_lifetime_ms: None },
    Provider { name: "paddle", label: "Paddle", answers_currency: true, key_lifetime_ms: Some(PADDLE_KEY_LIFETIME_MS) },
    Provider { name: "shopify", label: "Shopify", answers_currency: false, key_lifetime_ms: None },
    Provider { name: "woocommerce", label: "WooCommerce", answers_currency: false, key_lifetime_ms: None },
];

/// The provider of a connect/disconnect route, from its registry id.
fn provider(ctx: &Ctx) -> Result<&'static Provider, ApiError> {
    let name = ctx.endpoint.id.split('.').nth(2).unwrap_or_default();
    PROVIDERS.iter().find(|p| p.name == name).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("{} names no known integration provider", ctx.endpoint.id),
        )
    })
}

fn connection<'s>(store: &'s Store, website_id: &str, provider: &str) -> Option<&'s IntegrationConnection> {
    store.integrations.iter().find(|c| c.website_id == website_id && c.provider == provider)
}

/// A31: `connected` per provider (Paddle with `keyExpiresAt`) and the website currency.
pub fn get(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let mut status = Map::new();
    for p in PROVIDERS {
        let c = connection(store, &website.id, p.name);
        let mut entry = json!({ "connected": c.is_some() });
        if p.key_lifetime_ms.is_some() {
            entry["keyExpiresAt"] = super::iso_or_null(c.and_then(|c| c.key_expires_at));
        }
        status.insert(p.name.into(), entry);
    }
    status.insert("currency".into(), json!(website.currency));
    Ok(Reply::data(json!([status])))
}

/// A32, A34, A36, A38. Connecting again replaces the previous connection.
pub fn connect(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let p = provider(ctx)?;
    let website = ctx.website(store)?;
    let (website_id, currency) = (website.id.clone(), website.currency.clone());
    store.integrations.retain(|c| !(c.website_id == website_id && c.provider == p.name));
    store.integrations.push(IntegrationConnection {
        website_id,
        provider: p.name.to_string(),
        connected_at: ctx.now_ms,
        key_expires_at: p.key_lifetime_ms.map(|life| ctx.now_ms + life),
    });
    let mut out = json!({ "message": format!("{} connected successfully", p.label) });
    if p.answers_currency {
        out["currency"] = json!(currency);
    }
    Ok(Reply::data(json!([out])))
}

/// A33, A35, A37, A39–A41. Disconnecting a provider that is not connected is a success that
/// changes nothing (inferred), so a retried disconnect never fails.
pub fn disconnect(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let p = provider(ctx)?;
    let website_id = ctx.website(store)?.id.clone();
    let before = store.integrations.len();
    store.integrations.retain(|c| !(c.website_id == website_id && c.provider == p.name));
    let message = if store.integrations.len() < before {
        format!("{} disconnected successfully", p.label)
    } else {
        format!("{} was not connected; nothing changed", p.label)
    };
    Ok(Reply::data(json!([{ "message": message }])))
}

#[cfg(test)]
mod tests {
    use super::PROVIDERS;
    use datafast_contract::registry::ENDPOINTS;

    /// Every integration route of the registry has its provider, and only install-flow
    /// providers lack a connect route.
    #[test]
    fn registry_routes_match_the_provider_table() {
        for ep in
            ENDPOINTS.iter().filter(|e| e.id.starts_with("admin.integrations.") && e.id != "admin.integrations.get")
        {
            let name = ep.id.split('.').nth(2).unwrap();
            assert!(PROVIDERS.iter().any(|p| p.name == name), "{} has no provider", ep.id);
            assert!(ep.path.ends_with(&format!("/integrations/{name}")), "{}", ep.path);
        }
        for p in PROVIDERS {
            let disconnect = format!("admin.integrations.{}.disconnect", p.name);
            assert!(ENDPOINTS.iter().any(|e| e.id == disconnect), "{}", p.name);
        }
    }
}
