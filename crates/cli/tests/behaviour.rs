//! Exit codes, non-terminal behaviour, configuration precedence, login and token masking.

mod common;

use common::*;

#[test]
fn exit_codes_follow_the_documentation() {
    let e = emulator();
    // 2: usage and validation (before sending, and a 400).
    fails(e.owner_cmd(), &["analytics", "pages", "--limit", "0"], 2);
    fails(e.owner_cmd(), &["analytics", "overview", "--period", "fortnight"], 2);
    fails(e.owner_cmd(), &["analytics", "realtime", "--period", "today"], 2);
    let err = fails(e.owner_cmd(), &["visitors", "get", "not-a-uuid"], 2);
    assert!(err.contains("visitorId"), "names the field: {err}");
    // 3: no token, an unknown token, a df_ key on an account-only route.
    fails(e.bare(), &["whoami"], 3);
    fails(e.bare().env("DATAFAST_TOKEN", "dft_unknown0000000000000000000000"), &["whoami"], 3);
    fails(e.bare().env("DATAFAST_SITE_KEY", &e.site_key), &["websites", "list"], 3);
    // 4: not found.
    fails(e.owner_cmd(), &["visitors", "get", "00000000-0000-4000-8000-000000000000"], 4);
    // 1: any other API error (a duplicate is a 409).
    let dup = ["websites", "create", "--domain", "demo.example.com", "--timezone", "UTC"];
    fails(e.owner_cmd(), &dup, 1);
    // 6: nothing listens there.
    fails(e.owner_cmd().env("DATAFAST_API_BASE", "http://127.0.0.1:9"), &["whoami", "--max-retries", "0"], 6);
    // 0.
    ok(e.owner_cmd(), &["analytics", "overview"]);
}

#[test]
fn rate_limits_exit_5_and_server_errors_exit_1() {
    let e = emulator_with(&["--rate-limit", "1/60"]);
    ok(e.owner_cmd(), &["whoami"]);
    let err = fails(e.owner_cmd(), &["whoami", "--max-retries", "0", "--timeout", "2000"], 5);
    assert!(err.contains("rate_limited"), "{err}");

    let e = emulator_with(&["--rate-limit", "off", "--faults", "500"]);
    let err = fails(e.owner_cmd(), &["analytics", "overview", "--max-retries", "1"], 1);
    assert!(err.contains("HTTP 500"), "{err}");
}

#[test]
fn an_all_walk_waits_for_the_rate_limit_window_instead_of_drawing_429s() {
    let e = emulator_with(&["--rate-limit", "2/1"]);
    // One row per page: every page past the second of each second must wait for the window.
    let walked = ok_json(e.owner_cmd(), &["analytics", "browsers", "--all", "--limit", "1"]);
    let rows = walked["data"].as_array().unwrap().len();
    assert!(rows >= 4, "{rows} pages walked: too few to cross a window");
    let text =
        ureq::get(format!("{}/__emulator/rate-limit", e.base)).call().unwrap().body_mut().read_to_string().unwrap();
    let stats: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stats["data"]["served429"], 0, "{stats}");
}

#[test]
fn timeouts_exit_6() {
    let e = emulator_with(&["--rate-limit", "off", "--faults", "slow=3000"]);
    let err = fails(e.owner_cmd(), &["analytics", "overview", "--timeout", "300"], 6);
    assert!(err.contains("timeout"), "{err}");
}

#[test]
fn without_a_terminal_missing_values_are_usage_errors_not_prompts() {
    let e = emulator();
    let owner = || {
        let mut c = e.bare();
        c.env("DATAFAST_TOKEN", &e.owner);
        c
    };
    let err = fails(owner(), &["analytics", "overview"], 2);
    assert!(err.contains("--website"), "{err}");
    fails(owner(), &["funnels", "list"], 2);
    fails(e.owner_cmd(), &["funnels", "view"], 2);
    fails(e.owner_cmd(), &["tokens", "delete"], 2);
    let err = fails(e.owner_cmd(), &["websites", "apikeys", "delete", "0123456789abcdef01234567"], 2);
    assert!(err.contains("--yes"), "{err}");
    fails(e.owner_cmd(), &["websites", "create", "--domain", "x.example.org"], 2);
    // A login without a token on stdin says so instead of waiting.
    fails(e.bare(), &["login"], 2);
}

