//! Per-route behaviour, looked up by registry endpoint id. Routing, authentication and
//! authorization have already happened when a handler runs (see `router`).
//!
//! Adding an endpoint: write `fn(&Ctx, &Store) -> Result<Reply, ApiError>` (a GET, which
//! changes nothing) or `fn(&Ctx, &mut Store) -> …` (any other method) in the matching module
//! and add its arm to [`handler`] (the registry's new variant does not compile without it). Reads run side by side under a shared lock; writes one
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
use datafast_contract::{Endpoint, EndpointId};
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
    /// The JSON body, parsed and checked against the contract by the router
    /// (`validate::request`); empty for routes without a body and for an absent optional one.
    pub body: &'a Map<String, Value>,
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

/// The handler of every registry route: a `match` without a default arm, so a route added to
/// the registry without its handler does not compile.
pub fn handler(key: EndpointId) -> Handler {
    use EndpointId::*;
    match key {
        AnalyticsOverview => Read(analytics::overview),
        AnalyticsTimeseries => Read(analytics::timeseries),
        AnalyticsRealtime => Read(analytics::realtime),
        AnalyticsRealtimeMap => Read(analytics::realtime_map),
        AnalyticsMetadata => Read(analytics::metadata),
        AnalyticsPages => Read(analytics::pages),
        AnalyticsReferrers => Read(analytics::referrers),
        AnalyticsCountries => Read(analytics::countries),
        AnalyticsRegions => Read(analytics::regions),
        AnalyticsCities => Read(analytics::cities),
        AnalyticsDevices => Read(analytics::devices),
        AnalyticsBrowsers => Read(analytics::browsers),
        AnalyticsOperatingSystems => Read(analytics::operating_systems),
        AnalyticsCampaigns => Read(analytics::campaigns),
        AnalyticsHostnames => Read(analytics::hostnames),
        AnalyticsGoals => Read(analytics::goals),
        AnalyticsFunnel => Read(analytics::funnel),
        VisitorsList => Read(visitors::list),
        VisitorsGet => Read(visitors::get),
        GoalsCreate => Write(goals::create),
        GoalsDelete => Write(goals::delete),
        PaymentsCreate => Write(payments::create),
        PaymentsDelete => Write(payments::delete),
        Identify => Write(identify::identify),
        AdminAccountGet => Read(account::get),
        AdminAccountUpdate => Write(account::update),
        AdminTokensList => Read(tokens::list),
        AdminTokensCreate => Write(tokens::create),
        AdminTokensDelete => Write(tokens::delete),
        AdminWebsitesList => Read(websites::list),
        AdminWebsitesCreate => Write(websites::create),
        AdminWebsitesGet => Read(websites::get),
        AdminWebsitesUpdate => Write(websites::update),
        AdminWebsitesDelete => Write(websites::delete),
        AdminApikeysList => Read(apikeys::list),
        AdminApikeysCreate => Write(apikeys::create),
        AdminApikeysRoll => Write(apikeys::roll),
        AdminApikeysDelete => Write(apikeys::delete),
        AdminGoalsTracked => Read(goals::tracked),
        AdminGoalsCustomizationsList => Read(customizations::list),
        AdminGoalsCustomizationsUpdate => Write(customizations::update),
        AdminGoalsCustomizationsDelete => Write(customizations::delete),
        AdminFunnelsList => Read(funnels::list),
        AdminFunnelsCreate => Write(funnels::create),
        AdminFunnelsUpdate => Write(funnels::update),
        AdminFunnelsDelete => Write(funnels::delete),
        AdminAlertsList => Read(alerts::list),
        AdminAlertsCreate => Write(alerts::create),
        AdminAlertsUpdate => Write(alerts::update),
        AdminAlertsDelete => Write(alerts::delete),
        AdminAlertsHistory => Read(alerts::history),
        AdminTeamList => Read(team::list),
        AdminTeamInvite => Write(team::invite),
        AdminTeamRemove => Write(team::remove),
        AdminIntegrationsGet => Read(integrations::get),
        AdminIntegrationsStripeConnect => Write(integrations::connect),
        AdminIntegrationsStripeDisconnect => Write(integrations::disconnect),
        AdminIntegrationsLemonsqueezyConnect => Write(integrations::connect),
        AdminIntegrationsLemonsqueezyDisconnect => Write(integrations::disconnect),
        AdminIntegrationsPolarConnect => Write(integrations::connect),
        AdminIntegrationsPolarDisconnect => Write(integrations::disconnect),
        AdminIntegrationsPaddleConnect => Write(integrations::connect),
        AdminIntegrationsPaddleDisconnect => Write(integrations::disconnect),
        AdminIntegrationsShopifyDisconnect => Write(integrations::disconnect),
        AdminIntegrationsWoocommerceDisconnect => Write(integrations::disconnect),
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
    use super::{handler, Handler};
    use datafast_contract::registry::{Method, ENDPOINTS};

    /// GETs never change the store (they run side by side); every other method may.
    #[test]
    fn reads_are_exactly_the_gets() {
        for ep in ENDPOINTS {
            assert_eq!(ep.method == Method::Get, matches!(handler(ep.key), Handler::Read(_)), "{}", ep.id);
        }
    }
}
