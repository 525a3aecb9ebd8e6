//! Per-endpoint input checks run before sending, using the contract's shared rules.
//! Each failure names the field and the rule; inputs the API normalizes (goal names) are
//! normalized here so the request carries what the server will store.

use super::error::ClientError;
use super::request::join_scalars;
use super::value::Value;
use datafast_contract::rules::{self, RuleViolation};
use datafast_contract::{Endpoint, ResultShape, Surface};

/// Checks one path argument: visitor ids are UUIDs, every other id an ObjectId.
pub fn path_param(name: &str, value: &str) -> Result<(), ClientError> {
    if name == "visitorId" {
        rules::visitor_id(name, value)?;
    } else {
        rules::object_id(name, value)?;
    }
    Ok(())
}

/// Validates (and normalizes) the input object of a call.
pub fn params(endpoint: &Endpoint, mut input: Value) -> Result<Value, ClientError> {
    if endpoint.surface == Surface::Website && endpoint.method == datafast_contract::Method::Get {
        analytics_query(endpoint, &input)?;
    }
    match endpoint.id {
        "goals.create" => goal_event(&mut input)?,
        "admin.websites.create" => {
            let domain = required_str(&input, "domain")?;
            if domain.contains("://") || domain.contains('/') || domain.contains(char::is_whitespace) {
                return Err(ClientError::invalid_param(
                    "domain",
                    "must be a bare domain such as example.com (no scheme or path)",
                ));
            }
            required_str(&input, "timezone")?;
            optional_str(&input, "name")?;
        }
        _ => {}
    }
    Ok(input)
}

/// Dates, paging and filters shared by analytics and visitor queries.
fn analytics_query(endpoint: &Endpoint, input: &Value) -> Result<(), ClientError> {
    let start = optional_str(input, "startAt")?;
    let end = optional_str(input, "endAt")?;
    rules::date_pair(start, end)?;
    if endpoint.shape == ResultShape::Page {
        let max = if endpoint.id == "visitors.list" { 250 } else { rules::BREAKDOWN_LIMIT_MAX };
        if let Some(limit) = input.field("limit") {
            rules::limit("limit", number(limit, "limit")?, max)?;
        }
        if let Some(offset) = input.field("offset") {
            rules::offset("offset", number(offset, "offset")?)?;
        }
    }
    Ok(())
}

/// `POST /goals`: a visitor UUID (or its alias `visitorId`), a goal name, optional metadata.
fn goal_event(input: &mut Value) -> Result<(), ClientError> {
    let visitor_field = if input.field("datafast_visitor_id").is_some() { "datafast_visitor_id" } else { "visitorId" };
    match input.field(visitor_field) {
        Some(Value::String(id)) => rules::visitor_id(visitor_field, id)?,
        Some(other) => return Err(type_error("datafast_visitor_id", "a string", other)),
        None => {
            return Err(ClientError::invalid_param(
                "datafast_visitor_id",
                "is required (the visitor's datafast_visitor_id cookie)",
            ))
        }
    }
    let name = rules::goal_name("name", required_str(input, "name")?, rules::GOAL_NAME_MAX)?;
    if let Some(slot) = input.get_mut("name") {
        *slot = Value::String(name);
    }
    optional_str(input, "description")?;
    match input.field("metadata") {
        None => {}
        Some(Value::Object(entries)) => {
            rules::metadata("metadata", entries.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        }
        Some(other) => return Err(type_error("metadata", "an object", other)),
    }
    Ok(())
}

/// One entry of `filters`: `"US"`, `["US", "FR"]` or `{ is_not: "France" }` → the text after
/// `filter_<dimension>=`. `None` when the condition is null.
pub fn filter_condition(dimension: &str, condition: &Value) -> Result<Option<String>, ClientError> {
    let field = format!("filters.{dimension}");
    if !rules::FILTER_DIMENSIONS.contains(&dimension) {
        return Err(ClientError::invalid_param(
            field,
            format!("is not a filter dimension; use one of {}", rules::FILTER_DIMENSIONS.join(", ")),
        ));
    }
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
            if !rules::filter_operator_allowed(dimension, op) {
                return Err(ClientError::invalid_param(
                    format!("{field}.{op}"),
                    if rules::FILTER_OPERATORS.contains(&op.as_str()) {
                        "applies only to page and entry_page"
                    } else {
                        "is not an operator; use is, is_not, contains or does_not_contain"
                    },
                ));
            }
            let text = values(v)?;
            Ok(Some(if op == "is" { text } else { format!("{op}:{text}") }))
        }
        other => values(other).map(Some),
    }
}

fn number(v: &Value, field: &str) -> Result<f64, ClientError> {
    v.as_f64().ok_or_else(|| type_error(field, "a number", v))
}

fn required_str<'v>(input: &'v Value, field: &str) -> Result<&'v str, ClientError> {
    match input.field(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(ClientError::invalid_param(field, "must not be empty")),
        Some(other) => Err(type_error(field, "a string", other)),
        None => Err(ClientError::invalid_param(field, "is required")),
    }
}

fn optional_str<'v>(input: &'v Value, field: &str) -> Result<Option<&'v str>, ClientError> {
    match input.field(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(type_error(field, "a string", other)),
    }
}

fn type_error(field: &str, expected: &str, got: &Value) -> ClientError {
    RuleViolation::new(field, format!("must be {expected}, got {}", got.type_name())).into()
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

    #[test]
    fn analytics_dates_and_paging() {
        assert_eq!(field_of("analytics.overview", obj(vec![("startAt", s("2026-05-01"))])).as_deref(), Some("endAt"));
        assert_eq!(field_of("analytics.pages", obj(vec![("limit", Value::number(1001.0))])).as_deref(), Some("limit"));
        assert_eq!(field_of("visitors.list", obj(vec![("limit", Value::number(251.0))])).as_deref(), Some("limit"));
        assert_eq!(field_of("analytics.pages", obj(vec![("offset", s("3"))])).as_deref(), Some("offset"));
        assert_eq!(
            field_of("analytics.overview", obj(vec![("startAt", s("May 1")), ("endAt", s("2026-05-02"))])).as_deref(),
            Some("startAt")
        );
        assert!(params(find("analytics.pages").unwrap(), obj(vec![("limit", Value::number(1000.0))])).is_ok());
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
    }

    #[test]
    fn goal_events() {
        let visitor = ("datafast_visitor_id", s("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"));
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
        let alias = obj(vec![("visitorId", s("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd")), ("name", s("Sign Up"))]);
        let out = params(find("goals.create").unwrap(), alias).unwrap();
        assert_eq!(out.get("name"), Some(&s("sign_up")));
        assert_eq!(
            field_of("goals.create", obj(vec![("visitorId", s("nope")), ("name", s("a"))])).as_deref(),
            Some("visitorId")
        );
    }

    #[test]
    fn website_creation() {
        assert_eq!(field_of("admin.websites.create", obj(vec![("timezone", s("UTC"))])).as_deref(), Some("domain"));
        assert_eq!(
            field_of("admin.websites.create", obj(vec![("domain", s("https://x.com")), ("timezone", s("UTC"))]))
                .as_deref(),
            Some("domain")
        );
        assert_eq!(field_of("admin.websites.create", obj(vec![("domain", s("x.com"))])).as_deref(), Some("timezone"));
    }
}