#[test]
fn environment_wins_over_the_config_file() {
    let e = emulator();
    std::fs::create_dir_all(e.config_path().parent().unwrap()).unwrap();
    let file = serde_json::json!({
        "token": "dft_stalefilevalue00000000000000000",
        "apiBase": "http://127.0.0.1:9",
        "defaultWebsiteId": e.site,
    });
    std::fs::write(e.config_path(), file.to_string()).unwrap();
    // The file's token is unknown and its API base closed: only the environment can succeed.
    let mut cmd = e.bare();
    cmd.env("DATAFAST_TOKEN", &e.owner);
    let me = ok_json(cmd, &["whoami"]);
    assert_eq!(me["email"], "owner@demo.example.com");
    let mut cmd = e.bare();
    cmd.env("DATAFAST_TOKEN", &e.owner);
    let shown = ok_json(cmd, &["config", "show"]);
    assert_eq!(shown["token"]["source"], "from DATAFAST_TOKEN");
    assert_eq!(shown["apiBase"]["source"], "from DATAFAST_API_BASE");
    assert_eq!(shown["website"]["source"], "from the config file");
    // Without the variables the file is used (and its closed API base fails the call).
    let mut cmd = e.bare();
    cmd.env_remove("DATAFAST_API_BASE");
    fails(cmd, &["whoami", "--max-retries", "0"], 6);
    // --website wins over the default; a df_ key needs no website at all.
    let mut cmd = e.bare();
    cmd.env("DATAFAST_TOKEN", &e.owner);
    let other = ok_json(cmd, &["--website", &e.other_site, "analytics", "metadata"]);
    assert_eq!(other["domain"], "shop.example.com");
    let mut cmd = e.bare();
    cmd.env("DATAFAST_SITE_KEY", &e.site_key).env("DATAFAST_TOKEN", "");
    std::fs::remove_file(e.config_path()).unwrap();
    assert_eq!(ok_json(cmd, &["analytics", "metadata"])["domain"], "demo.example.com");
}

#[test]
fn login_checks_saves_privately_and_logout_removes() {
    let e = emulator();
    // A token the API refuses is not saved.
    let mut cmd = e.bare();
    cmd.write_stdin("dft_unknown0000000000000000000000\n");
    fails(cmd, &["login"], 3);
    assert!(!e.config_path().exists());
    let mut cmd = e.bare();
    cmd.write_stdin(format!("{}\n", e.owner));
    let out = ok(cmd, &["login"]);
    assert!(out.contains("owner@demo.example.com"));
    assert!(!out.contains(&e.owner), "the token is never printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(e.config_path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    ok(e.bare(), &["--website", &e.site, "analytics", "overview"]);
    ok(e.bare(), &["login", "--token", &e.site_key]);
    ok(e.bare(), &["logout"]);
    fails(e.bare(), &["whoami"], 3);
    let saved = std::fs::read_to_string(e.config_path()).unwrap();
    assert!(!saved.contains("dft_") && !saved.contains("df_"), "{saved}");
}

#[test]
fn tokens_are_masked_everywhere() {
    let e = emulator();
    ok(e.bare(), &["login", "--token", &e.owner]);
    let mut cmd = e.bare();
    cmd.env("DATAFAST_SITE_KEY", &e.site_key);
    let table = ok(cmd, &["config", "show"]);
    let mut cmd = e.bare();
    cmd.env("DATAFAST_SITE_KEY", &e.site_key);
    let json = ok(cmd, &["config", "show", "--json"]);
    for shown in [&table, &json] {
        assert!(!shown.contains(&e.owner[4..]), "{shown}");
        assert!(!shown.contains(&e.site_key[3..]), "{shown}");
        assert!(shown.contains(&format!("dft_****{}", &e.owner[e.owner.len() - 4..])), "{shown}");
    }
    // Errors never carry the token either.
    let bad = "dft_secretvalue1234567890abcdefgh";
    let err = fails(e.bare().env("DATAFAST_TOKEN", bad), &["whoami"], 3);
    assert!(!err.contains("secretvalue"), "{err}");
    let err = fails(e.bare().env("DATAFAST_TOKEN", "dft_has space"), &["whoami"], 3);
    assert!(!err.contains("has space"), "{err}");
}

#[test]
fn no_colour_and_clean_output_for_pipes() {
    let e = emulator();
    let out = ok(e.owner_cmd(), &["analytics", "pages", "--limit", "3"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    let long_line = out.lines().map(str::len).max().unwrap();
    assert!(long_line > 0);
}

#[test]
fn a_group_without_its_command_prints_help_when_not_at_a_terminal() {
    let e = emulator();
    let err = fails(e.owner_cmd(), &["websites"], 2);
    assert!(err.contains("list") && err.contains("apikeys"), "{err}");
    // Usage errors from the parser are one line too.
    let err = fails(e.owner_cmd(), &["analytics", "pages", "--limit", "many"], 2);
    assert!(err.contains("--limit"), "{err}");
    fails(e.owner_cmd(), &["analytics", "nonsense"], 2);
    fails(e.owner_cmd(), &["analytics"], 2);
    let help = ok(e.owner_cmd(), &["analytics", "--help"]);
    assert!(help.contains("--period"));
}
