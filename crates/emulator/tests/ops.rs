//! Operation features, mostly through the `datafast-emulator` binary over real sockets:
//! `--state` (restart, crash, atomic writes, refusal of bad files), `--faults` (every kind,
//! route filter, rate, run-time switching) and the redacted request log.

mod common;

use common::END_MS;
use datafast_emulator::{app, AppState, Config, FaultPlan, Opened};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

// ---------- a minimal HTTP/1.1 client (no client crate needed) ----------

#[derive(Debug)]
struct Reply {
    status: u16,
    /// Raw header block, names lowercased.
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")))
    }
}

/// One request on a fresh connection. `None`: the connection closed without a response.
/// `auth` is the raw `Authorization` value, so malformed ones can be sent.
async fn send(addr: &str, method: &str, path: &str, auth: Option<&str>, body: Option<&str>) -> Option<Reply> {
    try_send(addr, method, path, auth, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// [`send`] for a server that may die mid-request: connection errors are returned.
async fn try_send(
    addr: &str,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<Option<Reply>> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(a) = auth {
        req += &format!("Authorization: {a}\r\n");
    }
    let body = body.unwrap_or("");
    req += &format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    stream.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw).await {
        Ok(_) if raw.is_empty() => return Ok(None),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && raw.is_empty() => return Ok(None),
        Err(e) => return Err(e),
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("bad reply: {text}"));
    let head = head.lines().map(|l| match l.split_once(':') {
        Some((n, v)) => format!("{}: {}", n.to_ascii_lowercase(), v.trim()),
        None => l.to_string(),
    });
    Ok(Some(Reply { status, head: head.collect::<Vec<_>>().join("\n"), body: body.to_string() }))
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

// ---------- the binary ----------

/// A scratch directory, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("datafast-emulator-ops-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `datafast-emulator` on a free port; killed if the test fails first.
struct Emulator {
    child: Child,
    addr: String,
    /// The `--tokens-file` contents.
    tokens: Value,
    stderr: PathBuf,
}

impl Emulator {
    /// Starts the binary with `args` (plus a free port, a tokens file and no rate limit).
    fn start(dir: &TempDir, args: &[&str]) -> Emulator {
        let tokens_file = dir.join("tokens.json");
        let _ = std::fs::remove_file(&tokens_file);
        let stderr = dir.join(format!("stderr-{}.log", next_id()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_datafast-emulator"))
            .args(["--port", "0", "--rate-limit", "off", "--tokens-file"])
            .arg(&tokens_file)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(base) = first.strip_prefix("datafast-emulator listening on http://") else {
            let _ = child.kill();
            let status = child.wait().unwrap();
            panic!("emulator did not start ({status}): {first}\n{}", std::fs::read_to_string(&stderr).unwrap());
        };
        let addr = base.to_string();
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let started = Instant::now();
        while !tokens_file.exists() {
            assert!(started.elapsed() < Duration::from_secs(10), "tokens file never appeared");
            std::thread::sleep(Duration::from_millis(10));
        }
        let tokens = serde_json::from_str(&std::fs::read_to_string(&tokens_file).unwrap()).unwrap();
        Emulator { child, addr, tokens, stderr }
    }

    fn owner(&self) -> String {
        self.tokens["ownerToken"].as_str().unwrap().to_string()
    }
    fn site(&self, i: usize) -> String {
        self.tokens["websites"][i]["id"].as_str().unwrap().to_string()
    }
    fn key(&self, i: usize) -> String {
        self.tokens["websites"][i]["key"].as_str().unwrap().to_string()
    }

    async fn call(&self, method: &str, path: &str, token: &str, body: Option<&str>) -> Reply {
        send(&self.addr, method, path, Some(&bearer(token)), body)
            .await
            .unwrap_or_else(|| panic!("{method} {path}: connection closed without a response"))
    }

    /// SIGTERM: a clean stop.
    fn stop(mut self) -> String {
        let kill = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(kill.success());
        let status = wait_with_timeout(&mut self.child);
        assert!(status.success(), "exit status after SIGTERM: {status}");
        std::fs::read_to_string(&self.stderr).unwrap()
    }

    /// SIGKILL: a crash, with no chance to save anything more.
    fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

fn wait_with_timeout(child: &mut Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("emulator did not exit");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs the binary expecting it to refuse to start: its exit status and stderr.
fn refused(args: &[&str]) -> (ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_datafast-emulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_with_timeout(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status, stderr)
}

fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------- --state ----------

fn funnel_body(name: &str) -> String {
    json!({"name": name, "steps": [
        {"name": "Landing", "type": "pageview", "url": "/"},
        {"name": "Signup", "type": "goal", "goalName": "signup"}
    ]})
    .to_string()
}

#[tokio::test]
async fn state_survives_a_crash_and_a_restart() {
    let dir = TempDir::new("restart");
    let state = dir.join("state.json");
    let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let (owner, site, old_key) = (emu.owner(), emu.site(0), emu.key(0));
    let funnels = format!("/api/v1/admin/websites/{site}/funnels");
    let keys = format!("/api/v1/admin/websites/{site}/apikeys");

    let r = emu.call("POST", &funnels, &owner, Some(&funnel_body("Kept Funnel"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let funnel = r.json()["data"][0].clone();
    let r = emu.call("POST", "/api/v1/admin/access-tokens", &owner, Some(r#"{"name":"Kept token"}"#)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let new_token = r.json()["data"][0]["key"].as_str().unwrap().to_string();
    // Roll the demo key: the old secret must stay dead after the restart.
    let list = emu.call("GET", &keys, &owner, None).await.json();
    let key_id = list["data"][0]["_id"].as_str().unwrap().to_string();
    let r = emu.call("PUT", &format!("{keys}/{key_id}"), &owner, Some("{}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rolled = r.json()["data"][0]["key"].as_str().unwrap().to_string();
    // A goal event: added events are kept too.
    let visitor = emu.tokens["websites"][0]["sampleVisitorId"].as_str().unwrap().to_string();
    let goal = format!(r#"{{"datafast_visitor_id":"{visitor}","name":"kept_goal"}}"#);
    assert_eq!(emu.call("POST", "/api/v1/goals", &rolled, Some(&goal)).await.status, 200);
    // Crash: no shutdown hook runs, only what was saved before each answer counts.
    emu.crash();

    let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
    assert_eq!(emu.owner(), owner, "same account after restart");
    assert_eq!(emu.key(0), rolled, "the tokens file shows the demo key's current secret");
    let r = emu.call("GET", &funnels, &owner, None).await;
    assert_eq!(r.json()["data"], json!([funnel]));
    let r = emu.call("GET", "/api/v1/admin/access-tokens", &new_token, None).await;
    assert_eq!(r.status, 200, "the token created before the crash still authenticates: {}", r.body);
    assert!(r.json()["data"].as_array().unwrap().iter().any(|t| t["name"] == "Kept token"));
    assert_eq!(emu.call("GET", "/api/v1/analytics/overview", &old_key, None).await.status, 401);
    assert_eq!(emu.call("GET", "/api/v1/analytics/overview", &rolled, None).await.status, 200);
    // Seeded and added events are both back.
    let goals = emu.call("GET", "/api/v1/analytics/goals?limit=1000", &rolled, None).await.json()["data"].clone();
    let completions =
        |goal: &str| goals.as_array().unwrap().iter().find(|g| g["goal"] == goal).map(|g| g["completions"].clone());
    assert_eq!(completions("kept_goal"), Some(json!(1)), "{goals}");
    assert!(completions("signup").is_some_and(|c| c.as_u64().unwrap() > 10), "{goals}");

    // A clean stop and a third start see the same.
    emu.stop();
    let emu = Emulator::start(&dir, &["--state", path_arg(&state), "--seed", "42"]);
    assert_eq!(emu.call("GET", &funnels, &owner, None).await.json()["data"], json!([funnel]));
}

#[tokio::test]
async fn leftover_and_truncated_temp_files_do_not_break_reload() {
    let dir = TempDir::new("temps");
    let state = dir.join("state.json");
    let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let (owner, site) = (emu.owner(), emu.site(1));
    let funnels = format!("/api/v1/admin/websites/{site}/funnels");
    assert_eq!(emu.call("POST", &funnels, &owner, Some(&funnel_body("Before"))).await.status, 200);
    emu.crash();

    // What a crash in the middle of a save leaves: a temp file, whole or cut short.
    let saved = std::fs::read(&state).unwrap();
    std::fs::write(dir.join(".state.json.1.tmp"), &saved[..saved.len() / 2]).unwrap();
    std::fs::write(dir.join(format!(".state.json.{}.tmp", std::process::id())), b"").unwrap();
    std::fs::write(dir.join(".state.json.tmp"), b"{\"format\":").unwrap();

    let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let names: Vec<String> = emu.call("GET", &funnels, &owner, None).await.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Before"]);
    assert_eq!(emu.call("POST", &funnels, &owner, Some(&funnel_body("After"))).await.status, 200);
    emu.stop();
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains("\"After\""), "saves go on normally");
    // The saves left no temp file of their own behind.
    let own_temps = std::fs::read_dir(&dir.0)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(own_temps, 3, "only the three planted temp files remain");
}

#[test]
fn corrupt_or_foreign_state_files_are_refused_and_left_alone() {
    let dir = TempDir::new("corrupt");
    let good = {
        let path = dir.join("good.json");
        let (_, opened) = AppState::open(config(), &path).unwrap();
        assert_eq!(opened, Opened::Created);
        std::fs::read_to_string(&path).unwrap()
    };
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty.json", String::new(), "not valid JSON"),
        ("truncated.json", good[..good.len() / 2].to_string(), "not valid JSON"),
        ("garbage.json", "{not json".into(), "not valid JSON"),
        ("foreign.json", r#"{"hello":"world"}"#.into(), "not a datafast-emulator state file"),
        ("future.json", good.replacen("\"version\":1", "\"version\":99", 1), "format version 99"),
        ("fields.json", good.replacen("\"users\":[", "\"users\":7,\"x\":[", 1), "does not match the state format"),
        ("generator.json", good.replacen("\"hash\":\"", "\"hash\":\"0", 1), "generates other synthetic data"),
        ("shared-secret.json", with_shared_secret(&good), "share one secret"),
    ];
    for (name, content, needle) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &content).unwrap();
        let (status, stderr) = refused(&["--state", path_arg(&path)]);
        assert!(!status.success(), "{name}: started anyway");
        assert!(stderr.contains(path_arg(&path)), "{name}: the error names the file: {stderr}");
        assert!(stderr.contains(needle), "{name}: {stderr}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content, "{name} was overwritten");
    }
    // A directory where the file should be: unreadable, not reseeded.
    let (status, stderr) = refused(&["--state", path_arg(&dir.0)]);
    assert!(!status.success());
    assert!(stderr.contains("a directory, not a regular file"), "{stderr}");
}

#[test]
fn seed_or_days_that_disagree_with_the_state_file_are_refused() {
    let dir = TempDir::new("mismatch");
    let path = dir.join("state.json");
    AppState::open(Config { seed: 7, days: 5, ..config() }, &path).unwrap();
    let (status, stderr) = refused(&["--state", path_arg(&path), "--seed", "8"]);
    assert!(!status.success());
    assert!(stderr.contains("--seed 8 does not match") && stderr.contains("--seed 7"), "{stderr}");
    let (status, stderr) = refused(&["--state", path_arg(&path), "--days", "30"]);
    assert!(!status.success());
    assert!(stderr.contains("--days 30 does not match"), "{stderr}");
}

/// A reset with a state file is refused unless asked to discard it; then the file holds the
/// seeded data again, as a restart shows.
#[tokio::test]
async fn reset_with_a_state_file_only_when_asked_to_discard_it() {
    let dir = TempDir::new("reset");
    let path = dir.join("state.json");
    let (state, _) = AppState::open(config(), &path).unwrap();
    let seeded = StoreImage::of(&state);
    let site = state.demo.websites[0].id.clone();
    let owner = state.demo.owner_token.clone();
    let funnel: Value = serde_json::from_str(&funnel_body("Kept until reset")).unwrap();
    oneshot_ok(&state, "POST", &format!("/api/v1/admin/websites/{site}/funnels"), &owner, Some(funnel)).await;
    let reset = |body: &'static str| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/__emulator/reset")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let refused = app(state.clone()).oneshot(reset("{}")).await.unwrap();
    assert_eq!(refused.status(), 409);
    let bad = app(state.clone()).oneshot(reset(r#"{"discardState":"yes"}"#)).await.unwrap();
    assert_eq!(bad.status(), 400);
    let done = app(state.clone()).oneshot(reset(r#"{"discardState":true}"#)).await.unwrap();
    assert_eq!(done.status(), 200);
    assert_same_image(&state, &seeded);
    drop(state);
    let (reloaded, _) = AppState::open(config(), &path).unwrap();
    assert_same_image(&reloaded, &seeded);
}

/// Goals added live share their pageview's visit dimensions and their visitor's id with the
/// generated events; read back from the journal and then from a compacted file, they share
/// them again instead of each holding copies (what kept a restart after 100,000 added goals
/// at 3× the memory of the emulator that wrote them).
#[tokio::test]
async fn events_read_back_from_a_state_file_share_what_live_events_share() {
    let dir = TempDir::new("sharing");
    let path = dir.join("state.json");
    let (state, _) = AppState::open(config(), &path).unwrap();
    let site = state.demo.websites[0].clone();
    for name in ["signup", "trial", "upgrade"] {
        let goal = json!({ "datafast_visitor_id": site.sample_visitor_id, "name": name });
        oneshot_ok(&state, "POST", "/api/v1/goals", &site.key, Some(goal)).await;
    }
    drop(state);
    let shared = |state: &AppState| {
        let store = state.store();
        let events = store.events(&site.id);
        let goals: Vec<_> = events.iter().rev().take(3).collect();
        assert!(goals.iter().all(|g| g.kind == datafast_emulator::state::EventKind::Goal));
        let pageview = events
            .iter()
            .find(|e| e.kind == datafast_emulator::state::EventKind::Pageview && e.visitor_id == goals[0].visitor_id)
            .expect("the sample visitor's pageview");
        for goal in &goals {
            assert!(std::sync::Arc::ptr_eq(&goal.dims, &goals[0].dims), "one visit, one copy of its dimensions");
            assert_eq!(goal.dims, pageview.dims);
            assert!(arcstr::ArcStr::ptr_eq(&goal.visitor_id, &goals[0].visitor_id), "one copy of the visitor id");
            assert!(arcstr::ArcStr::ptr_eq(&goal.session_id, &goals[0].session_id), "one copy of the session id");
        }
        // What the goals share is a generated event's (of either website: equal dimensions
        // are shared whoever drew them).
        let generated = || store.events.values().flat_map(|list| list.iter()).filter(|e| e.kind != goals[0].kind);
        assert!(generated().any(|e| std::sync::Arc::ptr_eq(&e.dims, &goals[0].dims)));
        assert!(generated().any(|e| arcstr::ArcStr::ptr_eq(&e.path, &goals[0].path)));
    };
    // From the journal (the goals were appended there) …
    let journal_len = || std::fs::metadata(dir.join("state.json.journal")).unwrap().len();
    assert!(journal_len() > 0);
    let (reloaded, _) = AppState::open(config(), &path).unwrap();
    shared(&reloaded);
    drop(reloaded);
    // … and from the snapshot that loading folded the journal into.
    assert_eq!(journal_len(), 0);
    let (reloaded, _) = AppState::open(config(), &path).unwrap();
    shared(&reloaded);
}

#[test]
fn events_sized_data_is_kept_by_the_state_file() {
    let dir = TempDir::new("events");
    let path = dir.join("state.json");
    let sized = Config { days: 5, events: Some(8_000), ..config() };
    let (state, _) = AppState::open(sized, &path).unwrap();
    let site = state.demo.websites[0].id.clone();
    let count = state.store().events(&site).len();
    assert!((8_000..8_200).contains(&count), "{count}");
    let before = StoreImage::of(&state);
    drop(state);
    // Reopened without --events: the file's size wins, the same events come back.
    let (reloaded, opened) = AppState::open(Config { days: 5, ..config() }, &path).unwrap();
    assert_eq!(opened, Opened::Loaded);
    assert_eq!(reloaded.config.events, Some(8_000));
    assert_same_image(&reloaded, &before);
    drop(reloaded);
    let (status, stderr) = refused(&["--state", path_arg(&path), "--events", "9000"]);
    assert!(!status.success());
    assert!(stderr.contains("--events 9000 does not match") && stderr.contains("--events 8000"), "{stderr}");
}

fn config() -> Config {
    Config::pinned(30, END_MS)
}

/// Asserts that two emulators hold the same store: every serialized field, and the events.
fn assert_same_store(a: &AppState, b: &AppState) {
    assert_same_image(a, &StoreImage::of(b));
}

/// A store as it was, for comparing with an emulator started after its owner let the state
/// file go (one emulator per file: the first must be gone before the second opens it).
struct StoreImage {
    fields: Value,
    events: Value,
}

impl StoreImage {
    fn of(state: &AppState) -> StoreImage {
        let store = state.store();
        let events: serde_json::Map<String, Value> = store
            .events
            .keys()
            .map(|id| (id.clone(), serde_json::to_value(store.events(id).iter().collect::<Vec<_>>()).unwrap()))
            .collect();
        StoreImage { fields: serde_json::to_value(&*store).unwrap(), events: Value::Object(events) }
    }
}

fn assert_same_image(a: &AppState, b: &StoreImage) {
    let now = StoreImage::of(a);
    assert_eq!(now.fields, b.fields);
    assert!(now.events == b.events, "the events differ");
}

#[test]
fn any_change_to_the_store_round_trips_even_to_seeded_events() {
    let dir = TempDir::new("roundtrip");
    let path = dir.join("state.json");
    let (state, _) = AppState::open(config(), &path).unwrap();
    let site = state.demo.websites[0].id.clone();
    let other = state.demo.websites[1].id.clone();
    {
        let mut store = state.store();
        // Changes no handler makes today, as future ones might: an edited seeded event, a
        // removed one, a whole website's events gone, a field set on a user.
        let events = store.events.get_mut(&site).unwrap();
        events[10].path = "/edited".into();
        events.remove(20);
        store.events.remove(&other);
        store.users[0].name = Some("Renamed".into());
        let _ = store.new_object_id();
    }
    state.save().unwrap();
    let (reloaded, opened) = common::open_copy(&path, config());
    assert_eq!(opened, Opened::Loaded);
    assert_same_store(&reloaded, &state);
    assert_eq!(reloaded.store().events[&site][10].path, "/edited");
    // The run-time generator resumes where it stopped: the next ids match.
    assert_eq!(reloaded.store().new_object_id(), state.store().new_object_id());
    // Unchanged seeded events are not written out.
    let text = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["events"][&site]["seeded"], 10);
    assert!(file["events"].get(&other).is_none());
    assert!(text.len() < 10_000_000);
}

#[tokio::test]
async fn payments_and_identified_users_are_saved_as_they_are_answered() {
    let dir = TempDir::new("writes");
    let path = dir.join("state.json");
    let (state, _) = AppState::open(config(), &path).unwrap();
    let key = state.demo.websites[0].key.clone();
    let visitor = state.demo.websites[0].sample_visitor_id.clone();
    let bodies = [
        (
            "/api/v1/payments",
            json!({"amount": 49, "currency": "USD", "transaction_id": "tx_1", "datafast_visitor_id": visitor}),
        ),
        ("/api/v1/identify", json!({"user_id": "user_1", "datafast_visitor_id": visitor, "plan": "pro"})),
    ];
    for (path, body) in bodies {
        let req = axum::http::Request::post(path)
            .header("authorization", bearer(&key))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let resp = app(state.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
    }
    // No explicit save: each answer was preceded by one.
    let (reloaded, _) = common::open_copy(&path, config());
    assert_same_store(&reloaded, &state);
    assert_eq!(reloaded.store().profiles.len(), 1);
    let site = &state.demo.websites[0].id;
    assert!(reloaded.store().events[site].iter().any(|e| e.transaction_id() == Some("tx_1")));
}

/// Sends `req` through the router in-process and checks it succeeded.
async fn oneshot_ok(state: &std::sync::Arc<AppState>, method: &str, path: &str, token: &str, body: Option<Value>) {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", bearer(token))
        .header("content-type", "application/json")
        .body(body.map_or_else(axum::body::Body::empty, |b| axum::body::Body::from(b.to_string())))
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 200, "{method} {path}");
}

fn journal_of(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.journal", path.display()))
}

#[tokio::test]
async fn writes_go_to_the_journal_and_a_restart_folds_it_into_the_snapshot() {
    let dir = TempDir::new("journal");
    let path = dir.join("state.json");
    let (state, _) = AppState::open(config(), &path).unwrap();
    let snapshot = std::fs::read(&path).unwrap();
    let key = state.demo.websites[0].key.clone();
    let visitor = state.demo.websites[0].sample_visitor_id.clone();
    for i in 0..5 {
        let goal = json!({"datafast_visitor_id": visitor, "name": format!("journaled_{i}")});
        oneshot_ok(&state, "POST", "/api/v1/goals", &key, Some(goal)).await;
    }
    // Appends cost a journal line each; the snapshot is left as it was.
    assert_eq!(std::fs::read(&path).unwrap(), snapshot, "an append rewrote the snapshot");
    let journal = std::fs::read_to_string(journal_of(&path)).unwrap();
    assert_eq!(journal.lines().count(), 5, "{journal}");
    assert!(journal.lines().all(|l| l.contains("journaled_") && l.len() < 20_000));

    // A write cut short by a crash (no newline) is dropped; the rest comes back.
    let mut torn = journal.clone().into_bytes();
    torn.extend_from_slice(b"{\"seq\":6,\"events\":{\"");
    std::fs::write(journal_of(&path), &torn).unwrap();
    let before = StoreImage::of(&state);
    drop(state);
    let (reloaded, _) = AppState::open(config(), &path).unwrap();
    assert_same_image(&reloaded, &before);
    assert_eq!(std::fs::read(journal_of(&path)).unwrap(), b"", "start-up folded the journal into the snapshot");
    assert!(std::fs::read_to_string(&path).unwrap().contains("journaled_4"));

    // A delete is not an append: it writes a new snapshot at once.
    let site = reloaded.demo.websites[0].id.clone();
    let delete = format!("/api/v1/goals?websiteId={site}&name=journaled_0");
    oneshot_ok(&reloaded, "DELETE", &delete, &key, None).await;
    assert_eq!(std::fs::read(journal_of(&path)).unwrap(), b"");
    let before = StoreImage::of(&reloaded);
    drop(reloaded);
    let (again, _) = AppState::open(config(), &path).unwrap();
    assert_same_image(&again, &before);
    assert!(!again.store().events(&site).iter().any(|e| e.goal_name.as_deref() == Some("journaled_0")));
}

#[test]
fn a_corrupt_journal_is_refused_and_left_alone() {
    let dir = TempDir::new("bad-journal");
    let path = dir.join("state.json");
    AppState::open(config(), &path).unwrap();
    let snapshot = std::fs::read(&path).unwrap();
    for (content, needle) in [
        ("{\"seq\":1,\"events\":{}}\nnot a record\n", "line 2 is not a record"),
        ("{\"seq\":1,\"events\":{}}\n{\"seq\":3,\"events\":{}}\n", "jumps from record 1 to 3"),
    ] {
        std::fs::write(journal_of(&path), content).unwrap();
        let (status, stderr) = refused(&["--state", path_arg(&path)]);
        assert!(!status.success(), "started with a corrupt journal");
        assert!(stderr.contains(needle) && stderr.contains(".journal"), "{stderr}");
        assert_eq!(std::fs::read_to_string(journal_of(&path)).unwrap(), content, "the journal was changed");
        assert_eq!(std::fs::read(&path).unwrap(), snapshot, "the snapshot was changed");
    }
}

/// `kill -9` while 8 clients write goals and funnels over real sockets: every write answered
/// 200 before the kill is there after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_kill_9_during_concurrent_writes() {
    let dir = TempDir::new("kill9");
    let path = dir.join("state.json");
    let emu = Emulator::start(&dir, &["--state", path_arg(&path)]);
    let (owner, site) = (emu.owner(), emu.site(0));
    let visitor = emu.tokens["websites"][0]["sampleVisitorId"].as_str().unwrap().to_string();
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (addr, owner, site, visitor) = (emu.addr.clone(), owner.clone(), site.clone(), visitor.clone());
            tokio::spawn(async move {
                let auth = bearer(&owner);
                let (mut goals, mut funnels) = (Vec::new(), Vec::new());
                for i in 0.. {
                    let (uri, body) = if i % 2 == 0 {
                        let goal = json!({"datafast_visitor_id": visitor, "name": "kill_goal"});
                        (format!("/api/v1/goals?websiteId={site}"), goal.to_string())
                    } else {
                        (format!("/api/v1/admin/websites/{site}/funnels"), funnel_body(&format!("kill {c}-{i}")))
                    };
                    // Any failure to get an answer means the server is gone: not acknowledged.
                    let Ok(Some(reply)) = try_send(&addr, "POST", &uri, Some(&auth), Some(&body)).await else {
                        break;
                    };
                    assert_eq!(reply.status, 200, "{}", reply.body);
                    if i % 2 == 0 {
                        goals.push(reply.json()["data"][0]["eventId"].as_str().unwrap().to_string());
                    } else {
                        funnels.push(format!("kill {c}-{i}"));
                    }
                }
                (goals, funnels)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    emu.crash();
    let (mut goals, mut funnels) = (Vec::new(), Vec::new());
    for client in clients {
        let (g, f) = client.await.unwrap();
        goals.extend(g);
        funnels.extend(f);
    }
    assert!(goals.len() >= 8 && funnels.len() >= 8, "too few writes before the kill: {goals:?} {funnels:?}");

    let (reloaded, _) = AppState::open(config(), &path).unwrap();
    let store = reloaded.store();
    let saved: std::collections::HashSet<String> = store.events(&site).iter().map(|e| e.id.to_string()).collect();
    let lost: Vec<&String> = goals.iter().filter(|id| !saved.contains(*id)).collect();
    assert!(lost.is_empty(), "acknowledged goals lost by kill -9: {lost:?}");
    let lost: Vec<&String> = funnels.iter().filter(|n| !store.funnels.iter().any(|f| f.name == **n)).collect();
    assert!(lost.is_empty(), "acknowledged funnels lost by kill -9: {lost:?}");
}

// ---------- --faults ----------

#[tokio::test]
async fn faults_from_the_command_line_honour_the_route_filter() {
    let dir = TempDir::new("cli-faults");
    let emu = Emulator::start(&dir, &["--faults", "503", "--faults-routes", "analytics.*,goals.create"]);
    let key = emu.key(0);
    let r = emu.call("GET", "/api/v1/analytics/overview", &key, None).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["status"], "error");
    assert_eq!(r.json()["error"]["code"], 503);
    assert_eq!(r.header("x-emulator-fault"), Some("503"));
    assert_eq!(emu.call("GET", "/api/v1/analytics/pages", &key, None).await.status, 503);
    // Outside the filter: untouched.
    assert_eq!(emu.call("GET", "/api/v1/admin/websites", &emu.owner(), None).await.status, 200);
    // The control routes are never faulted.
    let health = send(&emu.addr, "GET", "/__emulator/health", None, None).await.unwrap();
    assert_eq!((health.status, health.json()), (200, json!({"status": "ok"})));
    let plan = send(&emu.addr, "GET", "/__emulator/faults", None, None).await.unwrap().json();
    assert_eq!(plan["data"], json!({"faults": "503:1", "routes": "analytics.*,goals.create"}));
}

#[tokio::test]
async fn every_fault_kind_is_seen_by_an_http_client() {
    let dir = TempDir::new("fault-kinds");
    let emu = Emulator::start(&dir, &["--state", path_arg(&dir.join("state.json"))]);
    let (owner, site) = (emu.owner(), emu.site(0));
    let funnels = format!("/api/v1/admin/websites/{site}/funnels");
    let set = |faults: &str, routes: Option<&str>| {
        let body = json!({"faults": faults, "routes": routes}).to_string();
        let addr = emu.addr.clone();
        async move {
            let r = send(&addr, "POST", "/__emulator/faults", None, Some(&body)).await.unwrap();
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };

    set("500", Some("admin.funnels.*")).await;
    let r = emu.call("POST", &funnels, &owner, Some(&funnel_body("Lost"))).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"]["code"], 500);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("injected"));

    set("502", None).await;
    let r = emu.call("GET", &funnels, &owner, None).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"), "{}", r.head);
    assert!(r.body.contains("<title>502 Bad Gateway</title>"), "{}", r.body);
    assert_eq!(r.json(), Value::Null, "not JSON");

    set("503", None).await;
    let r = emu.call("GET", &funnels, &owner, None).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (503, Some("error")));

    set("drop", None).await;
    assert!(send(&emu.addr, "GET", &funnels, Some(&bearer(&owner)), None).await.is_none(), "a response came back");
    assert!(send(&emu.addr, "POST", &funnels, Some(&bearer(&owner)), Some(&funnel_body("Lost"))).await.is_none());

    set("slow=400", None).await;
    let started = Instant::now();
    let r = emu.call("POST", &funnels, &owner, Some(&funnel_body("Slow"))).await;
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
    assert_eq!(r.status, 200, "slow requests are handled: {}", r.body);

    set("off", None).await;
    let started = Instant::now();
    let names: Vec<Value> = emu.call("GET", &funnels, &owner, None).await.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].clone())
        .collect();
    assert!(started.elapsed() < Duration::from_millis(400));
    // Faulted requests (500, drop) changed nothing; the slow one did.
    assert_eq!(names, [json!("Slow")]);
}

#[tokio::test]
async fn bad_fault_specs_are_refused_naming_the_bad_part() {
    let (status, stderr) = refused(&["--faults", "500:0.1,404:0.2"]);
    assert!(!status.success());
    assert!(stderr.contains("fault `404:0.2`: unknown kind `404`"), "{stderr}");
    let (status, stderr) = refused(&["--faults", "500:2"]);
    assert!(!status.success());
    assert!(stderr.contains("rate `2`"), "{stderr}");
    let (status, stderr) = refused(&["--faults", "500", "--faults-routes", "analytics.overveiw"]);
    assert!(!status.success());
    assert!(stderr.contains("`analytics.overveiw` is not a registry endpoint id"), "{stderr}");
    let (status, stderr) = refused(&["--faults-routes", "analytics.*"]);
    assert!(!status.success());
    assert!(stderr.contains("--faults"), "{stderr}");

    // The same rules at run time, as 400s; the plan in force stays.
    let state = AppState::new(config());
    state.faults.set(FaultPlan::parse("503:0.5", None).unwrap());
    for (body, needle) in [
        (r#"{"faults":"slow=abc"}"#, "delay `abc`"),
        (r#"{"faults":"500:0.7,503:0.7"}"#, "add up to"),
        (r#"{"faults":"500","routes":"nope"}"#, "`nope`"),
        (r#"{"routes":"analytics.*"}"#, "`faults` is required"),
        ("[1]", "JSON object"),
    ] {
        let req = axum::http::Request::post("/__emulator/faults").body(axum::body::Body::from(body)).unwrap();
        let resp = app(state.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let msg = serde_json::from_slice::<Value>(&bytes).unwrap()["error"]["message"].as_str().unwrap().to_string();
        assert!(msg.contains(needle), "{body} → {msg}");
    }
    assert_eq!(state.faults.plan().spec(), "503:0.5");
}

/// Statuses of `n` in-process requests under `plan`. Without a token, so that an unfaulted
/// request is a cheap 401: faults come before authentication.
async fn statuses(seed: u64, plan: &str, n: usize) -> Vec<u16> {
    let state = AppState::new(Config { seed, ..config() });
    state.faults.set(FaultPlan::parse(plan, None).unwrap());
    let router = app(state);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let req = axum::http::Request::get("/api/v1/analytics/overview").body(axum::body::Body::empty()).unwrap();
        out.push(router.clone().oneshot(req).await.unwrap().status().as_u16());
    }
    out
}

#[tokio::test]
async fn fault_rates_are_roughly_honoured_and_repeat_with_the_seed() {
    let first = statuses(42, "500:0.2,503:0.1", 400).await;
    let count = |code: u16| first.iter().filter(|s| **s == code).count();
    assert!((55..=105).contains(&count(500)), "500 × {}", count(500));
    assert!((22..=60).contains(&count(503)), "503 × {}", count(503));
    assert_eq!(count(401) + count(500) + count(503), 400);
    assert_eq!(statuses(42, "500:0.2,503:0.1", 400).await, first, "same seed, same faults");
    assert_ne!(statuses(43, "500:0.2,503:0.1", 400).await, first, "another seed, other faults");
}

#[tokio::test]
async fn drop_without_a_socket_fails_the_body_and_control_routes_are_never_faulted() {
    let state = AppState::new(config());
    state.faults.set(FaultPlan::parse("drop", None).unwrap());
    let get = |path: &str| axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
    let resp = app(state.clone()).oneshot(get("/api/v1/analytics/overview")).await.unwrap();
    assert!(
        axum::body::to_bytes(resp.into_body(), usize::MAX).await.is_err(),
        "the body must fail like a dropped connection"
    );
    for path in ["/__emulator/health", "/__emulator/faults"] {
        let resp = app(state.clone()).oneshot(get(path)).await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert!(axum::body::to_bytes(resp.into_body(), usize::MAX).await.is_ok());
    }
}

// ---------- request log ----------

#[tokio::test]
async fn the_request_log_never_shows_a_token() {
    let dir = TempDir::new("log");
    let emu = Emulator::start(&dir, &["-v", "--faults", "drop", "--faults-routes", "admin.team.list"]);
    let (owner, key, site) = (emu.owner(), emu.key(0), emu.site(0));
    let addr = emu.addr.clone();
    let get = |path: String, auth: Option<String>| {
        let addr = addr.clone();
        async move { send(&addr, "GET", &path, auth.as_deref(), None).await.map(|r| r.status) }
    };
    assert_eq!(get("/api/v1/analytics/overview".into(), Some(bearer(&key))).await, Some(200));
    assert_eq!(get("/api/v1/admin/websites".into(), Some(bearer(&owner))).await, Some(200));
    // Tokens where they do not belong: query strings (plain and encoded), the path, and
    // Authorization headers of every wrong shape.
    get(format!("/api/v1/analytics/overview?websiteId={site}&token={owner}"), Some(bearer(&key))).await;
    get(format!("/api/v1/analytics/overview?q={owner}"), Some(bearer(&key))).await;
    get(format!("/api/v1/analytics/overview?api_key={}", owner.replace('_', "%5F")), None).await;
    get(format!("/api/v1/{owner}"), None).await;
    for auth in [owner.clone(), format!("Token {owner}"), format!("Bearer  {owner} extra"), format!("bearer {key}x")] {
        assert_eq!(get("/api/v1/admin/websites".into(), Some(auth)).await, Some(401));
    }
    let team = format!("/api/v1/admin/websites/{site}/team");
    assert_eq!(get(team, Some(bearer(&owner))).await, None, "dropped by the fault");
    let log = emu.stop();

    for secret in [owner.as_str(), key.as_str(), &owner[4..], &key[3..]] {
        assert!(!log.contains(secret), "a secret is in the log:\n{log}");
    }
    let lines: Vec<Value> =
        log.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(lines.len(), 11, "{log}");
    let first = &lines[0];
    let fields = ["time", "method", "path", "endpoint", "status", "durationMs", "tokenKind", "token", "fault"];
    assert_eq!(first.as_object().unwrap().len(), fields.len());
    let raw = log.lines().next().unwrap();
    let at: Vec<usize> = fields.iter().map(|f| raw.find(&format!("\"{f}\":")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "fields in documented order: {raw}");
    assert_eq!(first["endpoint"], "analytics.overview");
    assert_eq!(first["status"], 200);
    assert_eq!(first["tokenKind"], "websiteKey");
    assert_eq!(first["token"], datafast_contract::TokenKind::display_key(&key));
    assert!(first["durationMs"].as_f64().unwrap() >= 0.0);
    assert_eq!(lines[2]["path"], format!("/api/v1/analytics/overview?websiteId={site}&token=[redacted]"));
    assert_eq!(lines[6]["tokenKind"], "malformed");
    assert_eq!(lines[6]["token"], "[redacted]");
    let dropped = &lines[10];
    assert_eq!((dropped["fault"].as_str(), &dropped["status"]), (Some("drop"), &Value::Null));
    assert_eq!(dropped["endpoint"], "admin.team.list");
}

/// `state` with the first website key's secret replaced by the first token's.
fn with_shared_secret(state: &str) -> String {
    let mut v: Value = serde_json::from_str(state).unwrap();
    v["store"]["api_keys"][0]["secret"] = v["store"]["tokens"][0]["secret"].clone();
    v.to_string()
}

// ---------- one emulator per state file ----------

#[tokio::test]
async fn a_second_emulator_on_the_same_state_file_is_refused() {
    let dir = TempDir::new("two-owners");
    let state = dir.join("state.json");
    let first = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let (status, stderr) = refused(&["--state", path_arg(&state)]);
    assert!(!status.success(), "the second emulator started");
    assert!(stderr.contains("in use by another emulator"), "{stderr}");
    assert!(stderr.contains(&format!("process {}", first.child.id())), "{stderr}");

    // The first one keeps its file: its writes survive its own crash and a restart.
    let funnels = format!("/api/v1/admin/websites/{}/funnels", first.site(0));
    let r = first.call("POST", &funnels, &first.owner(), Some(&funnel_body("Owned"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    first.crash();
    let again = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let list = again.call("GET", &funnels, &again.owner(), None).await.json();
    assert!(list["data"].as_array().unwrap().iter().any(|f| f["name"] == "Owned"), "{list}");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_state_file_is_refused_without_blocking() {
    let dir = TempDir::new("fifo");
    let fifo = dir.join("state.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // `refused` fails the test if the emulator has not exited within 20 s.
    let started = Instant::now();
    let (status, stderr) = refused(&["--state", path_arg(&fifo)]);
    assert!(!status.success());
    assert!(stderr.contains("a FIFO (named pipe), not a regular file"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10), "start-up blocked on the FIFO");
}

/// Writers hammer the emulator until it is killed with SIGKILL; every write it acknowledged
/// must be there after a restart. Two rounds, so the second crash hits a loaded file.
#[tokio::test]
async fn kill_9_loses_no_acknowledged_write() {
    let dir = TempDir::new("kill9-rounds");
    let state = dir.join("state.json");
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..2 {
        let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
        let (addr, key) = (emu.addr.clone(), emu.key(0));
        let visitor = emu.tokens["websites"][0]["sampleVisitorId"].as_str().unwrap().to_string();
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (addr, auth, visitor) = (addr.clone(), bearer(&key), visitor.clone());
                tokio::spawn(async move {
                    let mut acked = Vec::new();
                    for n in 0.. {
                        let name = format!("ack_{round}_{w}_{n}");
                        let body = format!(r#"{{"datafast_visitor_id":"{visitor}","name":"{name}"}}"#);
                        match try_send(&addr, "POST", "/api/v1/goals", Some(&auth), Some(&body)).await {
                            Ok(Some(r)) if r.status == 200 => acked.push(name),
                            Ok(Some(r)) => panic!("{name}: {} {}", r.status, r.body),
                            Ok(None) | Err(_) => return acked, // killed
                        }
                    }
                    acked
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(400)).await;
        emu.crash();
        for w in writers {
            acknowledged.extend(w.await.unwrap());
        }
        assert!(acknowledged.len() > round, "round {round}: no write was acknowledged before the kill");
    }
    let emu = Emulator::start(&dir, &["--state", path_arg(&state)]);
    let tracked = emu.call("GET", &format!("/api/v1/admin/websites/{}/goals", emu.site(0)), &emu.owner(), None).await;
    let tracked = tracked.json();
    let names: Vec<&str> = tracked["data"].as_array().unwrap().iter().filter_map(|g| g["name"].as_str()).collect();
    let missing: Vec<&String> = acknowledged.iter().filter(|a| !names.contains(&a.as_str())).collect();
    assert!(missing.is_empty(), "{} of {} acknowledged writes lost: {missing:?}", missing.len(), acknowledged.len());
}
