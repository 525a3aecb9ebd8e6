//! Generates the TypeScript namespace declarations of both clients from the registry, so the
//! `.d.ts` lists exactly the methods the JS entry attaches, and the result types from the
//! declared responses. The output is committed as `src/wasm/namespaces.d.ts` and
//! `src/wasm/results.d.ts`; a test fails when either is stale (`UPDATE_TYPES=1` rewrites them).

use crate::core::ErrorCode;
use datafast_contract::params::{Extra, Field, Kind, Params};
use datafast_contract::responses::{self, Answer, Ty};
use datafast_contract::{rules, Endpoint, EndpointId, Permission, ResultShape, Surface, ENDPOINTS};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The TypeScript result type of an endpoint, from its declared answer
/// ([`datafast_contract::responses`], generated into `results.d.ts`).
fn result_type(key: EndpointId) -> String {
    match responses::of(key) {
        Answer::One(ty) => ts(ty),
        Answer::List(ty) => array_of(ty),
        // A page interface with siblings extends `Page<Row>` itself.
        Answer::Page(i) if i.page_of.is_some() => i.name.to_string(),
        Answer::Page(row) => format!("Page<{}>", row.name),
        Answer::Body(i) => i.name.to_string(),
        Answer::Never => "never".into(),
    }
}

/// A declared type as TypeScript.
fn ts(ty: Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Unknown => "unknown".into(),
        Ty::Never => "never".into(),
        Ty::Lit(options) => options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(" | "),
        Ty::Ref(i) => i.name.to_string(),
        Ty::Alias(name, _) => name.to_string(),
        Ty::Obj(props) => {
            let members: Vec<String> = props
                .iter()
                .map(|p| format!("{}{}: {}", p.name, if p.optional { "?" } else { "" }, ts(p.ty)))
                .collect();
            format!("{{ {} }}", members.join("; "))
        }
        Ty::Arr(item) => array_of(*item),
        Ty::Map(value) => format!("Record<string, {}>", ts(*value)),
        Ty::Null(inner) => format!("{} | null", ts(*inner)),
        Ty::Either(options) => options.iter().map(|t| ts(*t)).collect::<Vec<_>>().join(" | "),
    }
}

/// `T[]`, or `Array<T>` where `T[]` would misread (`a | b[]`, `{ … }[]`).
fn array_of(item: Ty) -> String {
    let inner = ts(item);
    if inner.contains([' ', '|']) {
        format!("Array<{inner}>")
    } else {
        format!("{inner}[]")
    }
}

/// The result interfaces of every endpoint, as committed in `src/wasm/results.d.ts`.
pub fn results() -> String {
    let mut out = String::from(
        "// Generated from datafast_contract::responses by src/typescript.rs. Do not edit.\n\
         // Rows carry every metric unless `fields` narrows them; the API may add keys later, and they\n\
         // reach you untouched.\n",
    );
    for i in responses::INTERFACES {
        out.push('\n');
        if !i.doc.is_empty() {
            let _ = writeln!(out, "/** {} */", i.doc);
        }
        let extends = match (i.page_of, i.extends) {
            (Some(row), _) => format!(" extends Page<{}>", row.name),
            (None, Some(base)) => format!(" extends {}", base.name),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "export interface {}{extends} {{", i.name);
        for p in i.props {
            if !p.doc.is_empty() {
                let _ = writeln!(out, "  /** {} */", p.doc);
            }
            let _ = writeln!(out, "  {}{}: {};", p.name, if p.optional { "?" } else { "" }, ts(p.ty));
        }
        if i.open {
            let _ = writeln!(out, "  [key: string]: unknown;");
        }
        out.push_str("}\n");
    }
    out
}

/// `admin.funnels.create` → `FunnelsCreateParams`.
fn params_type_name(ep: &Endpoint) -> String {
    let mut name: String = ep
        .method_path()
        .split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    name.push_str("Params");
    name
}

fn literal_union(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" | ")
}

fn ts_kind(kind: Kind) -> String {
    match kind {
        Kind::Text { .. } | Kind::GoalName { .. } => "string".into(),
        Kind::Str(rule) => rule.ts.into(),
        Kind::OneOf(options) => literal_union(options),
        Kind::Bool => "boolean".into(),
        Kind::Int { .. } | Kind::Offset | Kind::Amount => "number".into(),
        Kind::Date => "string | Date".into(),
        Kind::Metadata => "Record<string, string>".into(),
        Kind::Filters => "Filters".into(),
        Kind::Fields(list) => format!("OneOrMany<{}>", literal_union(list)),
        Kind::Values { .. } => "OneOrMany<string>".into(),
        Kind::Permissions => "readonly Permission[]".into(),
        Kind::ObjectIds | Kind::Strings => "readonly string[]".into(),
        Kind::Color => "GoalColor".into(),
        Kind::FunnelSteps => "readonly FunnelStepInput[]".into(),
        Kind::Object(fields) => {
            let members: Vec<String> = fields.iter().map(|f| member(f, "")).collect();
            format!("{{ {} }}", members.join(" "))
        }
    }
}

/// One property; a top-level one (`pad` non-empty) gets its doc comment on its own line.
fn member(field: &Field, pad: &str) -> String {
    let doc = match (field.doc.is_empty(), pad.is_empty()) {
        (true, _) => String::new(),
        (false, true) => format!("/** {} */ ", field.doc),
        (false, false) => format!("{pad}/** {} */\n{pad}", field.doc),
    };
    let null = if field.nullable { " | null" } else { "" };
    let optional = if field.required { "" } else { "?" };
    let lead = if doc.is_empty() { pad } else { "" };
    format!("{lead}{doc}{}{optional}: {}{null};", field.name, ts_kind(field.kind))
}

