//! Per-route behaviour, looked up by registry endpoint id. Routing, authentication and
//! authorization have already happened when a handler runs (see `router`).
//!
//! Adding an endpoint: write `fn(&Ctx, &mut Store) -> Result<Reply, ApiError>` in the
//! matching module and add one line to [`HANDLERS`].

mod account;
mod alerts;
mod analytics;
mod apikeys;
mod customizations;
mod deletes;
mod funnels;
mod goals;
mod identify;
mod integrations;
mod payments;
mod team;
mod tokens;
mod visitors;
mod websites;

use crate::auth::{Access, Principal};
use crate::http::{ApiError, Query, Reply};
use crate::state::{Store, Website};
use datafast_contract::Endpoint;
use serde_json::{Map, Value};

/// Everything a handler may look at about the request.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub endpoint: &'static Endpoint,
    pub principal: &'a Principal,
    /// The resolved website (if the route has one) and the caller's role there.
    pub access: &'a Access,
    /// Path placeholders in path order, e.g. `[("websiteId", "…")]`.
    pub path: &'a [(&'static str, String)],
    pub query: &'a Query,
    pub body: &'a [u8],
    /// Wall-clock time of the request, Unix ms.
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// The website the request acts on (resolved by `auth::authorize`).
    /// A path placeholder that names an object (`tokenId`, `apiKeyId`): a malformed id is a
    /// 400, so that "not found" always means a well-formed id that matches nothing.
    pub fn path_id(&self, name: &str) -> Result<&str, ApiError> {
        let v = self
            .path
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| ApiError::bad_request(format!("`{name}` is missing from the path")))?;
        datafast_contract::rules::object_id(name, v)?;
        Ok(v)
    }

    pub fn website<'s>(&self, store: &'s Store) -> Result<&'s Website, ApiError> {
        let id = self
            .access
            .website_id
            .as_deref()
            .ok_or_else(|| ApiError::bad_request(format!("{} needs a website", self.endpoint.id)))?;
        store.website(id).ok_or_else(|| ApiError::not_found(format!("website {id} not found")))
    }
}

pub type Handler = fn(&Ctx, &mut Store) -> Result<Reply, ApiError>;

/// Implemented endpoints. Any other registry id answers 501.
pub static HANDLERS: &[(&str, Handler)] = &[
    ("analytics.overview", analytics::overview),
    ("analytics.timeseries", analytics::timeseries),
    ("analytics.realtime", analytics::realtime),
    ("analytics.realtime_map", analytics::realtime_map),
    ("analytics.metadata", analytics::metadata),
    ("analytics.pages", analytics::breakdown),
    ("analytics.referrers", analytics::breakdown),
    ("analytics.countries", analytics::breakdown),
    ("analytics.regions", analytics::breakdown),
    ("analytics.cities", analytics::breakdown),
    ("analytics.devices", analytics::breakdown),
    ("analytics.browsers", analytics::breakdown),
    ("analytics.operating_systems", analytics::breakdown),
    ("analytics.campaigns", analytics::breakdown),
    ("analytics.hostnames", analytics::breakdown),
    ("analytics.goals", analytics::goals),
    ("analytics.funnel", analytics::funnel),
    ("visitors.list", visitors::list),
    ("visitors.get", visitors::get),
    ("goals.create", goals::create),
    ("goals.delete", goals::delete),
    ("payments.create", payments::create),
    ("payments.delete", payments::delete),
    ("identify", identify::identify),
    ("admin.account.get", account::get),
    ("admin.account.update", account::update),
    ("admin.tokens.list", tokens::list),
    ("admin.tokens.create", tokens::create),
    ("admin.tokens.delete", tokens::delete),
    ("admin.websites.list", websites::list),
    ("admin.websites.create", websites::create),
    ("admin.websites.get", websites::get),
    ("admin.websites.update", websites::update),
    ("admin.websites.delete", websites::delete),
    ("admin.apikeys.list", apikeys::list),
    ("admin.apikeys.create", apikeys::create),
    ("admin.apikeys.roll", apikeys::roll),
    ("admin.apikeys.delete", apikeys::delete),
    ("admin.goals.tracked", goals::tracked),
    ("admin.goals.customizations.list", customizations::list),
    ("admin.goals.customizations.update", customizations::update),
    ("admin.goals.customizations.delete", customizations::delete),
    ("admin.funnels.list", funnels::list),
    ("admin.funnels.create", funnels::create),
    ("admin.funnels.update", funnels::update),
    ("admin.funnels.delete", funnels::delete),
    ("admin.alerts.list", alerts::list),
    ("admin.alerts.create", alerts::create),
    ("admin.alerts.update", alerts::update),
    ("admin.alerts.delete", alerts::delete),
    ("admin.alerts.history", alerts::history),
    ("admin.team.list", team::list),
    ("admin.team.invite", team::invite),
    ("admin.team.remove", team::remove),
    ("admin.integrations.get", integrations::get),
    ("admin.integrations.stripe.connect", integrations::connect),
    ("admin.integrations.stripe.disconnect", integrations::disconnect),
    ("admin.integrations.lemonsqueezy.connect", integrations::connect),
    ("admin.integrations.lemonsqueezy.disconnect", integrations::disconnect),
    ("admin.integrations.polar.connect", integrations::connect),
    ("admin.integrations.polar.disconnect", integrations::disconnect),
    ("admin.integrations.paddle.connect", integrations::connect),
    ("admin.integrations.paddle.disconnect", integrations::disconnect),
    ("admin.integrations.shopify.disconnect", integrations::disconnect),
    ("admin.integrations.woocommerce.disconnect", integrations::disconnect),
];

