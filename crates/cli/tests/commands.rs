//! Every curated command against the emulator, in table form and in `--json` form.

mod common;

use common::*;
use serde_json::Value;

/// Runs `args` twice: as a table (checking it shows `expect`) and with `--json` (parsed).
fn both(e: &Emulator, args: &[&str], expect: &str) -> Value {
    let table = ok(e.owner_cmd(), args);
    assert!(table.contains(expect), "datafast {args:?}: table lacks {expect:?}:\n{table}");
    assert!(!table.contains('\u{1b}'), "no colour when stdout is not a terminal");
    ok_json(e.owner_cmd(), args)
}

/// [`both`] for commands that make something: `args(i)` differ per run (names, domains).
fn both_made(e: &Emulator, args: impl Fn(&str) -> Vec<String>, expect: &str) -> Value {
    let table_args = args("t");
    let argv: Vec<&str> = table_args.iter().map(String::as_str).collect();
    let table = ok(e.owner_cmd(), &argv);
    assert!(table.contains(expect), "datafast {argv:?}: table lacks {expect:?}:\n{table}");
    let json_args = args("j");
    let argv: Vec<&str> = json_args.iter().map(String::as_str).collect();
    ok_json(e.owner_cmd(), &argv)
}

fn id_named(list: &Value, field: &str, name: &str) -> String {
    let row =
        list.as_array().unwrap().iter().find(|r| r[field] == name).unwrap_or_else(|| panic!("no {name} in {list}"));
    row["_id"].as_str().unwrap().to_string()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn analytics_reports_in_table_and_json() {
    let e = emulator();
    let overview = both(&e, &["analytics", "overview"], "visitors");
    assert!(overview["visitors"].as_u64().unwrap() > 0);
    both(&e, &["analytics", "overview", "--period", "last7d", "--country", "US"], "bounce_rate");
    let ts = both(&e, &["analytics", "timeseries", "--interval", "day", "--fields", "visitors"], "visitors");
    assert!(ts["data"].as_array().unwrap().len() > 1);
    both(&e, &["analytics", "realtime"], "visitors");
    both(&e, &["analytics", "realtime", "map"], "visitors");
    both(&e, &["analytics", "metadata"], "domain");
    for (report, column) in [
        ("pages", "path"),
        ("referrers", "referrer"),
        ("countries", "country"),
        ("regions", "region"),
        ("cities", "city"),
        ("devices", "device"),
        ("browsers", "browser"),
        ("os", "operating_system"),
        ("campaigns", "visitors"),
        ("hostnames", "hostname"),
        ("goals", "goal"),
    ] {
        let page = both(&e, &["analytics", report, "--limit", "3"], column);
        assert!(page["data"].as_array().unwrap().len() <= 3, "{report}");
        assert_eq!(page["pagination"]["limit"], 3, "{report}");
    }
}

#[test]
fn filters_periods_and_paging() {
    let e = emulator();
    let docs = ok_json(e.owner_cmd(), &["analytics", "pages", "-F", "page:contains=/docs", "--limit", "100"]);
    let rows = docs["data"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["path"].as_str().unwrap().contains("/docs")), "{docs}");
    let all = ok_json(e.owner_cmd(), &["analytics", "pages", "--all", "--limit", "5"]);
    let total = ok_json(e.owner_cmd(), &["analytics", "pages"])["pagination"]["total"].as_u64().unwrap();
    assert_eq!(all["data"].as_array().unwrap().len() as u64, total, "--all walks every page");
    let today = ok_json(e.owner_cmd(), &["analytics", "overview", "--period", "today"]);
    let week = ok_json(e.owner_cmd(), &["analytics", "overview", "--period", "last7d"]);
    assert!(today["visitors"].as_u64() <= week["visitors"].as_u64());
    let csv = ok(e.owner_cmd(), &["analytics", "countries", "--csv", "--limit", "2"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().contains("country"));
    assert_eq!(lines.count(), 2);
    let ranged = ok_json(e.owner_cmd(), &["analytics", "timeseries", "--from", "2020-01-01", "--to", "2020-01-03"]);
    assert!(ranged["data"].as_array().is_some());
}

#[test]
fn visitors_list_and_get() {
    let e = emulator();
    let list = both(&e, &["visitors", "list", "--limit", "5"], "visitor");
    assert!(!list["data"].as_array().unwrap().is_empty());
    let filtered = ok_json(e.owner_cmd(), &["visitors", "list", "--device", "mobile", "--limit", "5"]);
    assert!(filtered["data"].as_array().is_some());
    let one = both(&e, &["visitors", "get", &e.visitor], &e.visitor);
    assert!(one.is_object());
}

#[test]
fn account_and_configuration() {
    let e = emulator();
    let me = both(&e, &["whoami"], "owner@demo.example.com");
    assert_eq!(me["email"], "owner@demo.example.com");
    ok(e.bare(), &["config", "set-website", &e.site]);
    let shown = ok_json(e.bare(), &["config", "show"]);
    assert_eq!(shown["website"]["value"], e.site.as_str());
    assert!(ok(e.bare(), &["config", "show"]).contains(&e.site));
    ok(e.bare(), &["config", "clear-website"]);
    assert_eq!(ok_json(e.bare(), &["config", "show"])["website"], Value::Null);
}

#[test]
fn websites_keys_and_team() {
    let e = emulator();
    let list = both(&e, &["websites", "list"], "demo.example.com");
    assert_eq!(list.as_array().unwrap().len(), 2);
    both(&e, &["website", "get"], "demo.example.com");
    let made = both_made(
        &e,
        |i| strings(&["websites", "create", "--domain", &format!("cli-{i}.example.org"), "--timezone", "UTC"]),
        "cli-t",
    );
    let new_site = made["websiteId"].as_str().unwrap().to_string();
    let updated = ok_json(e.owner_cmd(), &["websites", "update", &new_site, "--name", "CLI", "--cookieless", "true"]);
    assert_eq!(updated["name"], "CLI");
    ok_json(e.owner_cmd(), &["websites", "update", &new_site, "-p", "excludedPaths=/admin,/internal"]);
    both(&e, &["websites", "kpi", "--set", "signup"], "signup");
    let kpi = both(&e, &["websites", "kpi"], "signup");
    assert_eq!(kpi["kpi"], "signup");
    // The API refuses website deletion (CONTRACT: always 403): exit 3.
    fails(e.owner_cmd(), &["websites", "delete", &new_site, "--yes"], 3);

    both(&e, &["websites", "apikeys", "list"], "Demo key");
    let key = both_made(&e, |i| strings(&["websites", "apikeys", "create", "--name", &format!("ci-{i}")]), "ci-t");
    let key_id = key["_id"].as_str().unwrap().to_string();
    both(&e, &["websites", "apikeys", "roll", &key_id], &key_id);
    let keys = ok_json(e.owner_cmd(), &["websites", "apikeys", "list"]);
    let t_key = id_named(&keys, "name", "ci-t");
    ok(e.owner_cmd(), &["websites", "apikeys", "delete", &t_key, "--yes"]);
    ok_json(e.owner_cmd(), &["websites", "apikeys", "delete", &key_id, "--yes"]);

    both(&e, &["websites", "team", "list"], "member@demo.example.com");
    both_made(
        &e,
        |i| strings(&["websites", "team", "invite", "--email", &format!("new-{i}@example.org"), "--role", "viewer"]),
        "new-t@example.org",
    );
    let team = ok_json(e.owner_cmd(), &["websites", "team", "list"]);
    let viewer = team.as_array().unwrap().iter().find(|m| m["role"] == "viewer").unwrap();
    ok(e.owner_cmd(), &["websites", "team", "remove", viewer["userId"].as_str().unwrap(), "--yes"]);
}

#[test]
fn tokens_list_create_delete() {
    let e = emulator();
    both(&e, &["tokens", "list"], "Demo owner token");
    let made = both_made(
        &e,
        |i| strings(&["tokens", "create", "--name", &format!("ci-{i}"), "--permissions", "analytics:read"]),
        "ci-t",
    );
    let id = made["_id"].as_str().unwrap().to_string();
    let t_id = id_named(&ok_json(e.owner_cmd(), &["tokens", "list"]), "name", "ci-t");
    ok(e.owner_cmd(), &["tokens", "delete", &t_id, "--yes"]);
    ok_json(e.owner_cmd(), &["tokens", "delete", &id, "--yes"]);
    let left = ok_json(e.owner_cmd(), &["tokens", "list"]);
    assert!(left.as_array().unwrap().iter().all(|t| t["_id"] != id.as_str()));
}

#[test]
fn funnels_lifecycle() {
    let e = emulator();
    let made = both_made(
        &e,
        |i| strings(&["funnels", "create", "--name", &format!("Signup flow {i}"), "--steps", STEPS]),
        "Signup flow t",
    );
    let id = made["_id"].as_str().unwrap().to_string();
    both(&e, &["funnels", "list"], "Signup flow j");
    let view = both(&e, &["funnels", "view", &e.site, &id, "--period", "last30d"], "Home");
    assert!(view.is_object());
    let off = ok_json(e.owner_cmd(), &["funnels", "update", &id, "--disable"]);
    assert_eq!(off["isActive"], false);
    // A hidden funnel counts as deleted until it is brought back.
    both(&e, &["funnels", "update", &id, "--enable"], &id);
    both(&e, &["funnels", "update", &id, "--name", "Renamed"], "Renamed");
    let t_id = id_named(&ok_json(e.owner_cmd(), &["funnels", "list"]), "name", "Signup flow t");
    ok(e.owner_cmd(), &["funnels", "delete", &t_id, "--yes"]);
    ok_json(e.owner_cmd(), &["funnels", "delete", &id, "--yes"]);
    assert_eq!(ok_json(e.owner_cmd(), &["funnels", "list"]), serde_json::json!([]));
}

#[test]
fn alerts_lifecycle() {
    let e = emulator();
    let args =
        ["alerts", "create", "--name", "Signups", "--goal", "signup", "--message", "Someone signed up just now."];
    let made =
        both_made(&e, |i| args.iter().map(|a| a.replace("Signups", &format!("Signups {i}"))).collect(), "Signups t");
    let id = made["_id"].as_str().unwrap().to_string();
    both(&e, &["alerts", "list"], "Signups j");
    both(&e, &["alerts", "get", &id], "Signups j");
    let off = ok_json(e.owner_cmd(), &["alerts", "update", &id, "--disabled"]);
    assert_eq!(off["isEnabled"], false);
    both(&e, &["alerts", "history", "--limit", "5"], "");
    let t_id = id_named(&ok_json(e.owner_cmd(), &["alerts", "list"]), "name", "Signups t");
    ok(e.owner_cmd(), &["alerts", "delete", &t_id, "--yes"]);
    ok_json(e.owner_cmd(), &["alerts", "delete", &id, "--yes"]);
    fails(e.owner_cmd(), &["alerts", "get", &id], 4);
}

#[test]
fn goals_and_customizations() {
    let e = emulator();
    both(&e, &["goals", "list"], "signup");
    both(&e, &["goals", "colors"], "#ef4444");
    both(&e, &["goals", "customize", "signup", "--display-name", "Sign-ups", "--color", "#22c55e"], "Sign-ups");
    let list = ok_json(e.owner_cmd(), &["goals", "list"]);
    let signup = list.as_array().unwrap().iter().find(|g| g["name"] == "signup").unwrap();
    assert_eq!(signup["displayName"], "Sign-ups");
    both(&e, &["goals", "customizations", "--goal", "signup"], "Sign-ups");
    ok(e.owner_cmd(), &["goals", "reset", "signup"]);
    ok_json(e.owner_cmd(), &["goals", "customize", "signup", "--clear-color", "--description", "Trial starts"]);
    ok_json(e.owner_cmd(), &["goals", "reset", "signup"]);
    let list = ok_json(e.owner_cmd(), &["goals", "list"]);
    let signup = list.as_array().unwrap().iter().find(|g| g["name"] == "signup").unwrap();
    assert_eq!(signup.get("displayName"), None);
}

#[test]
fn completion_scripts() {
    let e = emulator();
    for shell in ["bash", "zsh", "fish"] {
        let script = ok(e.bare(), &["completion", shell]);
        assert!(script.contains("analytics") && script.contains("websites"), "{shell}");
    }
}
