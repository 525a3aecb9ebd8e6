//! Per-route behaviour, looked up by registry endpoint id. Routing, authentication and
//! authorization have already happened when a handler runs (see `router`).
//!
//! Adding an endpoint: write `fn(&Ctx, &Store) -> Result<Reply, ApiError>` (a GET, which
//! changes nothing) or `fn(&Ctx, &mut Store) -> …` (any other method) in the matching module
//! and add one line to [`HANDLERS`]. Reads run side by side under a shared lock; writes one
//! at a time under an exclusive one, followed by a save (see `router`).

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

/// A route's behaviour: a read sees the store shared with other reads, a write alone.
#[derive(Clone, Copy, Debug)]
pub enum Handler {
    Read(fn(&Ctx, &Store) -> Result<Reply, ApiError>),
    Write(fn(&Ctx, &mut Store) -> Result<Reply, ApiError>),
}

use Handler::{Read, Write};

/// Implemented endpoints. Any other registry id answers 501.
pub static HANDLERS: &[(&str, Handler)] = &[
    ("analytics.overview", Read(analytics::overview)),
    ("analytics.timeseries", Read(analytics::timeseries)),
    ("analytics.realtime", Read(analytics::realtime)),
    ("analytics.realtime_map", Read(analytics::realtime_map)),
    ("analytics.metadata", Read(analytics::metadata)),
    ("analytics.pages", Read(analytics::breakdown)),
    ("analytics.referrers", Read(analytics::breakdown)),
    ("analytics.countries", Read(analytics::breakdown)),
    ("analytics.regions", Read(analytics::breakdown)),
    ("analytics.cities", Read(analytics::breakdown)),
    ("analytics.devices", Read(analytics::breakdown)),
    ("analytics.browsers", Read(analytics::breakdown)),
    ("analytics.operating_systems", Read(analytics::breakdown)),
    ("analytics.campaigns", Read(analytics::breakdown)),
    ("analytics.hostnames", Read(analytics::breakdown)),
    ("analytics.goals", Read(analytics::goals)),
    ("analytics.funnel", Read(analytics::funnel)),
    ("visitors.list", Read(visitors::list)),
    ("visitors.get", Read(visitors::get)),
    ("goals.create", Write(goals::create)),
    ("goals.delete", Write(goals::delete)),
    ("payments.create", Write(payments::create)),
    ("payments.delete", Write(payments::delete)),
    ("identify", Write(identify::identify)),
    ("admin.account.get", Read(account::get)),
    ("admin.account.update", Write(account::update)),
    ("admin.tokens.list", Read(tokens::list)),
    ("admin.tokens.create", Write(tokens::create)),
    ("admin.tokens.delete", Write(tokens::delete)),
    ("admin.websites.list", Read(websites::list)),
    ("admin.websites.create", Write(websites::create)),
    ("admin.websites.get", Read(websites::get)),
    ("admin.websites.update", Write(websites::update)),
    ("admin.websites.delete", Write(websites::delete)),
    ("admin.apikeys.list", Read(apikeys::list)),
    ("admin.apikeys.create", Write(apikeys::create)),
    ("admin.apikeys.roll", Write(apikeys::roll)),
    ("admin.apikeys.delete", Write(apikeys::delete)),
    ("admin.goals.tracked", Read(goals::tracked)),
    ("admin.goals.customizations.list", Read(customizations::list)),
    ("admin.goals.customizations.update", Write(customizations::update)),
    ("admin.goals.customizations.delete", Write(customizations::delete)),
    ("admin.funnels.list", Read(funnels::list)),
    ("admin.funnels.create", Write(funnels::create)),
    ("admin.funnels.update", Write(funnels::update)),
    ("admin.funnels.delete", Write(funnels::delete)),
    ("admin.alerts.list", Read(alerts::list)),
    ("admin.alerts.create", Write(alerts::create)),
    ("admin.alerts.update", Write(alerts::update)),
    ("admin.alerts.delete", Write(alerts::delete)),
    ("admin.alerts.history", Read(alerts::history)),
    ("admin.team.list", Read(team::list)),
    ("admin.team.invite", Write(team::invite)),
    ("admin.team.remove", Write(team::remove)),
    ("admin.integrations.get", Read(integrations::get)),
    ("admin.integrations.stripe.connect", Write(integrations::connect)),
    ("admin.integrations.stripe.disconnect", Write(integrations::disconnect)),
    ("admin.integrations.lemonsqueezy.connect", Write(integrations::connect)),
    ("admin.integrations.lemonsqueezy.disconnect", Write(integrations::disconnect)),
    ("admin.integrations.polar.connect", Write(integrations::connect)),
    ("admin.integrations.polar.disconnect", Write(integrations::disconnect)),
    ("admin.integrations.paddle.connect", Write(integrations::connect)),
    ("admin.integrations.paddle.disconnect", Write(integrations::disconnect)),
    ("admin.integrations.shopify.disconnect", Write(integrations::disconnect)),
    ("admin.integrations.woocommerce.disconnect", Write(integrations::disconnect)),
];

pub fn is_implemented(endpoint_id: &str) -> bool {
    handler(endpoint_id).is_some()
}

/// The handler of a registry endpoint; `None` = not implemented (501).
pub fn handler(endpoint_id: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(id, _)| *id == endpoint_id).map(|(_, h)| *h)
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
    use super::{Handler, HANDLERS};
    use datafast_contract::registry::{find, Method};

    #[test]
    fn every_handler_is_a_registry_endpoint() {
        for (id, _) in HANDLERS {
            assert!(find(id).is_some(), "{id} is not in the registry");
        }
    }

    /// GETs never change the store (they run side by side); every other method may.
    #[test]
    fn reads_are_exactly_the_gets() {
        for (id, handler) in HANDLERS {
            let get = find(id).is_some_and(|ep| ep.method == Method::Get);
            assert_eq!(get, matches!(handler, Handler::Read(_)), "{id}");
        }
    }
}
