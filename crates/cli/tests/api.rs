//! `datafast api` on every endpoint of the registry: each called once with a valid input,
//! as the owner, against the emulator. The endpoint list comes from the registry, so a new
//! endpoint without a sample here fails the test.

mod common;

use common::*;
use datafast_contract::registry::ENDPOINTS;
use serde_json::Value;

/// Makes an object through the CLI and answers its id.
fn make(e: &Emulator, args: &[&str]) -> String {
    let made = ok_json(e.owner_cmd(), args);
    made["_id"].as_str().unwrap_or_else(|| panic!("{args:?} made no _id: {made}")).to_string()
}

/// The arguments of a successful `datafast api <id> …` call, preparing what it needs.
fn sample(e: &Emulator, id: &str, n: usize) -> Vec<String> {
    let site = e.site.clone();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let funnel = || {
        make(e, &["api", "admin.funnels.create", &e.site, "-p", &format!("name=F{n}"), "-p", &format!("steps={STEPS}")])
    };
    let alert = || {
        let body = r#"{"name":"A","trigger":{"goalName":"signup"},"template":{"message":"A visitor signed up."}}"#;
        make(e, &["api", "admin.alerts.create", &e.site, "--body", body])
    };
    match id {
        "analytics.timeseries" => s(&["-p", "fields=visitors", "-p", "interval=day", "-p", "limit=5"]),
        "analytics.funnel" => vec![funnel()],
        "visitors.get" => vec![e.visitor.clone()],
        "goals.create" => s(&["-p", &format!("datafast_visitor_id={}", e.visitor), "-p", "name=cli_goal"]),
        "goals.delete" => s(&["-p", "name=cli_goal"]),
        // The registry lists the create first: the delete removes that payment.
        "payments.create" => s(&["--body", r#"{"amount":19.5,"currency":"USD","transaction_id":"tx_cli"}"#]),
        "payments.delete" => s(&["-p", "transaction_id=tx_cli"]),
        "identify" => s(&["-p", "user_id=cli-user", "-p", &format!("datafast_visitor_id={}", e.visitor)]),
        "admin.account.update" => s(&["-p", "name=CLI Owner"]),
        "admin.tokens.create" => s(&["-p", "name=cli", "-p", "permissions=analytics:read"]),
        "admin.tokens.delete" => vec![make(e, &["api", "admin.tokens.create", "-p", "name=victim"])],
        "admin.websites.create" => s(&["-p", &format!("domain=cli{n}.example.org"), "-p", "timezone=UTC"]),
        "admin.websites.update" => s(&[&site, "-p", "kpi=signup", "-p", "isCookieless=true"]),
        "admin.apikeys.create" => s(&[&site, "-p", "name=cli"]),
        "admin.apikeys.roll" | "admin.apikeys.delete" => {
            vec![site.clone(), make(e, &["api", "admin.apikeys.create", &e.site, "-p", "name=victim"])]
        }
        "admin.goals.customizations.update" => s(&[&site, "-p", "goalName=signup", "-p", "displayName=Sign-ups"]),
        "admin.goals.customizations.delete" => s(&[&site, "-p", "goalName=signup"]),
        "admin.funnels.create" => s(&[&site, "-p", &format!("name=Funnel {n}"), "-p", &format!("steps={STEPS}")]),
        "admin.funnels.update" => vec![site.clone(), funnel(), "-p".into(), "isActive=false".into()],
        "admin.funnels.delete" => vec![site.clone(), funnel()],
        "admin.alerts.create" => s(&[
            &site,
            "--body",
            r#"{"name":"Alert","trigger":{"goalName":"signup"},"template":{"message":"A visitor signed up."}}"#,
        ]),
        "admin.alerts.update" => vec![site.clone(), alert(), "-p".into(), "isEnabled=false".into()],
        "admin.alerts.delete" => vec![site.clone(), alert()],
        "admin.alerts.history" => s(&[&site, "-p", "limit=5"]),
        "admin.team.invite" => s(&[&site, "-p", &format!("email=invitee{n}@example.org")]),
        "admin.team.remove" => {
            let team = ok_json(e.owner_cmd(), &["api", "admin.team.list", &e.site]);
            let viewer = team.as_array().unwrap().iter().find(|m| m["role"] == "viewer").unwrap().clone();
            s(&[&site, "-p", &format!("userId={}", viewer["userId"].as_str().unwrap())])
        }
        "admin.integrations.stripe.connect" => s(&[&site, "-p", "stripeRak=rk_live_51NcliRestrictedKey"]),
        "admin.integrations.lemonsqueezy.connect" => {
            s(&[&site, "-p", "lemonsqueezyApiKey=ls_cli_key", "-p", "lemonsqueezyStoreId=12345"])
        }
        "admin.integrations.polar.connect" => {
            s(&[&site, "-p", "polarAccessToken=polar_oat_cli", "-p", "polarOrgId=org_cli"])
        }
        "admin.integrations.paddle.connect" => s(&[&site, "-p", "paddleApiKey=pdl_live_apikey_cli0123456789"]),
        id if id.starts_with("admin.")
            && id != "admin.account.get"
            && id != "admin.tokens.list"
            && id != "admin.websites.list" =>
        {
            vec![site]
        }
        _ => Vec::new(),
    }
}

#[test]
fn every_registry_endpoint_through_datafast_api() {
    let e = emulator();
    let listed = ok_json(e.owner_cmd(), &["api"]);
    assert_eq!(listed.as_array().unwrap().len(), ENDPOINTS.len(), "`datafast api` lists the registry");
    assert_eq!(ENDPOINTS.len(), 65);
    let mut failures = Vec::new();
    for (n, ep) in ENDPOINTS.iter().enumerate() {
        let mut args = vec!["api".to_string(), ep.id.to_string()];
        args.extend(sample(&e, ep.id, n));
        args.push("--json".into());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run(e.owner_cmd(), &argv);
        // The API refuses deleting a website to every caller (CONTRACT: 403).
        let expected = if ep.id == "admin.websites.delete" { 3 } else { 0 };
        if code != expected {
            failures.push(format!("{}: exit {code} (expected {expected}): {err}", ep.id));
            continue;
        }
        if code == 0 && serde_json::from_str::<Value>(&out).is_err() {
            failures.push(format!("{}: --json printed non-JSON: {out}", ep.id));
        }
    }
    assert!(failures.is_empty(), "{} endpoint(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn api_types_parameters_and_reports_bad_ones_by_name() {
    let e = emulator();
    let page = ok_json(e.owner_cmd(), &["api", "analytics.pages", "-p", "limit=2", "-F", "country=US"]);
    assert_eq!(page["pagination"]["limit"], 2);
    let err = fails(e.owner_cmd(), &["api", "analytics.pages", "-p", "limit=5000"], 2);
    assert!(err.contains("`limit`"), "{err}");
    let err = fails(e.owner_cmd(), &["api", "analytics.pages", "-p", "limit=lots"], 2);
    assert!(err.contains("`limit`"), "{err}");
    let err = fails(e.owner_cmd(), &["api", "analytics.pages", "-p", "colour=red"], 2);
    assert!(err.contains("colour"), "{err}");
    let err = fails(e.owner_cmd(), &["api", "no.such.endpoint"], 2);
    assert!(err.contains("no.such.endpoint"), "{err}");
    let err = fails(e.owner_cmd(), &["api", "admin.funnels.list"], 2);
    assert!(err.contains("websiteId"), "{err}");
    let err = fails(e.owner_cmd(), &["api", "analytics.overview", "--body", "{not json"], 2);
    assert!(err.contains("--body"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, r#"{"name":"From a file","steps":[{"name":"a","type":"pageview","url":"/"}]}"#).unwrap();
    let err =
        fails(e.owner_cmd(), &["api", "admin.funnels.create", &e.site, "--body", &format!("@{}", body.display())], 2);
    assert!(err.contains("steps"), "2–8 steps are checked before sending: {err}");
}
