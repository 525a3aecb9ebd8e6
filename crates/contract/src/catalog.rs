//! The endpoint catalogue as JSON: every registry row with its docs group and a JSON Schema
//! of its input, generated from [`crate::registry`] and [`crate::params`].
//!
//! Tools that build requests from data read it: the playground renders one form per endpoint
//! from it, and an MCP server takes each endpoint's `params` schema as a tool's input schema.
//! Standard JSON Schema (2020-12) keywords carry the rules a generic validator understands
//! (types, enums, ranges, `required`, `dependentRequired` for fields given together); every
//! property also has `x-kind`, the contract's own name for what it holds (`date`, `goalName`,
//! `fields`, `filters`, `objectId`…), so a form can pick the right control without guessing.
//! The checks themselves stay in [`crate::params::check`]: the schema describes, the client
//! and the emulator enforce.
//!
//! Native only: it carries the parameter docs, which are not compiled into the wasm client.
//! `cargo run -p datafast-contract --example catalog` prints it.

// Builds, natively and at build time, JSON objects it has just written itself: indexing them
// cannot fail, and this module is never linked into the client.
#![allow(clippy::indexing_slicing, clippy::expect_used)]

use crate::params::{self, Extra, Field, Kind, Params, Rule};
use crate::registry::{Endpoint, ResultShape, Surface, TokenRule};
use crate::{rules, Permission, API_PREFIX, DEFAULT_BASE_URL, ENDPOINTS};
use serde_json::{json, Map, Value};

/// The endpoint docs pages, in `endpoints.tsv` order (the registry's order).
const ENDPOINTS_TSV: &str = include_str!("../endpoints.tsv");
const DOCS_ROOT: &str = "https://datafa.st/docs/api/";

/// The whole catalogue: `{ apiPrefix, defaultBaseUrl, groups, endpoints }`.
pub fn catalog() -> Value {
    let docs = docs_pages();
    let endpoints: Vec<Value> = ENDPOINTS.iter().zip(&docs).map(|(ep, page)| endpoint(ep, page)).collect();
    // Each group once, where its first endpoint is (the registry follows the docs' order,
    // except that a few analytics routes sit with their own group further down).
    let mut groups: Vec<Value> = Vec::new();
    for (ep, page) in ENDPOINTS.iter().zip(&docs) {
        if !groups.iter().any(|g| g["id"] == page.group.as_str()) {
            groups.push(json!({
                "id": page.group,
                "title": title(&page.group),
                "surface": surface(ep.surface),
            }));
        }
    }
    json!({
        "apiPrefix": API_PREFIX,
        "defaultBaseUrl": DEFAULT_BASE_URL,
        "groups": groups,
        "endpoints": endpoints,
    })
}

/// An endpoint's entry in the docs: its group (`breakdowns`, `website-keys`) and page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocsPage {
    pub group: String,
    /// `None` where the docs have no page of its own (the integration disconnects).
    pub url: Option<String>,
}

/// The docs group and page of every registry row, from the source column of `endpoints.tsv`
/// (`…/docs/api/website/breakdowns/pages`). A row without a page of its own belongs to the
/// group of the row before it (the disconnects follow their integration's connect).
pub fn docs_pages() -> Vec<DocsPage> {
    let mut pages: Vec<DocsPage> = Vec::with_capacity(ENDPOINTS.len());
    for row in ENDPOINTS_TSV.lines().skip(1) {
        let source = row.split('\t').nth(6).unwrap_or("");
        let path = source.strip_prefix(DOCS_ROOT).unwrap_or("");
        let mut parts = path.split('/').skip(1);
        let page = match (parts.next(), parts.next()) {
            (Some(group), Some(_)) => DocsPage { group: group.to_string(), url: Some(source.to_string()) },
            _ => DocsPage { group: pages.last().map(|p| p.group.clone()).unwrap_or_default(), url: None },
        };
        pages.push(page);
    }
    pages
}

/// `website-keys` → `Website keys`.
fn title(group: &str) -> String {
    let words = group.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn surface(s: Surface) -> &'static str {
    match s {
        Surface::Website => "website",
        Surface::Admin => "admin",
    }
}

