//! Input checks run before sending: each endpoint's declared parameters
//! ([`datafast_contract::params`]), path ids and filter conditions. Each failure names the
//! field and the rule.

use super::error::ClientError;
use super::request::join_scalars;
use super::value::Value;
use datafast_contract::{params, rules, Endpoint};

/// Checks one path argument: visitor ids are UUIDs, every other id an ObjectId.
pub fn path_param(name: &str, value: &str) -> Result<(), ClientError> {
    if name == "visitorId" {
        rules::visitor_id(name, value)?;
    } else {
        rules::object_id(name, value)?;
    }
    Ok(())
}

/// Validates the input of a call against the endpoint's declared parameters
/// ([`datafast_contract::params`]) and completes what the client adds itself.
pub fn params(endpoint: &Endpoint, mut input: Value) -> Result<Value, ClientError> {
    let spec = endpoint.params();
    params::check(endpoint.id, spec, Some(&input))?;
    normalize_goal_names(spec, &mut input);
    for rule in spec.rules {
        if let params::Rule::SentAs(a, b) = *rule {
            send_as(&mut input, a, b);
            send_as(&mut input, b, a);
        }
    }
    Ok(input)
}

/// Goal names go out as the API stores them (`Sign Up` → `sign_up`), so what the caller
/// sends, what it later reads back and what a delete by name matches are the same string.
fn normalize_goal_names(spec: &params::Params, input: &mut Value) {
    let Value::Object(entries) = input else { return };
    for (key, value) in entries.iter_mut() {
        if let (Some(params::Kind::GoalName { max }), Value::String(raw)) = (spec.field(key).map(|f| f.kind), &*value) {
            if let Ok(normalized) = rules::goal_name(key, raw, max) {
                *value = Value::String(normalized);
            }
        }
    }
}

/// Copies the value given as `from` to `to` when `to` is not given (delete windows are
/// `startAt/endAt` in older docs and `start/end` in newer ones: either server generation then
/// reads the window).
fn send_as(input: &mut Value, from: &str, to: &str) {
    let Value::Object(entries) = input else { return };
    let given = |name: &str, (k, v): &(String, Value)| k == name && *v != Value::Null;
    if entries.iter().any(|e| given(to, e)) {
        return;
    }
    if let Some(value) = entries.iter().find(|e| given(from, e)).map(|(_, v)| v.clone()) {
        entries.retain(|(k, _)| k != to);
        entries.push((to.to_string(), value));
    }
}

