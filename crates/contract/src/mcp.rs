//! The MCP tool catalogue: one tool per registry row, generated from [`crate::registry`] and
//! the input schemas of [`crate::catalog`], for `datafast mcp` and the package's MCP entry.
//!
//! Agents pay for every byte of `tools/list`, so a tool's schema keeps what a model needs to
//! call it right (types, enums, ranges, required fields, short descriptions) and leaves out
//! what only a form renderer uses (`x-kind`, property order, the variants of date strings).
//!
//! Native only, like the catalogue it is built from.

// Like the catalogue it is built from: native, at build time, over JSON objects it has just
// written itself, so an index or an `expect` cannot fail; never linked into the client.
#![allow(clippy::indexing_slicing, clippy::expect_used)]

use crate::catalog::params_schema;
use crate::registry::{Endpoint, Method, ResultShape, Surface};
use crate::responses::{self, Answer, Interface, Prop, Ty};
use crate::{params, rules, ENDPOINTS};
use serde_json::{json, Map, Value};

/// The argument an irreversible tool must carry, set to `true`.
pub const CONFIRM: &str = "confirm";
/// The argument naming the website a tool acts on.
pub const WEBSITE_ID: &str = "websiteId";

/// Tool groups an MCP server can be narrowed to (`--toolsets`), in the order they are listed.
pub const TOOLSETS: &[&str] = &[
    "analytics",
    "visitors",
    "goals",
    "payments",
    "account",
    "websites",
    "tokens",
    "apikeys",
    "funnels",
    "alerts",
    "team",
    "integrations",
];

/// The tool name of an endpoint, as the CLI names its command: the id without `admin.`, with
/// underscores for dots (`admin.funnels.create` → `funnels_create`).
pub fn tool_name(ep: &Endpoint) -> String {
    ep.method_path().replace('.', "_")
}

/// The endpoint a tool name stands for.
pub fn endpoint_of_tool(name: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|ep| tool_name(ep) == name)
}

/// The toolset an endpoint belongs to: its first name segment (`identify` goes with visitors,
/// whose profiles it fills).
pub fn toolset(ep: &Endpoint) -> &'static str {
    let first = ep.method_path().split('.').next().unwrap_or("");
    match first {
        "identify" => "visitors",
        other => TOOLSETS.iter().copied().find(|t| *t == other).unwrap_or("analytics"),
    }
}

/// Deletes, removals, disconnects and key rolls cannot be undone: such a tool refuses to run
/// without `confirm: true`.
pub fn is_irreversible(ep: &Endpoint) -> bool {
    let last = ep.id.rsplit('.').next().unwrap_or("");
    matches!(last, "delete" | "remove" | "disconnect" | "roll")
}

pub fn is_read_only(ep: &Endpoint) -> bool {
    ep.method == Method::Get
}

/// Whether the tool acts on one website, named by `websiteId` (a path segment, or the query
/// parameter the Website API takes with an account token).
pub fn takes_website(ep: &Endpoint) -> bool {
    ep.surface == Surface::Website || ep.path_params().any(|p| p == WEBSITE_ID)
}

/// `tools/list` entries for the endpoints `include` keeps, in registry order.
pub fn tools(include: impl Fn(&Endpoint) -> bool) -> Vec<Value> {
    ENDPOINTS.iter().filter(|ep| include(ep)).map(tool).collect()
}

/// One tool: name, one-line description, input schema and behaviour hints.
pub fn tool(ep: &Endpoint) -> Value {
    let read_only = is_read_only(ep);
    // Only what differs from the protocol's defaults (not read-only, destructive, not
    // idempotent, open world).
    let mut annotations = Map::new();
    if read_only {
        annotations.insert("readOnlyHint".into(), json!(true));
    } else {
        if !is_irreversible(ep) {
            annotations.insert("destructiveHint".into(), json!(false));
        }
        if ep.method.is_idempotent() {
            annotations.insert("idempotentHint".into(), json!(true));
        }
    }
    json!({
        "name": tool_name(ep),
        "description": description(ep),
        "inputSchema": input_schema(ep),
        "annotations": Value::Object(annotations),
    })
}