fn endpoint(ep: &Endpoint, page: &DocsPage) -> Value {
    let spec = params::of(ep.id);
    let tokens: &[&str] = match ep.tokens {
        TokenRule::Any => &["df_", "dft_"],
        TokenRule::AccountOnly => &["dft_"],
    };
    let result = match ep.shape {
        ResultShape::One => "one",
        ResultShape::List => "list",
        ResultShape::Page => "page",
        ResultShape::Envelope => "envelope",
        ResultShape::Bare => "bare",
    };
    let input = if spec.is_empty() {
        "none"
    } else if ep.has_body() {
        "body"
    } else {
        "query"
    };
    let path_params: Vec<Value> =
        ep.path_params().map(|name| json!({ "name": name, "schema": path_param_schema(name) })).collect();
    json!({
        "id": ep.id,
        "methodPath": ep.method_path(),
        "jsMethodPath": ep.js_method_path(),
        "group": page.group,
        "docs": page.url,
        "surface": surface(ep.surface),
        "method": ep.method.as_str(),
        "path": ep.path,
        "permission": ep.permission.as_str(),
        "tokens": tokens,
        "result": result,
        "input": input,
        "pathParams": path_params,
        "params": params_schema(spec),
    })
}

/// Path ids: visitor ids are UUIDs, every other id an ObjectId (as the client checks them).
fn path_param_schema(name: &str) -> Value {
    if name == "visitorId" {
        string_format("uuid")
    } else {
        string_format("objectId")
    }
}

/// The JSON Schema of one endpoint's parameter object.
pub fn params_schema(spec: &Params) -> Value {
    let mut schema = object_schema(&spec.all().collect::<Vec<_>>());
    let obj = schema.as_object_mut().expect("object_schema builds an object");
    if spec.extra == Extra::Metadata {
        // identify: other keys are profile fields under the metadata limits.
        obj.insert("additionalProperties".into(), json!({ "type": ["string", "number", "boolean"] }));
        obj.insert("maxProperties".into(), json!(spec.all().count() + rules::METADATA_MAX_KEYS));
    }
    let mut dependent = Map::new();
    let mut any_of = Vec::new();
    let mut dependent_schemas = Map::new();
    for rule in spec.rules {
        match *rule {
            Rule::Together(a, b) => {
                dependent.insert(a.into(), json!([b]));
                dependent.insert(b.into(), json!([a]));
            }
            Rule::AtLeastOne(names, what) => {
                any_of.push(json!({
                    "description": format!("at least one of {}: {what}", names.join(", ")),
                    "anyOf": names.iter().map(|n| json!({ "required": [n] })).collect::<Vec<_>>(),
                }));
            }
            // A client-side copy; the schema lists both spellings as fields already.
            Rule::SentAs(..) => {}
            Rule::Excludes(these, others) => {
                for this in these {
                    let clash: Vec<Value> = others.iter().map(|o| json!({ "required": [o] })).collect();
                    dependent_schemas.insert((*this).into(), json!({ "not": { "anyOf": clash } }));
                }
            }
        }
    }
    if !dependent.is_empty() {
        obj.insert("dependentRequired".into(), Value::Object(dependent));
    }
    if !dependent_schemas.is_empty() {
        obj.insert("dependentSchemas".into(), Value::Object(dependent_schemas));
    }
    if !any_of.is_empty() {
        obj.insert("allOf".into(), Value::Array(any_of));
    }
    schema
}

fn object_schema(fields: &[&Field]) -> Value {
    let properties: Map<String, Value> = fields.iter().map(|f| (f.name.to_string(), field_schema(f))).collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name).collect();
    // The table's order (dates before paging, required fields first in bodies), which the
    // JSON object itself does not keep.
    let order: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "x-propertyOrder": order,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn field_schema(field: &Field) -> Value {
    let mut schema = kind_schema(field.kind);
    if !field.doc.is_empty() {
        schema["description"] = json!(field.doc);
    }
    if field.nullable {
        // `null` clears the field: allowed besides the kind's own type.
        schema["x-nullable"] = json!(true);
        schema = json!({ "anyOf": [schema, { "type": "null" }], "x-kind": schema["x-kind"].clone() });
        if !field.doc.is_empty() {
            schema["description"] = json!(field.doc);
        }
    }
    schema
}

fn string_format(format: &str) -> Value {
    let mut schema = json!({ "type": "string", "x-kind": format });
    match format {
        "objectId" => schema["pattern"] = json!("^[0-9a-fA-F]{24}$"),
        "uuid" | "email" | "hostname" => schema["format"] = json!(format),
        "currency" => schema["pattern"] = json!("^[A-Za-z]{3}$"),
        "stripeRestrictedKey" => schema["pattern"] = json!("^rk_live_"),
        "paddleApiKey" => schema["pattern"] = json!("^pdl_live_"),
        _ => {}
    }
    schema
}

fn comma_list_or_array(items: Value) -> Value {
    json!([{ "type": "string" }, { "type": "array", "items": items }])
}