/// One entry of `filters`: `"US"`, `["US", "FR"]` or `{ is_not: "France" }` → the text after
/// `filter_<dimension>=`. `None` when the condition is null.
pub fn filter_condition(dimension: &str, condition: &Value) -> Result<Option<String>, ClientError> {
    let field = format!("filters.{dimension}");
    rules::filter(dimension, "is")?;
    let values = |v: &Value| -> Result<String, ClientError> {
        let text = match v {
            Value::Array(items) if !items.is_empty() => join_scalars(&field, items)?,
            Value::Array(_) => return Err(ClientError::invalid_param(field.as_str(), "must not be an empty array")),
            scalar => scalar.query_text().ok_or_else(|| {
                ClientError::invalid_param(
                    field.as_str(),
                    "must be a string, an array of strings, or { operator: value }",
                )
            })?,
        };
        Ok(text)
    };
    match condition {
        Value::Null => Ok(None),
        Value::Object(ops) => {
            let [(op, v)] = ops.as_slice() else {
                return Err(ClientError::invalid_param(
                    field,
                    "must have exactly one operator (is, is_not, contains, does_not_contain)",
                ));
            };
            rules::filter(dimension, op)?;
            let text = values(v)?;
            Ok(Some(if op == "is" { text } else { format!("{op}:{text}") }))
        }
        other => values(other).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ErrorCode;
    use datafast_contract::registry::find;

    fn obj(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }
    fn field_of(id: &str, input: Value) -> Option<String> {
        let e = params(find(id).unwrap(), input).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParams);
        e.field
    }

    fn ok(id: &str, input: Value) -> Value {
        params(find(id).unwrap(), input).unwrap_or_else(|e| panic!("{id}: {e:?}"))
    }
    fn rule_of(id: &str, input: Value) -> String {
        params(find(id).unwrap(), input).unwrap_err().message
    }
    fn arr(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
    fn n(v: f64) -> Value {
        Value::number(v)
    }
    const VISITOR: &str = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd";
    const OID: &str = "665f0b3c4d2e1a0012345678";

    #[test]
    fn analytics_dates_and_paging() {
        assert_eq!(field_of("analytics.overview", obj(vec![("startAt", s("2026-05-01"))])).as_deref(), Some("endAt"));
        assert_eq!(field_of("analytics.pages", obj(vec![("limit", n(1001.0))])).as_deref(), Some("limit"));
        assert_eq!(field_of("visitors.list", obj(vec![("limit", n(251.0))])).as_deref(), Some("limit"));
        assert_eq!(field_of("analytics.pages", obj(vec![("offset", s("3"))])).as_deref(), Some("offset"));
        assert_eq!(field_of("analytics.pages", obj(vec![("offset", n(-1.0))])).as_deref(), Some("offset"));
        assert_eq!(field_of("admin.alerts.history", obj(vec![("limit", n(101.0))])).as_deref(), Some("limit"));
        assert_eq!(
            field_of("analytics.overview", obj(vec![("startAt", s("May 1")), ("endAt", s("2026-05-02"))])).as_deref(),
            Some("startAt")
        );
        ok("analytics.pages", obj(vec![("limit", n(1000.0))]));
        ok(
            "analytics.overview",
            obj(vec![("startAt", s("2026-05-01T00:00:00+05:30")), ("endAt", s("2026-05-02T00:00:00Z"))]),
        );
    }

    #[test]
    fn fields_per_endpoint() {
        ok("analytics.overview", obj(vec![("fields", s("visitors,revenue"))]));
        ok("analytics.countries", obj(vec![("fields", arr(vec![s("country"), s("image"), s("visitors")]))]));
        ok("analytics.campaigns", obj(vec![("fields", arr(vec![s("utm_source")]))]));
        assert!(rule_of("analytics.overview", obj(vec![("fields", s("visitors,path"))])).contains("`path`"));
        assert_eq!(field_of("analytics.realtime", obj(vec![("fields", s("sessions"))])).as_deref(), Some("fields"));
        assert_eq!(field_of("analytics.goals", obj(vec![("fields", arr(vec![]))])).as_deref(), Some("fields"));
        // Timeseries needs both fields and interval.
        assert_eq!(field_of("analytics.timeseries", obj(vec![("interval", s("day"))])).as_deref(), Some("fields"));
        assert_eq!(
            field_of("analytics.timeseries", obj(vec![("fields", s("visitors")), ("interval", s("year"))])).as_deref(),
            Some("interval")
        );
        ok("analytics.timeseries", obj(vec![("fields", s("visitors")), ("interval", s("week"))]));
    }

    #[test]
    fn unknown_parameters_are_refused_by_name() {
        let e = params(find("analytics.overview").unwrap(), obj(vec![("startat", s("2026-05-01"))])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("startat"));
        assert!(e.message.contains("startAt"), "{}", e.message);
        assert!(rule_of("analytics.realtime_map", obj(vec![("limit", n(1.0))])).contains("takes none"));
        assert!(rule_of("analytics.pages", obj(vec![("websiteId", s(OID))])).contains("client options"));
        assert_eq!(
            field_of("admin.alerts.create", obj(vec![("name", s("a")), ("trigger", obj(vec![("goal", s("x"))]))]))
                .as_deref(),
            Some("trigger.goal")
        );
    }

    #[test]
    fn visitors_list_filters() {
        ok("visitors.list", obj(vec![("country", arr(vec![s("US"), s("FR")])), ("isCustomer", Value::Bool(true))]));
        let many = arr((0..51).map(|i| s(&format!("/p{i}"))).collect());
        assert_eq!(field_of("visitors.list", obj(vec![("visitedPage", many)])).as_deref(), Some("visitedPage"));
        assert_eq!(
            field_of("visitors.list", obj(vec![("goal", s("signup")), ("hasRevenue", Value::Bool(true))])).as_deref(),
            Some("hasRevenue")
        );
        assert_eq!(field_of("visitors.list", obj(vec![("isCustomer", s("yes"))])).as_deref(), Some("isCustomer"));
    }

    #[test]
    fn filters() {
        assert_eq!(filter_condition("country", &s("US")).unwrap().as_deref(), Some("US"));
        let page = obj(vec![("does_not_contain", Value::Array(vec![s("/docs"), s("/blog")]))]);
        assert_eq!(filter_condition("page", &page).unwrap().as_deref(), Some("does_not_contain:/docs,/blog"));
        assert_eq!(filter_condition("device", &obj(vec![("is", s("mobile"))])).unwrap().as_deref(), Some("mobile"));
        assert_eq!(filter_condition("goal", &Value::Null).unwrap(), None);
        let e = filter_condition("country", &obj(vec![("contains", s("U"))])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("filters.country.contains"));
        assert!(e.message.contains("page"));
        assert_eq!(filter_condition("planet", &s("x")).unwrap_err().field.as_deref(), Some("filters.planet"));
        assert!(filter_condition("page", &obj(vec![("is", s("/")), ("is_not", s("/x"))])).is_err());
        assert!(filter_condition("country", &Value::Array(vec![])).is_err());
        assert_eq!(field_of("analytics.pages", obj(vec![("filters", s("country=US"))])).as_deref(), Some("filters"));
    }

    #[test]
    fn goal_events() {
        let visitor = ("datafast_visitor_id", s(VISITOR));
        assert_eq!(field_of("goals.create", obj(vec![visitor.clone()])).as_deref(), Some("name"));
        assert_eq!(
            field_of("goals.create", obj(vec![visitor.clone(), ("name", s("identify"))])).as_deref(),
            Some("name")
        );
        let many: Vec<(String, Value)> = (0..11).map(|i| (format!("k{i}"), s("v"))).collect();
        assert_eq!(
            field_of("goals.create", obj(vec![visitor.clone(), ("name", s("a")), ("metadata", Value::Object(many))]))
                .as_deref(),
            Some("metadata")
        );
        let out = ok("goals.create", obj(vec![("visitorId", s(VISITOR)), ("name", s("Sign Up"))]));
        assert_eq!(out.get("name"), Some(&s("sign_up")));
        assert_eq!(field_of("goals.create", obj(vec![("name", s("a"))])).as_deref(), Some("datafast_visitor_id"));
        assert_eq!(
            field_of("goals.create", obj(vec![("visitorId", s("nope")), ("name", s("a"))])).as_deref(),
            Some("visitorId")
        );
    }

    #[test]
    fn deletes_need_a_target_and_send_both_window_spellings() {
        assert_eq!(field_of("goals.delete", obj(vec![])).as_deref(), Some("datafast_visitor_id"));
        assert_eq!(field_of("payments.delete", obj(vec![])).as_deref(), Some("transaction_id"));
        assert_eq!(field_of("goals.delete", obj(vec![("start", s("2026-01-01"))])).as_deref(), Some("end"));
        let out =
            ok("goals.delete", obj(vec![("startAt", s("2026-01-01T00:00:00Z")), ("endAt", s("2026-01-31T23:59:59Z"))]));
        assert_eq!(out.get("start"), Some(&s("2026-01-01T00:00:00Z")));
        assert_eq!(out.get("end"), Some(&s("2026-01-31T23:59:59Z")));
        let out = ok("payments.delete", obj(vec![("start", s("2026-01-01")), ("end", s("2026-01-02"))]));
        assert_eq!(out.get("startAt"), Some(&s("2026-01-01")));
        let out = ok("payments.delete", obj(vec![("transaction_id", s("tx_1"))]));
        assert_eq!(out.get("start"), None);
    }

    #[test]
    fn payments_and_identify() {
        let base = |amount: Value| obj(vec![("amount", amount), ("currency", s("usd")), ("transaction_id", s("tx_1"))]);
        ok("payments.create", base(n(0.0)));
        ok("payments.create", base(n(29.99)));
        assert_eq!(field_of("payments.create", base(n(-1.0))).as_deref(), Some("amount"));
        assert_eq!(field_of("payments.create", base(s("29.99"))).as_deref(), Some("amount"));
        ok("identify", obj(vec![("user_id", s("u1")), ("visitorId", s(VISITOR)), ("plan", s("pro"))]));
        assert_eq!(
            field_of("identify", obj(vec![("user_id", s(&"u".repeat(256))), ("visitorId", s(VISITOR))])).as_deref(),
            Some("user_id")
        );
        assert_eq!(
            field_of("identify", obj(vec![("user_id", s("u1")), ("visitorId", s(VISITOR)), ("Plan", s("pro"))]))
                .as_deref(),
            Some("Plan")
        );
    }

    #[test]
    fn website_creation() {
        assert_eq!(field_of("admin.websites.create", obj(vec![("timezone", s("UTC"))])).as_deref(), Some("domain"));
        assert!(rule_of("admin.websites.create", obj(vec![("domain", s("https://x.com")), ("timezone", s("UTC"))]))
            .contains("scheme"));
        assert_eq!(field_of("admin.websites.create", obj(vec![("domain", s("x.com"))])).as_deref(), Some("timezone"));
        assert_eq!(
            field_of("admin.websites.update", obj(vec![("kpiColorScheme", s("mauve"))])).as_deref(),
            Some("kpiColorScheme")
        );
        ok("admin.websites.update", obj(vec![("name", Value::Null), ("excludedIps", arr(vec![s("10.0.0.1")]))]));
    }

    #[test]
    fn funnels_alerts_and_customizations() {
        let page = |url: &str| obj(vec![("name", s("Landing")), ("type", s("pageview")), ("url", s(url))]);
        let goal = |g: &str| obj(vec![("name", s("Signup")), ("type", s("goal")), ("goalName", s(g))]);
        ok("admin.funnels.create", obj(vec![("name", s("F")), ("steps", arr(vec![page("/"), goal("signup")]))]));
        assert!(rule_of("admin.funnels.create", obj(vec![("name", s("F")), ("steps", arr(vec![page("/")]))]))
            .contains("from 2 to 8"));
        assert_eq!(
            field_of(
                "admin.funnels.create",
                obj(vec![("name", s("F")), ("steps", arr(vec![page("/"), goal(&"g".repeat(33))]))])
            )
            .as_deref(),
            Some("steps[1].goalName")
        );
        let no_url = obj(vec![("name", s("Landing")), ("type", s("pageview"))]);
        assert_eq!(
            field_of("admin.funnels.update", obj(vec![("steps", arr(vec![no_url, goal("x")]))])).as_deref(),
            Some("steps[0].url")
        );
        let alert = |message: &str| {
            obj(vec![
                ("name", s("New signup")),
                ("trigger", obj(vec![("goalName", s("signup"))])),
                ("template", obj(vec![("message", s(message))])),
            ])
        };
        ok("admin.alerts.create", alert("A visitor signed up."));
        assert_eq!(field_of("admin.alerts.create", alert("short")).as_deref(), Some("template.message"));
        ok("admin.alerts.update", obj(vec![("template", obj(vec![("subject", s("Hi"))]))]));
        assert!(rule_of("admin.goals.customizations.update", obj(vec![("goalName", s("signup"))]))
            .contains("something to change"));
        ok("admin.goals.customizations.update", obj(vec![("goalName", s("signup")), ("color", Value::Null)]));
        assert_eq!(
            field_of(
                "admin.goals.customizations.update",
                obj(vec![("goalName", s("signup")), ("color", s("#123456"))])
            )
            .as_deref(),
            Some("color")
        );
    }

    #[test]
    fn tokens_team_and_integrations() {
        assert_eq!(
            field_of("admin.tokens.create", obj(vec![("permissions", arr(vec![s("analytics:read"), s("root")]))]))
                .as_deref(),
            Some("permissions[1]")
        );
        assert_eq!(
            field_of("admin.tokens.create", obj(vec![("websiteIds", arr(vec![s("x")]))])).as_deref(),
            Some("websiteIds[0]")
        );
        assert_eq!(field_of("admin.team.invite", obj(vec![("email", s("nope"))])).as_deref(), Some("email"));
        assert_eq!(
            field_of("admin.team.invite", obj(vec![("email", s("a@b.co")), ("role", s("owner"))])).as_deref(),
            Some("role")
        );
        let secret = "sk_live_do_not_echo_me";
        let e = params(find("admin.integrations.stripe.connect").unwrap(), obj(vec![("stripeRak", s(secret))]))
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("stripeRak"));
        assert!(!e.message.contains(secret), "{}", e.message);
        ok("admin.integrations.stripe.connect", obj(vec![("stripeRak", s("rk_live_abcdefgh"))]));
        assert_eq!(
            field_of("admin.integrations.polar.connect", obj(vec![("polarAccessToken", s("t"))])).as_deref(),
            Some("polarOrgId")
        );
    }
}
