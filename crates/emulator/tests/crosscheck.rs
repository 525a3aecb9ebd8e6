//! The client and the emulator refuse the same input, naming the same field.
//!
//! Each endpoint's sample input (`datafast_contract::samples`) is broken in ways generated
//! from its parameter table (`datafast_contract::params`): every field given a bad value of
//! its kind, every required field left out, an unknown field added, bad filters, one half of
//! a `Together` pair. Each broken input must be refused by the client's planner before
//! sending (the native core the wasm package runs) and answered 400 by the emulator with a
//! message that starts with the same field, `` `field` ``, unless the route forgives it as
//! the contract documents (`validate::forgives`), when it must answer 200.

mod common;

use common::*;
use datafast_contract::params::{Extra, Kind, Rule};
use datafast_contract::registry::{ResultShape, TokenRule};
use datafast_contract::{Endpoint, API_PREFIX, ENDPOINTS};
use datafast_emulator::validate;
use datafast_wasm::core::request::{plan, Credentials};
use datafast_wasm::core::{ErrorCode, Value as ClientValue};
use serde_json::{json, Map, Value};

/// A well-formed id for path placeholders other than the website: input is checked before
/// any object is looked up.
const SOME_ID: &str = "665f0b3c4d2e1a0012345678";

/// A bad value for a field, and whether only a JSON body can carry it (a query carries text,
/// so `123` for a text field arrives as the valid string "123").
struct Bad {
    value: Value,
    body_only: bool,
}

fn bad(value: Value) -> Bad {
    Bad { value, body_only: false }
}
fn typed(value: Value) -> Bad {
    Bad { value, body_only: true }
}

/// Bad values for a field of `kind`, generated from the kind's own limits.
fn bad_values(kind: Kind) -> Vec<Bad> {
    match kind {
        Kind::Text { min, max } => {
            let mut out = vec![bad(json!("x".repeat(max + 1))), typed(json!(123))];
            if min > 0 {
                out.push(bad(json!(" ")));
            }
            out
        }
        Kind::OneOf(_) => vec![bad(json!("not-an-option")), typed(json!(true))],
        Kind::Bool => vec![bad(json!("maybe")), typed(json!(1))],
        Kind::Int { min, max } => {
            let mut out = vec![bad(json!("ten")), bad(json!(u64::from(max) + 1)), bad(json!(1.5))];
            if min > 0 {
                out.push(bad(json!(min - 1)));
            }
            out
        }
        Kind::Offset | Kind::Amount => vec![bad(json!(-1)), bad(json!("ten"))],
        Kind::Date => vec![bad(json!("May 1")), bad(json!("2026-02-30"))],
        Kind::GoalName { max } => {
            vec![bad(json!("Bad.Name!")), bad(json!("identify")), bad(json!("g".repeat(max + 1)))]
        }
        Kind::Str(_) => vec![bad(json!("not valid!")), bad(json!("")), typed(json!(7))],
        Kind::Metadata => vec![typed(json!({"Bad Key": "v"})), typed(json!("plan=pro"))],
        Kind::Filters => {
            vec![bad(json!({"planet": "mars"})), bad(json!({"country": {"contains": "U"}})), bad(json!("country=US"))]
        }
        Kind::Fields(_) => vec![bad(json!("bogus_field")), bad(json!("visitors,,"))],
        Kind::Values { max } => vec![bad(json!((0..=max).map(|i| format!("v{i}")).collect::<Vec<_>>()))],
        Kind::Permissions => vec![typed(json!(["root"])), typed(json!("analytics:read"))],
        Kind::ObjectIds => vec![typed(json!(["x"])), typed(json!("x"))],
        Kind::Strings => vec![typed(json!("10.0.0.1")), typed(json!([1]))],
        Kind::Color => vec![typed(json!("#123456")), typed(json!(3))],
        Kind::FunnelSteps => vec![
            typed(json!([])),
            typed(json!([{"name": "A", "type": "click"}, {"name": "B", "type": "pageview", "url": "/"}])),
            typed(json!([{"name": "A", "type": "goal"}, {"name": "B", "type": "pageview", "url": "/"}])),
        ],
        Kind::Object(_) => vec![typed(json!("text")), typed(json!({"bogus": 1}))],
    }
}

/// Every broken variant of `sample` for `ep`: (what was done, the input).
fn breakages(ep: &Endpoint, sample: &Map<String, Value>) -> Vec<(String, Map<String, Value>)> {
    let spec = ep.params();
    let mut out = Vec::new();
    let with = |name: &str, v: Value| {
        let mut m = sample.clone();
        m.insert(name.to_string(), v);
        m
    };
    for field in spec.all() {
        for b in bad_values(field.kind).into_iter().filter(|b| ep.has_body() || !b.body_only) {
            out.push((format!("{} = {}", field.name, b.value), with(field.name, b.value)));
        }
        if field.required {
            let mut m = sample.clone();
            m.remove(field.name);
            out.push((format!("without {}", field.name), m));
        }
    }
    let unknown = if spec.extra == Extra::Metadata { "Not A Key" } else { "bogusField" };
    out.push((format!("unknown {unknown}"), with(unknown, json!("1"))));
    for rule in spec.rules {
        if let Rule::Together(a, b) = *rule {
            let mut m = sample.clone();
            m.remove(a);
            m.remove(b);
            m.insert(a.to_string(), json!("2026-05-01"));
            out.push((format!("{a} without {b}"), m));
        }
    }
    out
}