/// [`tool`] with its `outputSchema`, for servers started to declare them: they add about
/// 23 KB to `tools/list` for the 65 tools (bench/README.md, "MCP"), so they are opt-in.
pub fn tool_with_output(ep: &Endpoint) -> Value {
    let mut tool = tool(ep);
    if let Some(schema) = output_schema(ep) {
        tool["outputSchema"] = schema;
    }
    tool
}

/// How deep an output schema describes the result: its keys and, for lists and pages, the
/// keys of a row. Deeper objects are `{ "type": "object" }`: the whole tree of every result
/// would triple `tools/list`, and a model learns the rest from the first result.
const OUTPUT_DEPTH: usize = 2;

/// The JSON Schema of a tool's `structuredContent`, from the declared response shapes
/// ([`responses`]): the client's result, with a list as `{ data: [...] }` (structured
/// content is an object). `None` for a route that never succeeds.
pub fn output_schema(ep: &Endpoint) -> Option<Value> {
    let page = |row: &Interface, siblings: Option<&Interface>| {
        let mut props = Map::new();
        props.insert("data".into(), json!({ "type": "array", "items": interface_schema(row, 1) }));
        if ep.shape == ResultShape::Page {
            props.insert("pagination".into(), interface_schema(&responses::PAGINATION, 1));
        }
        let mut required = vec![json!("data")];
        if let Some(siblings) = siblings {
            for prop in all_props(siblings) {
                props.insert(prop.name.into(), ty_schema(prop.ty, 1));
                if !prop.optional {
                    required.push(json!(prop.name));
                }
            }
        }
        json!({ "type": "object", "properties": props, "required": required })
    };
    Some(match responses::of(ep.key) {
        Answer::Never => return None,
        Answer::One(ty) => match ty_schema(ty, 0) {
            object if object["type"] == "object" => object,
            other => json!({ "type": "object", "properties": { "data": other }, "required": ["data"] }),
        },
        Answer::List(ty) => json!({
            "type": "object",
            "properties": { "data": { "type": "array", "items": ty_schema(ty, 1) } },
            "required": ["data"],
        }),
        Answer::Page(interface) => match interface.page_of {
            Some(row) => page(row, Some(interface)),
            None => page(interface, None),
        },
        Answer::Body(interface) => interface_schema(interface, 0),
    })
}

/// An interface's own properties after those it extends.
fn all_props(interface: &Interface) -> Vec<&Prop> {
    let mut props = interface.extends.map(all_props).unwrap_or_default();
    props.extend(interface.props.iter().filter(|p| p.name != "status"));
    props
}