pub fn is_implemented(endpoint_id: &str) -> bool {
    HANDLERS.iter().any(|(id, _)| *id == endpoint_id)
}

pub fn handle(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    match HANDLERS.iter().find(|(id, _)| *id == ctx.endpoint.id) {
        Some((_, handler)) => handler(ctx, store),
        None => Err(ApiError::not_implemented(ctx.endpoint.id)),
    }
}

// ---- JSON body helpers: every failure is a 400 that names the field ----

pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("request body is required: send a JSON object"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("request body must be a JSON object")),
        // serde_json's message gives a position, never the input itself.
        Err(e) => Err(ApiError::bad_request(format!("request body is not valid JSON: {e}"))),
    }
}

/// For routes whose body fields are all optional: no body at all counts as `{}`.
pub fn json_object_or_empty(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    json_object(body)
}

/// A boolean field that may be absent (`null` is refused: the settings have no unset state).
pub fn optional_bool(obj: &Map<String, Value>, field: &str) -> Result<Option<bool>, ApiError> {
    match obj.get(field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::bad_request(format!("`{field}` must be true or false"))),
    }
}

/// An array-of-strings field that may be absent; a bad element is named by its index.
pub fn optional_str_list<'m>(obj: &'m Map<String, Value>, field: &str) -> Result<Option<Vec<&'m str>>, ApiError> {
    let items = match obj.get(field) {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::bad_request(format!("`{field}` must be an array of strings"))),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| v.as_str().ok_or_else(|| ApiError::bad_request(format!("`{field}[{i}]` must be a string"))))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `null` or the ISO-8601 form of a Unix-ms time.
pub fn iso_or_null(t: Option<i64>) -> Value {
    t.map_or(Value::Null, |ms| Value::String(crate::time::iso(ms)))
}

/// A string field that may be absent or `null`.
pub fn optional_str<'m>(obj: &'m Map<String, Value>, field: &str) -> Result<Option<&'m str>, ApiError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("`{field}` must be a string"))),
    }
}

pub fn required_str<'m>(obj: &'m Map<String, Value>, field: &str) -> Result<&'m str, ApiError> {
    optional_str(obj, field)?.ok_or_else(|| ApiError::bad_request(format!("`{field}` is required")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_handler_is_a_registry_endpoint() {
        for (id, _) in super::HANDLERS {
            assert!(datafast_contract::registry::find(id).is_some(), "{id} is not in the registry");
        }
    }
}
