//! Every request's input, checked against the contract's parameter table before a handler
//! runs: the same [`params::check`] the client runs before sending, so both refuse the same
//! input naming the same field. Handlers then only check what depends on the store (an
//! unknown goal, a taken domain).
//!
//! What the emulator accepts beyond the table is decided here, from the table itself, and
//! listed in DECISIONS.md ("Input checks"): the Gen-1 spelling of filters without the
//! `filter_` prefix on routes that take `filters`, `websiteId` in the query of Website API
//! routes (it selects the website, `auth::authorize`), and the parameters the contract says a
//! route ignores.

use crate::handlers::json_object;
use crate::http::{ApiError, Query};
use axum::http::StatusCode;
use datafast_contract::params::{self, Input, Kind};
use datafast_contract::registry::ResultShape;
use datafast_contract::rules::{self, RuleResult, RuleViolation, FILTER_DIMENSIONS, FILTER_OPERATORS};
use datafast_contract::{Endpoint, EndpointId};
use serde_json::{Map, Value};

/// Checks the query (routes without a body) or the JSON body of a request, and gives the
/// body as the handler reads it: the object sent, or an empty one for a route without a body
/// or an optional body not sent. A refusal is a 400 naming the field; `POST /payments`
/// answers it bare (CONTRACT 2.3(2)).
pub fn request(endpoint: &Endpoint, query: &Query, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let spec = endpoint.params();
    let checked = if endpoint.has_body() {
        check_body(endpoint, spec, query, body)
    } else {
        check_query(endpoint, spec, query).map(|()| Map::new())
    };
    checked.map_err(|e| if endpoint.shape == ResultShape::Bare { e.into_bare() } else { e })
}

/// A route's own bound on its body, below the server-wide one (`http::MAX_BODY_BYTES`).
fn body_max(endpoint: &Endpoint) -> Option<usize> {
    match endpoint.key {
        // CONTRACT 2.2: "413 goal-customization body larger than 4 KB".
        EndpointId::AdminGoalsCustomizationsUpdate => Some(rules::GOAL_CUSTOMIZATION_BODY_MAX),
        _ => None,
    }
}

fn check_body(
    endpoint: &Endpoint,
    spec: &params::Params,
    query: &Query,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    if let Some(max) = body_max(endpoint).filter(|max| body.len() > *max) {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body is {} bytes; {} accepts at most {max} bytes", body.len(), endpoint.id),
        ));
    }
    if let Some((key, _)) = query.iter().find(|(k, _)| !is_website_selector(endpoint, k)) {
        return Err(RuleViolation::new(
            key,
            format!("is not a query parameter of {}, which takes its input as a JSON body", endpoint.id),
        )
        .into());
    }
    let input = if body.iter().all(u8::is_ascii_whitespace) { None } else { Some(Value::Object(json_object(body)?)) };
    params::check(endpoint.id, spec, input.as_ref()).map_err(|broken| match input {
        None => ApiError::bad_request(format!("request body is required: send a JSON object ({broken})")),
        Some(_) => broken.into(),
    })?;
    Ok(match input {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    })
}

/// `websiteId` in the query selects the website of a Website API route (CONTRACT 2.6).
fn is_website_selector(endpoint: &Endpoint, key: &str) -> bool {
    key == "websiteId" && endpoint.website_from_query()
}

fn check_query(endpoint: &Endpoint, spec: &params::Params, query: &Query) -> Result<(), ApiError> {
    let takes_filters = spec.all().any(|f| matches!(f.kind, Kind::Filters));
    let mut top = Vec::new();
    let mut filters = Vec::new();
    for (key, raw) in query.iter().filter(|(k, _)| !is_website_selector(endpoint, k)) {
        if forgives(endpoint, key, raw) {
            continue;
        }
        let filter = match key.strip_prefix("filter_") {
            Some(dimension) if takes_filters => Some(dimension),
            // Gen-1 spelled filters without the prefix (CONTRACT 3.1): a dimension name that is
            // not a parameter of its own is a filter.
            _ if takes_filters && FILTER_DIMENSIONS.contains(&key) && spec.field(key).is_none() => Some(key),
            _ => None,
        };
        match filter {
            Some(dimension) => filters.push((dimension, raw)),
            None => top.push((key, QueryValue::Text(raw))),
        }
    }
    if !filters.is_empty() {
        let conditions = filters.iter().map(|(d, raw)| (*d, QueryValue::Text(raw))).collect();
        top.push(("filters", QueryValue::Object(conditions)));
    }
    params::check(endpoint.id, spec, Some(&QueryValue::Object(top)))?;
    for (dimension, raw) in filters {
        filter(dimension, raw)?;
    }
    Ok(())
}

/// What the contract says a route forgives, where the client refuses it (it never sends what
/// has no effect or exceeds a bound).
struct Forgiven {
    /// Accepted and dropped (`filters`: every `filter_*`).
    ignored: &'static [&'static str],
    /// Whole numbers above the parameter's maximum are capped to it by the handler.
    capped: &'static [&'static str],
}

fn forgiven(endpoint: &Endpoint) -> Forgiven {
    match endpoint.key {
        // CONTRACT W03: "No dates, no filters (ignored)".
        EndpointId::AnalyticsRealtime => {
            Forgiven { ignored: &["startAt", "endAt", "timezone", "filters"], capped: &[] }
        }
        // CONTRACT 2.5: alert history's `limit` is "capped at 100".
        EndpointId::AdminAlertsHistory => Forgiven { ignored: &[], capped: &["limit"] },
        _ => Forgiven { ignored: &[], capped: &[] },
    }
}