fn kind_schema(kind: Kind) -> Value {
    match kind {
        Kind::Text { min, max } => json!({ "type": "string", "minLength": min, "maxLength": max, "x-kind": "text" }),
        Kind::OneOf(options) => json!({ "type": "string", "enum": options, "x-kind": "enum" }),
        Kind::Bool => json!({ "type": "boolean", "x-kind": "boolean" }),
        Kind::Int { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max, "x-kind": "integer" }),
        Kind::Offset => json!({ "type": "integer", "minimum": 0, "x-kind": "integer" }),
        Kind::Amount => json!({ "type": "number", "minimum": 0, "x-kind": "amount" }),
        Kind::Date => json!({
            "type": "string",
            "anyOf": [{ "format": "date" }, { "format": "date-time" }],
            "x-kind": "date",
        }),
        Kind::GoalName { max } => json!({
            "type": "string",
            "minLength": 1,
            "maxLength": max,
            "pattern": "^[A-Za-z0-9_:\\- ]+$",
            "x-kind": "goalName",
        }),
        Kind::Str(rule) => string_format(rule.format),
        Kind::Metadata => json!({
            "type": "object",
            "maxProperties": rules::METADATA_MAX_KEYS,
            "propertyNames": { "pattern": "^[a-z0-9_-]+$", "maxLength": rules::METADATA_KEY_MAX },
            "additionalProperties": { "type": "string", "maxLength": rules::METADATA_VALUE_MAX },
            "x-kind": "metadata",
        }),
        Kind::Filters => {
            let values = json!({ "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }] });
            let by_operator = json!({
                "type": "object",
                "propertyNames": { "enum": rules::FILTER_OPERATORS },
                "additionalProperties": values.clone(),
            });
            json!({
                "type": "object",
                "propertyNames": { "enum": rules::FILTER_DIMENSIONS },
                "additionalProperties": { "anyOf": [values["anyOf"][0], values["anyOf"][1], by_operator] },
                "x-kind": "filters",
            })
        }
        Kind::Fields(list) => json!({
            "anyOf": comma_list_or_array(json!({ "type": "string", "enum": list })),
            "x-kind": "fields",
            "x-values": list,
        }),
        Kind::Values { max } => json!({
            "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string", "minLength": 1 }, "maxItems": max }],
            "x-kind": "values",
        }),
        Kind::Permissions => json!({
            "type": "array",
            "items": { "type": "string", "enum": Permission::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>() },
            "x-kind": "permissions",
        }),
        Kind::ObjectIds => json!({ "type": "array", "items": string_format("objectId"), "x-kind": "objectIds" }),
        Kind::Strings => json!({ "type": "array", "items": { "type": "string" }, "x-kind": "strings" }),
        Kind::Color => json!({
            "type": "string",
            "enum": rules::GOAL_COLORS.iter().map(|c| c.color).collect::<Vec<_>>(),
            "x-labels": rules::GOAL_COLORS.iter().map(|c| c.label).collect::<Vec<_>>(),
            "x-kind": "color",
        }),
        Kind::FunnelSteps => {
            let step = |target: &str, target_kind: Value| {
                let mut properties = Map::new();
                properties.insert("name".into(), kind_schema(Kind::Text { min: 1, max: rules::FUNNEL_NAME_MAX }));
                properties.insert("type".into(), json!({ "const": if target == "url" { "pageview" } else { "goal" } }));
                properties.insert(target.into(), target_kind);
                properties.insert("id".into(), json!({ "type": "string" }));
                json!({
                    "type": "object",
                    "properties": properties,
                    "required": ["name", "type", target],
                    "additionalProperties": false,
                })
            };
            json!({
                "type": "array",
                "minItems": rules::FUNNEL_STEPS_MIN,
                "maxItems": rules::FUNNEL_STEPS_MAX,
                "items": { "oneOf": [
                    step("url", json!({ "type": "string", "minLength": 1 })),
                    step("goalName", kind_schema(Kind::GoalName { max: rules::FUNNEL_STEP_GOAL_NAME_MAX })),
                ] },
                "x-kind": "funnelSteps",
            })
        }
        Kind::Object(fields) => {
            let mut schema = object_schema(&fields.iter().collect::<Vec<_>>());
            schema["x-kind"] = json!("object");
            schema
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(cat: &'a Value, id: &str) -> &'a Value {
        cat["endpoints"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()
    }

    #[test]
    fn every_endpoint_once_with_a_docs_group() {
        let cat = catalog();
        let endpoints = cat["endpoints"].as_array().unwrap();
        assert_eq!(endpoints.len(), ENDPOINTS.len());
        for (e, ep) in endpoints.iter().zip(ENDPOINTS) {
            assert_eq!(e["id"], ep.id);
            assert!(!e["group"].as_str().unwrap().is_empty(), "{}", ep.id);
            assert_eq!(e["pathParams"].as_array().unwrap().len(), ep.path_params().count());
        }
        // Groups in the docs' order, each listed once.
        let groups: Vec<&str> = cat["groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
        let mut unique = groups.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), groups.len(), "{groups:?}");
        assert_eq!(&groups[..3], ["analytics", "breakdowns", "goals"]);
        assert_eq!(entry(&cat, "analytics.pages")["group"], "breakdowns");
        assert_eq!(entry(&cat, "analytics.goals")["group"], "goals");
        assert_eq!(entry(&cat, "admin.integrations.paddle.disconnect")["group"], "integrations");
        assert_eq!(entry(&cat, "admin.integrations.paddle.disconnect")["docs"], Value::Null);
        assert_eq!(cat["groups"][1]["title"], "Breakdowns");
        let keys = cat["groups"].as_array().unwrap().iter().find(|g| g["id"] == "website-keys").unwrap();
        assert_eq!(keys["title"], "Website keys");
        assert_eq!(keys["surface"], "admin");
    }

    #[test]
    fn schemas_carry_the_parameter_table() {
        let cat = catalog();
        let ts = &entry(&cat, "analytics.timeseries")["params"];
        assert_eq!(ts["required"], json!(["fields", "interval"]));
        assert_eq!(ts["properties"]["interval"]["enum"], json!(params::TIMESERIES_INTERVALS));
        assert_eq!(ts["properties"]["startAt"]["x-kind"], "date");
        assert_eq!(ts["properties"]["limit"]["maximum"], rules::BREAKDOWN_LIMIT_MAX);
        assert_eq!(ts["dependentRequired"]["startAt"], json!(["endAt"]));
        assert_eq!(ts["additionalProperties"], false);
        assert_eq!(ts["x-propertyOrder"][0], "startAt");
        assert_eq!(ts["x-propertyOrder"].as_array().unwrap().len(), 8);
        assert!(ts["properties"]["timezone"]["description"].as_str().unwrap().contains("IANA"));

        let goals = &entry(&cat, "goals.create");
        assert_eq!(goals["input"], "body");
        assert_eq!(goals["params"]["allOf"][0]["anyOf"][1], json!({ "required": ["visitorId"] }));
        assert_eq!(goals["params"]["properties"]["datafast_visitor_id"]["format"], "uuid");

        let visitors = &entry(&cat, "visitors.list")["params"];
        assert_eq!(visitors["dependentSchemas"]["goal"]["not"]["anyOf"][0], json!({ "required": ["isCustomer"] }));
        let get = entry(&cat, "visitors.get");
        assert_eq!(get["input"], "none");
        assert_eq!(get["pathParams"][0], json!({ "name": "visitorId", "schema": string_format("uuid") }));

        let custom = &entry(&cat, "admin.goals.customizations.update")["params"]["properties"]["color"];
        assert_eq!(custom["x-kind"], "color");
        assert_eq!(custom["anyOf"][1], json!({ "type": "null" }));
        assert_eq!(custom["anyOf"][0]["enum"].as_array().unwrap().len(), rules::GOAL_COLORS.len());

        let alerts = &entry(&cat, "admin.alerts.create")["params"]["properties"]["template"];
        assert_eq!(alerts["required"], json!(["message"]));
        assert_eq!(alerts["properties"]["message"]["minLength"], rules::ALERT_MESSAGE_MIN);
        let filters = &entry(&cat, "analytics.overview")["params"]["properties"]["filters"];
        assert_eq!(filters["propertyNames"]["enum"], json!(rules::FILTER_DIMENSIONS));
        assert_eq!(entry(&cat, "identify")["params"]["additionalProperties"]["type"][0], "string");
    }

    /// Every property says what it holds, so a form never falls back to a guess.
    #[test]
    fn every_property_has_a_kind() {
        fn walk(id: &str, schema: &Value) {
            if let Some(props) = schema["properties"].as_object() {
                for (name, p) in props {
                    assert!(p["x-kind"].is_string(), "{id}.{name} has no x-kind");
                    walk(id, p);
                }
            }
        }
        for e in catalog()["endpoints"].as_array().unwrap() {
            walk(e["id"].as_str().unwrap(), &e["params"]);
        }
    }
}
