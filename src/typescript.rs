//! Generates the TypeScript namespace declarations of both clients from the registry, so the
//! `.d.ts` lists exactly the methods the JS entry attaches. The output is committed as
//! `src/wasm/namespaces.d.ts`; a test fails when it is stale (`UPDATE_TYPES=1` rewrites it).

use crate::core::ErrorCode;
use datafast_contract::{rules, Endpoint, Method, ResultShape, Surface, ENDPOINTS};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Parameter and result types of endpoints typed precisely so far; the rest use the generic
/// forms of their shape.
fn known_types(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "analytics.overview" => ("AnalyticsQuery", "Overview"),
        "analytics.pages" => ("BreakdownQuery", "Page<PageRow>"),
        "goals.create" => ("GoalEvent", "GoalCreated"),
        "admin.account.get" => ("never", "Account"),
        "admin.websites.list" => ("never", "Website[]"),
        "admin.websites.create" => ("WebsiteCreate", "WebsiteCreated"),
        _ => return None,
    })
}

fn signature(ep: &Endpoint) -> String {
    let (params, result) = known_types(ep.id).unwrap_or(match ep.shape {
        ResultShape::List => ("Record<string, unknown>", "Record<string, unknown>[]"),
        ResultShape::Page => ("BreakdownQuery", "Page<Record<string, unknown>>"),
        _ => ("Record<string, unknown>", "Record<string, unknown>"),
    });
    let mut args: Vec<String> = ep.path_params().map(|p| format!("{p}: string")).collect();
    if params != "never" {
        let required = matches!(ep.method, Method::Post | Method::Patch) && ep.id != "admin.apikeys.create";
        args.push(format!("params{}: {params}", if required { "" } else { "?" }));
    }
    format!("({}): Promise<{result}>", args.join(", "))
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
    let _ = writeln!(out, "export type FilterDimension = {};\n", union(&mut rules::FILTER_DIMENSIONS.iter().copied()));
    for (class, surface) in [("WebsiteClient", Surface::Website), ("AdminClient", Surface::Admin)] {
        let mut tree = Tree::default();
        for ep in ENDPOINTS.iter().filter(|e| e.surface == surface) {
            let mut parts: Vec<&str> = ep.method_path().split('.').collect();
            let leaf = parts.pop().unwrap_or_default();
            let node = parts.iter().fold(&mut tree, |t, p| t.groups.entry((*p).to_string()).or_default());
            node.leaves.insert(leaf.to_string(), ep);
        }
        let _ = writeln!(out, "export interface {class} {{");
        write_tree(&mut out, &tree, 1);
        out.push_str("}\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_namespaces_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/namespaces.d.ts");
        let generated = super::namespaces();
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "src/wasm/namespaces.d.ts is stale: run `UPDATE_TYPES=1 cargo test -p datafast-wasm typescript`"
        );
        // Every registry entry is declared.
        assert_eq!(generated.matches("/** `").count(), datafast_contract::ENDPOINTS.len());
    }
}