fn interface_schema(interface: &Interface, depth: usize) -> Value {
    if depth >= OUTPUT_DEPTH {
        return json!({ "type": "object" });
    }
    let props = all_props(interface);
    let properties: Map<String, Value> =
        props.iter().map(|p| (p.name.to_string(), ty_schema(p.ty, depth + 1))).collect();
    // Rows narrowed by `fields` may lack any property.
    let required: Vec<&str> =
        if interface.narrowed { Vec::new() } else { props.iter().filter(|p| !p.optional).map(|p| p.name).collect() };
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn ty_schema(ty: Ty, depth: usize) -> Value {
    match ty {
        Ty::Str => json!({ "type": "string" }),
        Ty::Num => json!({ "type": "number" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Unknown | Ty::Never => json!({}),
        Ty::Lit(options) => json!({ "enum": options }),
        Ty::Ref(interface) => interface_schema(interface, depth),
        Ty::Obj(props) => {
            let interface =
                Interface { name: "", doc: "", extends: None, page_of: None, props, open: true, narrowed: false };
            interface_schema(&interface, depth)
        }
        Ty::Arr(item) => json!({ "type": "array", "items": ty_schema(*item, depth + 1) }),
        Ty::Map(_) => json!({ "type": "object" }),
        Ty::Null(inner) => match ty_schema(*inner, depth) {
            Value::Object(mut schema) if schema.get("type").is_some_and(Value::is_string) => {
                let t = schema["type"].clone();
                schema.insert("type".into(), json!([t, "null"]));
                Value::Object(schema)
            }
            other => json!({ "anyOf": [other, { "type": "null" }] }),
        },
        Ty::Alias(_, inner) => ty_schema(*inner, depth),
        Ty::Either(options) => json!({ "anyOf": options.iter().map(|t| ty_schema(*t, depth)).collect::<Vec<_>>() }),
    }
}

/// How a server turns a call of the tool into a call of the endpoint: the endpoint id, the
/// path ids in order (`websiteId` first where there is one), whether the endpoint takes a
/// parameter object, where the website goes, and the checks before calling.
pub fn route(ep: &Endpoint) -> Value {
    let website = if ep.path_params().any(|p| p == WEBSITE_ID) {
        json!("path")
    } else if ep.surface == Surface::Website {
        json!("query")
    } else {
        Value::Null
    };
    json!({
        "endpoint": ep.id,
        "surface": match ep.surface { Surface::Website => "website", Surface::Admin => "admin" },
        "ids": ep.path_params().collect::<Vec<_>>(),
        "params": !params::of(ep.id).is_empty(),
        "website": website,
        "irreversible": is_irreversible(ep),
        "readOnly": is_read_only(ep),
        "toolset": toolset(ep),
        "permission": ep.permission.as_str(),
        "websiteKey": ep.allows(crate::TokenKind::WebsiteKey),
    })
}

/// `Funnels: create.` plus what a caller must know.
fn description(ep: &Endpoint) -> String {
    let mut words = ep.method_path().split('.').map(|w| w.replace('_', " "));
    let head = words.next().unwrap_or_default();
    let rest: Vec<String> = words.collect();
    let mut text = capitalize(&head);
    if !rest.is_empty() {
        text.push_str(": ");
        text.push_str(&rest.join(" "));
    }
    text.push('.');
    if ep.shape == ResultShape::Page {
        text.push_str(" Paged.");
    }
    if is_irreversible(ep) {
        text.push_str(" Irreversible: needs confirm: true.");
    }
    text
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The tool's arguments: the path ids, `websiteId` where the tool acts on a website, the
/// endpoint's parameters, and `confirm` for irreversible tools, all at the top level.
pub fn input_schema(ep: &Endpoint) -> Value {
    let mut schema = params_schema(params::of(ep.id));
    lean(&mut schema);
    let obj = schema.as_object_mut().expect("params_schema builds an object");
    let properties = obj.entry("properties").or_insert_with(|| json!({}));
    let mut path_props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    if takes_website(ep) {
        // Optional: the server's instructions say the configured website is the default.
        path_props.insert(WEBSITE_ID.into(), json!({ "type": "string" }));
    }
    // Ids are plain strings here: the server checks their form and says which is wrong.
    for name in ep.path_params().filter(|p| *p != WEBSITE_ID) {
        path_props.insert(name.into(), json!({ "type": "string" }));
        required.push(json!(name));
    }
    if is_irreversible(ep) {
        path_props.insert(CONFIRM.into(), json!({ "const": true }));
        required.push(json!(CONFIRM));
    }
    // Ids first, as in the CLI's argument order.
    let params = std::mem::take(properties.as_object_mut().expect("properties is an object"));
    path_props.extend(params);
    *properties = Value::Object(path_props);
    if let Some(Value::Array(existing)) = obj.get("required") {
        required.extend(existing.iter().cloned());
    }
    if !required.is_empty() {
        obj.insert("required".into(), Value::Array(required));
    }
    schema
}

/// Drops what only a form needs and writes the common kinds compactly: aliases go (a tool
/// needs one name per thing), generic descriptions go where the type says it all.
fn lean(schema: &mut Value) {
    let Value::Object(map) = schema else {
        if let Value::Array(items) = schema {
            items.iter_mut().for_each(lean);
        }
        return;
    };
    match map.get("x-kind").and_then(Value::as_str) {
        // Either form of date is a string; the server's instructions give the forms once.
        Some("date") => {
            map.remove("anyOf");
            map.remove("description");
        }
        Some("timezone") => {
            map.remove("description");
        }
        Some("filters") => {
            map.clear();
            map.insert("type".into(), json!("object"));
            map.insert("description".into(), json!(FILTERS_SHAPE));
        }
        Some("values") => {
            let generic = map.get("description").and_then(Value::as_str).is_some_and(|d| d.starts_with("Exact value"));
            let description = map.remove("description");
            map.clear();
            map.insert("type".into(), json!(["string", "array"]));
            map.insert("items".into(), json!({ "type": "string" }));
            if let Some(d) = description.filter(|_| !generic) {
                map.insert("description".into(), d);
            }
        }
        Some("fields") => {
            let values = map.get("x-values").cloned().unwrap_or(Value::Null);
            map.clear();
            map.insert("type".into(), json!("array"));
            map.insert("items".into(), json!({ "enum": values }));
        }
        _ => {}
    }
    fold_nullable(map);
    // `additionalProperties: false` goes too: the server refuses an unknown argument by name.
    map.retain(|key, value| {
        let redundant =
            (key == "minLength" && *value == json!(0)) || (key == "additionalProperties" && *value == json!(false));
        !key.starts_with("x-") && key != "dependentSchemas" && !redundant
    });
    // `{ goalName }`-style words repeat what the properties already say.
    if map.contains_key("properties")
        && map.get("description").and_then(Value::as_str).is_some_and(|d| d.starts_with("`{"))
    {
        map.remove("description");
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        props.retain(|_, p| !p["description"].as_str().is_some_and(|d| d.starts_with("Alias of")));
        // Paging needs no words: the bounds are in the schema.
        for name in ["limit", "offset"] {
            if let Some(Value::Object(p)) = props.get_mut(name) {
                p.remove("description");
            }
        }
    }
    let kept: Option<Vec<String>> =
        map.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect());
    if let Some(kept) = kept {
        drop_rules_on_missing(map, &kept);
    }
    for value in map.values_mut() {
        lean(value);
    }
}

/// The filter object's shape; its dimensions and operators are listed once, in
/// [`instructions`], rather than in each of the 14 tools that take filters.
const FILTERS_SHAPE: &str = "{dimension: value | [values] | {operator: value}}";

/// The server's `instructions`: what every tool shares, said once.
pub fn instructions() -> String {
    format!(
        "DataFast web analytics. Tools act on one website: `websiteId` defaults to the configured \
         website. Dates: YYYY-MM-DD (a day in the website's time zone) or an ISO 8601 time with Z or \
         an offset; startAt and endAt go together; timezone: an IANA name. filters: {FILTERS_SHAPE}, values OR-ed, filters \
         AND-ed; dimensions: {}; operators: {}. Irreversible tools (delete, remove, disconnect, \
         roll) run only with confirm: true.",
        rules::FILTER_DIMENSIONS.join(", "),
        rules::FILTER_OPERATORS.join(", ")
    )
}

/// `{anyOf: [{type: "string", …}, {type: "null"}]}` → `{type: ["string", "null"], …}`.
fn fold_nullable(map: &mut Map<String, Value>) {
    let Some(Value::Array(alternatives)) = map.get("anyOf") else { return };
    let [Value::Object(inner), null] = alternatives.as_slice() else { return };
    if *null != json!({ "type": "null" }) {
        return;
    }
    let Some(Value::String(ty)) = inner.get("type") else { return };
    let mut folded = inner.clone();
    folded.insert("type".into(), json!([ty, "null"]));
    map.remove("anyOf");
    for (key, value) in folded {
        map.entry(key).or_insert(value);
    }
}

/// Keeps `required`, `dependentRequired` and `anyOf` alternatives to the properties left.
fn drop_rules_on_missing(map: &mut Map<String, Value>, kept: &[String]) {
    let known = |v: &Value| v.as_str().is_some_and(|n| kept.iter().any(|k| k == n));
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.retain(known);
    }
    if let Some(Value::Object(dependent)) = map.get_mut("dependentRequired") {
        dependent.retain(|name, _| kept.iter().any(|k| k == name));
    }
    if let Some(Value::Array(all_of)) = map.get_mut("allOf") {
        for rule in all_of.iter_mut() {
            rule.as_object_mut().map(|r| r.remove("description"));
            if let Some(Value::Array(any_of)) = rule.get_mut("anyOf") {
                any_of.retain(|alt| alt["required"].as_array().is_some_and(|r| r.iter().all(known)));
            }
        }
        // One alternative left (the others were aliases) is a plain requirement.
        let mut now_required = Vec::new();
        all_of.retain(|rule| match rule["anyOf"].as_array() {
            Some(alternatives) if alternatives.len() == 1 => {
                now_required.extend(alternatives[0]["required"].as_array().cloned().unwrap_or_default());
                false
            }
            _ => true,
        });
        if !now_required.is_empty() {
            let required = map.entry("required").or_insert_with(|| json!([]));
            if let Value::Array(required) = required {
                required.extend(now_required);
            }
        }
    }
    if map.get("allOf").and_then(Value::as_array).is_some_and(Vec::is_empty) {
        map.remove("allOf");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;

    fn schema(id: &str) -> Value {
        input_schema(find(id).unwrap())
    }

    #[test]
    fn one_tool_per_endpoint_with_a_unique_name() {
        let all = tools(|_| true);
        assert_eq!(all.len(), ENDPOINTS.len());
        let mut names: Vec<&str> = all.iter().map(|t| t["name"].as_str().unwrap()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ENDPOINTS.len());
        for ep in ENDPOINTS {
            assert_eq!(endpoint_of_tool(&tool_name(ep)).map(|e| e.id), Some(ep.id));
            assert!(TOOLSETS.contains(&toolset(ep)), "{}", ep.id);
            assert!(tool_name(ep).chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", ep.id);
        }
        assert_eq!(tool_name(find("admin.funnels.create").unwrap()), "funnels_create");
        assert_eq!(tool_name(find("analytics.overview").unwrap()), "analytics_overview");
        assert_eq!(toolset(find("admin.apikeys.roll").unwrap()), "apikeys");
        assert_eq!(toolset(find("identify").unwrap()), "visitors");
        assert_eq!(endpoint_of_tool("funnels_bogus"), None);
    }

    /// No path id or `confirm` shadows a parameter of the same name.
    #[test]
    fn arguments_do_not_collide() {
        for ep in ENDPOINTS {
            let spec = params::of(ep.id);
            for name in ep.path_params().chain([CONFIRM, WEBSITE_ID]) {
                assert!(spec.field(name).is_none(), "{}: {name} is both an id and a parameter", ep.id);
            }
        }
    }

    #[test]
    fn hints_follow_the_method_and_irreversible_tools_need_confirm() {
        let delete = tool(find("admin.funnels.delete").unwrap());
        assert_eq!(delete["annotations"], json!({ "idempotentHint": true }));
        assert_eq!(delete["inputSchema"]["required"], json!(["funnelId", "confirm"]));
        assert!(delete["description"].as_str().unwrap().contains("confirm: true"));
        let create = tool(find("goals.create").unwrap());
        assert_eq!(create["annotations"], json!({ "destructiveHint": false }));
        let update = tool(find("admin.funnels.update").unwrap());
        assert_eq!(update["annotations"], json!({ "destructiveHint": false, "idempotentHint": true }));
        let read = tool(find("analytics.pages").unwrap());
        assert_eq!(read["annotations"], json!({ "readOnlyHint": true }));
        for ep in ENDPOINTS {
            let required = input_schema(ep)["required"].clone();
            let needs_confirm = required.as_array().is_some_and(|r| r.contains(&json!(CONFIRM)));
            assert_eq!(needs_confirm, is_irreversible(ep), "{}", ep.id);
        }
        let irreversible: Vec<&str> = ENDPOINTS.iter().filter(|e| is_irreversible(e)).map(|e| e.id).collect();
        assert!(irreversible.contains(&"admin.apikeys.roll") && irreversible.contains(&"admin.team.remove"));
        assert!(
            irreversible.contains(&"admin.integrations.stripe.disconnect") && irreversible.contains(&"payments.delete")
        );
    }

    #[test]
    fn schemas_keep_the_rules_and_drop_form_hints() {
        let pages = schema("analytics.pages");
        assert_eq!(pages["properties"]["limit"]["maximum"], rules::BREAKDOWN_LIMIT_MAX);
        assert_eq!(pages["properties"]["filters"]["type"], "object");
        assert!(instructions().contains("utm_campaign") && instructions().contains("does_not_contain"));
        assert_eq!(pages["properties"]["startAt"]["type"], "string");
        assert_eq!(pages["dependentRequired"]["startAt"], json!(["endAt"]));
        assert!(pages["properties"]["websiteId"].is_object());
        assert!(!pages.to_string().contains("x-"), "{pages}");
        let visitor = schema("visitors.get");
        assert_eq!(visitor["required"], json!(["visitorId"]));
        assert_eq!(visitor["properties"]["visitorId"]["type"], "string");
        let goal = schema("goals.create");
        assert_eq!(goal["required"], json!(["name", "datafast_visitor_id"]), "the alias visitorId is left out");
        assert!(goal["properties"].get("visitorId").is_none());
        let tokens = schema("admin.tokens.create");
        assert!(tokens["properties"].get("websiteId").is_none());
        let timeseries = schema("analytics.timeseries");
        assert_eq!(timeseries["required"], json!(["fields", "interval"]));
    }

    #[test]
    fn output_schemas_follow_the_declared_shapes() {
        let pages = output_schema(find("analytics.pages").unwrap()).unwrap();
        assert_eq!(pages["required"], json!(["data"]));
        assert_eq!(pages["properties"]["data"]["items"]["properties"]["visitors"]["type"], "number");
        // Rows narrowed by `fields` may lack any key.
        assert!(pages["properties"]["data"]["items"].get("required").is_none());
        assert_eq!(pages["properties"]["pagination"]["required"], json!(["limit", "offset"]));
        let list = output_schema(find("admin.funnels.list").unwrap()).unwrap();
        assert_eq!(list["properties"]["data"]["type"], "array");
        let one = output_schema(find("admin.funnels.create").unwrap()).unwrap();
        assert_eq!(one["type"], "object");
        assert!(one["properties"]["_id"].is_object());
        assert_eq!(output_schema(find("admin.websites.delete").unwrap()), None);
        for ep in ENDPOINTS {
            if let Some(schema) = output_schema(ep) {
                assert_eq!(schema["type"], "object", "{}: structured content is an object", ep.id);
            }
        }
    }

    /// `tools/list` for all 65 tools stays small enough to send to a model every session.
    #[test]
    fn the_whole_list_is_lean() {
        let bytes = serde_json::to_vec(&json!({ "tools": tools(|_| true) })).unwrap().len();
        assert!(bytes <= 32 * 1024, "tools/list is {bytes} bytes");
    }
}
