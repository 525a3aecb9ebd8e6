//! Pickers, confirmations, the token prompt and Ctrl+C in a pseudo-terminal.
#![cfg(unix)]

mod common;

use common::*;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};

/// `datafast args…` on a pseudo-terminal, as the owner without a website chosen.
fn spawn(e: &Emulator, args: &[&str]) -> PtySession {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("datafast"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", e.home.path())
        .env("XDG_CONFIG_HOME", e.home.path().join(".config"))
        .env("DATAFAST_API_BASE", &e.base)
        .env("DATAFAST_TOKEN", &e.owner)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    spawn_with_options(cmd, Options::default().timeout_ms(Some(20_000)).strip_ansi_escape_codes(true)).unwrap()
}

/// Waits for the exit and answers its code.
fn exit_code(p: &mut PtySession) -> String {
    let _ = p.exp_eof();
    format!("{:?}", p.process().wait().unwrap())
}

const DOWN: &str = "\x1b[B";

/// Types `keys` once the prompt on screen waits for them: a prompt reads keys only after it
/// has drawn itself and switched the terminal to raw mode.
fn keys(p: &mut PtySession, keys: &str) {
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send(keys).unwrap();
    p.flush().unwrap();
}

#[test]
fn a_missing_website_is_picked_from_the_account() {
    let e = emulator();
    let mut p = spawn(&e, &["analytics", "metadata"]);
    p.exp_string("Website").unwrap();
    p.exp_string("demo.example.com").unwrap();
    p.exp_string("Cancel").unwrap();
    // The second website, then Enter.
    keys(&mut p, &format!("{DOWN}\r"));
    p.exp_string("shop.example.com").unwrap();
    p.exp_string("Europe/Paris").unwrap();
    assert!(exit_code(&mut p).ends_with(", 0)"));
}

#[test]
fn cancel_and_ctrl_c_at_a_picker_exit_130() {
    let e = emulator();
    let mut p = spawn(&e, &["funnels", "list"]);
    p.exp_string("Cancel").unwrap();
    keys(&mut p, &format!("{DOWN}{DOWN}\r"));
    assert!(exit_code(&mut p).ends_with(", 130)"));

    let mut p = spawn(&e, &["goals", "list"]);
    p.exp_string("Cancel").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    assert!(exit_code(&mut p).ends_with(", 130)"));
}

#[test]
fn ctrl_c_during_a_request_exits_130_at_once() {
    // Every response is held back 10 s: the call is in flight when Ctrl+C comes.
    let e = emulator_with(&["--rate-limit", "off", "--faults", "slow=10000"]);
    let mut p = spawn(&e, &["--website", &e.site, "analytics", "overview"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let started = std::time::Instant::now();
    p.send_control('c').unwrap();
    assert!(exit_code(&mut p).ends_with(", 130)"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "did not wait for the response");
}

#[test]
fn deletes_ask_for_confirmation_and_no_keeps_the_object() {
    let e = emulator();
    let made = ok_json(e.owner_cmd(), &["funnels", "create", "--name", "Keep me", "--steps", STEPS]);
    let id = made["_id"].as_str().unwrap().to_string();
    let mut p = spawn(&e, &["--website", &e.site, "funnels", "delete", &id]);
    p.exp_string("Delete funnel").unwrap();
    keys(&mut p, "n");
    assert!(exit_code(&mut p).ends_with(", 130)"));
    assert!(ok(e.owner_cmd(), &["funnels", "list"]).contains("Keep me"));
}

#[test]
fn login_asks_for_the_token_without_echoing_it() {
    let e = emulator();
    let mut p = spawn(&e, &["login"]);
    p.exp_string("Token").unwrap();
    keys(&mut p, &format!("{}\r", e.owner));
    let shown = p.exp_string("Logged in as owner@demo.example.com").unwrap();
    assert!(!shown.contains(&e.owner[4..]), "the token is not echoed: {shown}");
    assert!(exit_code(&mut p).ends_with(", 0)"));
    assert!(e.config_path().exists());
}

#[test]
fn the_funnel_builder_asks_for_each_step() {
    let e = emulator();
    let mut p = spawn(&e, &["--website", &e.site, "funnels", "create", "--name", "Built"]);
    p.exp_string("Step 1 name").unwrap();
    keys(&mut p, "Home\r");
    p.exp_string("Page view").unwrap();
    keys(&mut p, "\r");
    p.exp_string("Page path").unwrap();
    keys(&mut p, "/\r");
    p.exp_string("Step 2 name").unwrap();
    keys(&mut p, "Signed up\r");
    p.exp_string("Goal").unwrap();
    keys(&mut p, &format!("{DOWN}\r"));
    p.exp_string("signup").unwrap();
    keys(&mut p, "\r");
    p.exp_string("Add another step?").unwrap();
    keys(&mut p, "n");
    p.exp_string("Built").unwrap();
    assert!(exit_code(&mut p).ends_with(", 0)"));
    let list = ok_json(e.owner_cmd(), &["funnels", "list"]);
    let steps = &list[0]["steps"];
    assert_eq!(steps.as_array().unwrap().len(), 2, "{list}");
    assert_eq!(steps[1]["goalName"], "signup");
}

#[test]
fn the_settings_editor_saves_each_change() {
    let e = emulator();
    let mut p = spawn(&e, &["--website", &e.site, "websites", "update"]);
    p.exp_string("Setting to change").unwrap();
    p.exp_string("Cancel").unwrap();
    // The table's second setting is the name.
    keys(&mut p, &format!("{DOWN}\r"));
    p.exp_string("name (comma list").unwrap();
    keys(&mut p, "Edited\r");
    p.exp_string("Saved name.").unwrap();
    p.exp_string("Cancel").unwrap();
    keys(&mut p, "q");
    assert!(exit_code(&mut p).ends_with(", 0)"));
    assert_eq!(ok_json(e.owner_cmd(), &["websites", "get"])["name"], "Edited");
}

#[test]
fn a_group_without_its_command_opens_a_menu() {
    let e = emulator();
    let mut p = spawn(&e, &["--website", &e.site, "websites"]);
    p.exp_string("datafast websites").unwrap();
    p.exp_string("Cancel").unwrap();
    keys(&mut p, "\r"); // list
    p.exp_string("shop.example.com").unwrap();
    assert!(exit_code(&mut p).ends_with(", 0)"));

    let mut p = spawn(&e, &["--website", &e.site, "analytics"]);
    p.exp_string("overview").unwrap();
    p.exp_string("Cancel").unwrap();
    keys(&mut p, "\r"); // overview
    p.exp_string("bounce_rate").unwrap();
    assert!(exit_code(&mut p).ends_with(", 0)"));
}