/// `export interface FunnelsCreateParams { … }` for an endpoint that takes input.
fn params_interface(out: &mut String, ep: &Endpoint, spec: &Params) {
    let _ = writeln!(out, "/** Input of `{}` (`{} {}`). */", ep.method_path(), ep.method, ep.path);
    let _ = writeln!(out, "export interface {} {{", params_type_name(ep));
    for field in spec.all() {
        let _ = writeln!(out, "{}", member(field, "  "));
    }
    if spec.extra == Extra::Metadata {
        let _ = writeln!(out, "  /** Any other key is stored on the profile (≤ 10 keys; text ≤ 255 characters). */");
        let _ = writeln!(out, "  [field: string]: string | number | boolean | null | undefined;");
    }
    let _ = writeln!(out, "}}");
}

fn signature(ep: &Endpoint) -> String {
    let spec = ep.params();
    let mut args: Vec<String> = ep.path_params().map(|p| format!("{p}: string")).collect();
    if !spec.is_empty() {
        let optional = if spec.required() { "" } else { "?" };
        args.push(format!("params{optional}: {} | null", params_type_name(ep)));
    }
    args.push("options?: RequestOptions".into());
    let result = result_type(ep.key);
    let promise = if ep.shape == ResultShape::Page {
        format!("PagePromise<{result}>")
    } else {
        format!("DataFastPromise<{result}>")
    };
    format!("({}): {promise}", args.join(", "))
}

#[derive(Default)]
struct Tree {
    leaves: BTreeMap<String, &'static Endpoint>,
    groups: BTreeMap<String, Tree>,
}

fn write_tree(out: &mut String, tree: &Tree, indent: usize) {
    let pad = "  ".repeat(indent);
    for (name, ep) in &tree.leaves {
        let _ = writeln!(out, "{pad}/** `{} {}` ({}) */", ep.method, ep.path, ep.id);
        let _ = writeln!(out, "{pad}{name}{};", signature(ep));
    }
    for (name, sub) in &tree.groups {
        let _ = writeln!(out, "{pad}readonly {name}: {{");
        write_tree(out, sub, indent + 1);
        let _ = writeln!(out, "{pad}}};");
    }
}

pub fn namespaces() -> String {
    let mut out = String::from("// Generated from the endpoint registry by src/typescript.rs. Do not edit.\n\n");
    let union =
        |items: &mut dyn Iterator<Item = &str>| items.map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" | ");
    let _ = writeln!(out, "export type DataFastErrorCode = {};", union(&mut ErrorCode::ALL.iter().map(|c| c.as_str())));
    let _ = writeln!(out, "export type FilterDimension = {};", union(&mut rules::FILTER_DIMENSIONS.iter().copied()));
    let _ = writeln!(out, "export type Permission = {};", union(&mut Permission::ALL.iter().map(|p| p.as_str())));
    let _ = writeln!(out, "export type GoalColor = {};", union(&mut rules::GOAL_COLORS.iter().map(|c| c.color)));
    for (alias, surface) in [("WebsiteEndpointId", Surface::Website), ("AdminEndpointId", Surface::Admin)] {
        let ids = ENDPOINTS.iter().filter(|e| e.surface == surface).map(|e| e.id);
        let _ = writeln!(out, "export type {alias} = {};", union(&mut ids.into_iter()));
    }
    out.push('\n');
    for ep in ENDPOINTS {
        let spec = ep.params();
        if !spec.is_empty() {
            params_interface(&mut out, ep, spec);
            out.push('\n');
        }
    }
    for (class, surface) in [("WebsiteClient", Surface::Website), ("AdminClient", Surface::Admin)] {
        let mut tree = Tree::default();
        for ep in ENDPOINTS.iter().filter(|e| e.surface == surface) {
            let path = ep.js_method_path();
            let mut parts: Vec<&str> = path.split('.').collect();
            let leaf = parts.pop().unwrap_or_default();
            let node = parts.iter().fold(&mut tree, |t, p| t.groups.entry((*p).to_string()).or_default());
            node.leaves.insert(leaf.to_string(), ep);
        }
        let ids = if surface == Surface::Website { "WebsiteEndpointId" } else { "AdminEndpointId" };
        let _ = writeln!(out, "export interface {class} {{");
        let _ =
            writeln!(out, "  /** Calls an endpoint by its registry id: path ids, then parameters, then options. */");
        let _ = writeln!(out, "  request(endpointId: {ids}, ...args: unknown[]): DataFastPromise<unknown>;");
        write_tree(&mut out, &tree, 1);
        out.push_str("}\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    /// `generated` equals the committed `file` under src/wasm (`UPDATE_TYPES=1` rewrites it).
    fn assert_committed(file: &str, generated: &str) {
        let path = format!("{}/src/wasm/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(&path, generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "src/wasm/{file} is stale: run `UPDATE_TYPES=1 cargo test -p datafast-wasm typescript`"
        );
    }

    #[test]
    fn committed_results_are_current() {
        assert_committed("results.d.ts", &super::results());
    }

    #[test]
    fn committed_namespaces_are_current() {
        let generated = super::namespaces();
        assert_committed("namespaces.d.ts", &generated);
        // Every registry entry is declared, with its parameter type when it takes input.
        for ep in datafast_contract::ENDPOINTS {
            assert!(generated.contains(&format!("` ({}) */", ep.id)), "{} has no method", ep.id);
            if !ep.params().is_empty() {
                assert!(generated.contains(&format!("interface {} {{", super::params_type_name(ep))), "{}", ep.id);
            }
        }
    }
}