struct Site {
    id: String,
    visitor: String,
}

/// What the client says about `input`: the field it refuses, or `None` when it would send.
fn client_refusal(ep: &'static Endpoint, site: &Site, input: &Map<String, Value>) -> Option<String> {
    let credentials = match ep.tokens {
        TokenRule::AccountOnly => Credentials::new("dft_crosscheck", Some(site.id.clone())),
        TokenRule::Any => Credentials::new("df_crosscheck", None),
    }
    .unwrap();
    let args: Vec<String> = ep.path_params().map(|name| path_value(name, site)).collect();
    let value = ClientValue::from_json(&Value::Object(input.clone()));
    match plan(ep, &credentials, "http://127.0.0.1:1", &args, Some(value)) {
        Ok(_) => None,
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidParams, "{}: {e:?}", ep.id);
            Some(e.field.unwrap_or_else(|| panic!("{}: refusal names no field: {}", ep.id, e.message)))
        }
    }
}

fn path_value(name: &str, site: &Site) -> String {
    match name {
        "websiteId" => site.id.clone(),
        "visitorId" => site.visitor.clone(),
        _ => SOME_ID.to_string(),
    }
}

fn uri(ep: &Endpoint, site: &Site, query: &[(String, String)]) -> String {
    let path: Vec<String> = ep
        .path
        .split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => path_value(name, site),
            None => seg.to_string(),
        })
        .collect();
    let mut pairs = query.to_vec();
    if ep.website_from_query() {
        pairs.push(("websiteId".into(), site.id.clone()));
    }
    let sep = if pairs.is_empty() { "" } else { "?" };
    format!("{API_PREFIX}{}{sep}{}", path.join("/"), query_string(&pairs))
}

/// The emulator's answer: its status and error message (bare on `POST /payments`).
async fn emulator_answer(e: &Emu, ep: &Endpoint, site: &Site, input: &Map<String, Value>) -> (u16, String) {
    let (uri, body) = if ep.has_body() {
        (uri(ep, site, &[]), Some(Value::Object(input.clone()).to_string()))
    } else {
        (uri(ep, site, &query_pairs(input)), None)
    };
    let r = e.call(ep.method.as_str(), &uri, Some(e.owner()), body.as_deref()).await;
    let message = if ep.shape == ResultShape::Bare && r.json["error"].is_string() {
        r.json["error"].as_str().unwrap_or_default().to_string()
    } else {
        r.message().to_string()
    };
    (r.status.as_u16(), message)
}

#[tokio::test]
async fn client_and_emulator_refuse_the_same_broken_samples() {
    let e = emu();
    let site = Site { id: e.site(0).to_string(), visitor: e.creds.websites[0].sample_visitor_id.clone() };
    let mut problems = Vec::new();
    let mut compared = 0;
    for ep in ENDPOINTS {
        let vars = SampleVars { visitor: &site.visitor, website: &site.id, user: SOME_ID, n: 1 };
        let sample = sample(ep, &vars);
        if let Some(field) = client_refusal(ep, &site, &sample) {
            problems.push(format!("{}: the client refuses the valid sample (`{field}`)", ep.id));
            continue;
        }
        let spec = ep.params();
        let mut refused_fields = std::collections::BTreeSet::new();
        for (what, broken) in breakages(ep, &sample) {
            let Some(field) = client_refusal(ep, &site, &broken) else {
                continue;
            };
            refused_fields.insert(field.split(['.', '[']).next().unwrap_or_default().to_string());
            compared += 1;
            let (status, message) = emulator_answer(&e, ep, &site, &broken).await;
            // What the contract says a route forgives (DECISIONS.md, "Input checks") is accepted.
            let forgiven = !ep.has_body() && query_pairs(&broken).iter().any(|(k, v)| validate::forgives(ep, k, v));
            if forgiven {
                if status != 200 {
                    problems.push(format!(
                        "{} with {what}: forgiven, but the emulator answers {status} {message:?}",
                        ep.id
                    ));
                }
                continue;
            }
            if status != 400 || !message.starts_with(&format!("`{field}`")) {
                problems.push(format!(
                    "{} with {what}: the client names `{field}`, the emulator answers {status} {message:?}",
                    ep.id
                ));
            }
        }
        // Every declared field was broken at least once in a way both sides could see.
        for field in spec.all().filter(|f| !refused_fields.contains(f.name)) {
            problems.push(format!("{}: no generated breakage of `{}` was refused", ep.id, field.name));
        }
    }
    assert!(problems.is_empty(), "{} of {compared} comparisons differ:\n{}", problems.len(), problems.join("\n"));
    assert!(compared > 400, "only {compared} comparisons");
}