/// Whether the route accepts the query parameter `key=raw` that the client would refuse
/// (ignored, or capped by the handler).
pub fn forgives(endpoint: &Endpoint, key: &str, raw: &str) -> bool {
    let forgiven = forgiven(endpoint);
    let ignored =
        forgiven.ignored.contains(&key) || (forgiven.ignored.contains(&"filters") && key.starts_with("filter_"));
    ignored || (forgiven.capped.contains(&key) && above_max(endpoint.params(), key, raw))
}

/// A whole number above the maximum of `key`'s integer kind.
fn above_max(spec: &params::Params, key: &str, raw: &str) -> bool {
    let max = match spec.field(key).map(|f| f.kind) {
        Some(Kind::Int { max, .. }) => f64::from(max),
        _ => return false,
    };
    raw.parse::<f64>().is_ok_and(|n| n.is_finite() && n.fract() == 0.0 && n > max)
}

/// `filter_<dimension>=[operator:]v1,v2`: the operator prefix counts only when it is one (goal
/// names may contain `:`).
fn filter(dimension: &str, raw: &str) -> RuleResult<()> {
    let (operator, values) = match raw.split_once(':') {
        Some((op, rest)) if FILTER_OPERATORS.contains(&op) => (op, rest),
        _ => ("is", raw),
    };
    rules::filter(dimension, operator)?;
    if values.split(',').all(|v| v.trim().is_empty()) {
        return Err(RuleViolation::new(format!("filters.{dimension}"), "needs at least one value"));
    }
    Ok(())
}

/// A query string seen as the contract's [`Input`]: every value is text, read as a number or a
/// boolean where the parameter's kind asks for one (`limit=10`, `isCustomer=true`).
enum QueryValue<'q> {
    Text(&'q str),
    Object(Vec<(&'q str, QueryValue<'q>)>),
}

impl Input for QueryValue<'_> {
    fn is_null(&self) -> bool {
        false
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            QueryValue::Text(s) => Some(s),
            QueryValue::Object(_) => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        self.as_str().and_then(|s| s.parse::<f64>().ok()).filter(|n| n.is_finite())
    }
    fn as_bool(&self) -> Option<bool> {
        match self.as_str() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        }
    }
    fn items(&self) -> Option<Vec<&Self>> {
        None
    }
    fn entries(&self) -> Option<Vec<(&str, &Self)>> {
        match self {
            QueryValue::Object(entries) => Some(entries.iter().map(|(k, v)| (*k, v)).collect()),
            QueryValue::Text(_) => None,
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            QueryValue::Text(_) => "a string",
            QueryValue::Object(_) => "an object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafast_contract::registry::find;

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }
    fn refusal(id: &str, pairs: &[(&str, &str)], body: &str) -> String {
        let e = request(find(id).unwrap(), &query(pairs), body.as_bytes()).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        e.message
    }
    fn accepts(id: &str, pairs: &[(&str, &str)], body: &str) {
        if let Err(e) = request(find(id).unwrap(), &query(pairs), body.as_bytes()) {
            panic!("{id} refused: {}", e.message)
        }
    }

    #[test]
    fn query_values_are_read_as_their_parameter_kinds() {
        accepts("analytics.pages", &[("limit", "10"), ("offset", "0"), ("fields", "path,visitors")], "");
        accepts("visitors.list", &[("isCustomer", "true"), ("country", "US,FR")], "");
        assert!(refusal("analytics.pages", &[("limit", "ten")], "").starts_with("`limit` must be a number"));
        assert!(refusal("visitors.list", &[("isCustomer", "yes")], "").starts_with("`isCustomer` must be a boolean"));
        assert!(
            refusal("analytics.overview", &[("startat", "2026-01-01")], "").starts_with("`startat` is not a parameter")
        );
    }

    #[test]
    fn filters_in_both_spellings_and_website_selection() {
        accepts("analytics.overview", &[("websiteId", "x"), ("filter_page", "contains:/docs"), ("country", "US")], "");
        assert!(refusal("analytics.overview", &[("filter_planet", "mars")], "").starts_with("`filters.planet`"));
        assert!(
            refusal("analytics.overview", &[("country", "contains:U")], "").starts_with("`filters.country.contains`")
        );
        assert!(refusal("analytics.overview", &[("filter_goal", ",")], "").starts_with("`filters.goal` needs"));
        // Admin routes take the website from the path: `websiteId` in the query is unknown.
        assert!(refusal("admin.goals.tracked", &[("websiteId", "x")], "").starts_with("`websiteId` is not"));
    }

    #[test]
    fn bodies_are_checked_and_payment_refusals_are_bare() {
        let msg = refusal("admin.websites.update", &[], r#"{"kpiColorScheme":"magenta"}"#);
        assert!(msg.starts_with("`kpiColorScheme` must be one of"), "{msg}");
        assert!(refusal("admin.websites.update", &[], r#"{"bogusField":1}"#).starts_with("`bogusField` is not"));
        assert!(refusal("goals.create", &[], "[1]").contains("JSON object"));
        assert!(refusal("goals.create", &[("name", "x")], "{}").starts_with("`name` is not a query parameter"));
        let e = request(find("payments.create").unwrap(), &query(&[]), b"{}").unwrap_err();
        assert!(e.bare && e.message.starts_with("`amount` is required"), "{e:?}");
        accepts("admin.apikeys.roll", &[], "");
    }
}
