//! 64 clients writing at once: tokio tasks on a multi-threaded runtime, released together by
//! a barrier, each driving the router in-process. Nothing may be lost, a name may be taken
//! once, and the per-website and per-account limits (CONTRACT 2.10) must hold exactly — not
//! one object more, however the requests interleave.

mod common;

use common::*;
use datafast_emulator::state::EventKind;
use datafast_emulator::{AppState, Config};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Barrier;

const CLIENTS: usize = 64;

struct Call {
    method: &'static str,
    uri: String,
    token: String,
    body: Option<String>,
}

fn post(uri: impl Into<String>, token: &str, body: Value) -> Call {
    Call { method: "POST", uri: uri.into(), token: token.to_string(), body: Some(body.to_string()) }
}

/// Starts `CLIENTS` tasks that wait for one another, then each sends its calls in order;
/// returns every answer, client by client.
async fn race(e: &Arc<Emu>, calls: impl Fn(usize) -> Vec<Call>) -> Vec<Resp> {
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (e, barrier, calls) = (e.clone(), barrier.clone(), calls(i));
            tokio::spawn(async move {
                barrier.wait().await;
                let mut answers = Vec::new();
                for c in calls {
                    answers.push(e.call(c.method, &c.uri, Some(&c.token), c.body.as_deref()).await);
                }
                answers
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.extend(task.await.expect("client task panicked"));
    }
    out
}

/// How many answers had each status.
fn tally(answers: &[Resp]) -> BTreeMap<u16, usize> {
    let mut t = BTreeMap::new();
    for r in answers {
        *t.entry(r.status.as_u16()).or_default() += 1;
    }
    t
}

/// The writers of website 0 take turns: owner and member tokens, and the website's key.
fn writer(e: &Emu, i: usize) -> &str {
    [e.owner(), e.member_token(), e.key(0)][i % 3]
}

/// The `data` list of a GET that must succeed.
async fn list(e: &Emu, uri: &str) -> Vec<Value> {
    let r = e.get(uri, e.owner()).await;
    assert_eq!(r.status, 200, "{uri}: {}", r.text);
    r.data().as_array().unwrap().clone()
}

fn ids(answers: &[Resp], field: &str) -> HashSet<String> {
    answers.iter().filter(|r| r.status == 200).map(|r| r.data()[0][field].as_str().unwrap().to_string()).collect()
}

fn admin(e: &Emu, i: usize, rest: &str) -> String {
    format!("/api/v1/admin/websites/{}/{rest}", e.site(i))
}

fn funnel(name: &str) -> Value {
    json!({"name": name, "steps": [{"name": "Landing", "type": "pageview", "url": "/"},
        {"name": "Signup", "type": "goal", "goalName": "signup"}]})
}

fn alert(name: &str) -> Value {
    json!({"name": name, "trigger": {"goalName": "signup"}, "template": {"message": "A visitor signed up."}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn funnels_with_distinct_names_all_land() {
    let e = Arc::new(emu());
    let url = admin(&e, 0, "funnels");
    assert!(list(&e, &url).await.is_empty());
    let answers = race(&e, |i| vec![post(&url, writer(&e, i), funnel(&format!("Race funnel {i}")))]).await;
    assert_eq!(tally(&answers), BTreeMap::from([(200, CLIENTS)]));
    assert_eq!(ids(&answers, "_id").len(), CLIENTS, "two funnels got the same id");
    let names: Vec<String> = list(&e, &url).await.iter().map(|f| f["name"].as_str().unwrap().to_string()).collect();
    let mut expected: Vec<String> = (0..CLIENTS).map(|i| format!("Race funnel {i}")).collect();
    let mut sorted = names.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "lost or doubled funnels");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_client_wins_a_contested_funnel_name() {
    let e = Arc::new(emu());
    let url = admin(&e, 0, "funnels");
    let answers = race(&e, |i| vec![post(&url, writer(&e, i), funnel("Contested"))]).await;
    assert_eq!(tally(&answers), BTreeMap::from([(200, 1), (409, CLIENTS - 1)]));
    for r in answers.iter().filter(|r| r.status == 409) {
        assert_error(r, 409);
        assert!(r.message().contains("Contested"), "{}", r.message());
    }
    let funnels = list(&e, &url).await;
    assert_eq!(funnels.len(), 1);
    assert_eq!(funnels[0]["name"], "Contested");

    // Renames race the same way: 64 funnels, all renamed at once to one name.
    let made = race(&e, |i| vec![post(&url, e.owner(), funnel(&format!("Rename me {i}")))]).await;
    let funnel_ids: Vec<String> = made.iter().map(|r| r.data()[0]["_id"].as_str().unwrap().to_string()).collect();
    let answers = race(&e, |i| {
        let uri = format!("{url}/{}", funnel_ids[i]);
        vec![Call { method: "PUT", uri, token: writer(&e, i).into(), body: Some(r#"{"name":"Winner"}"#.into()) }]
    })
    .await;
    assert_eq!(tally(&answers), BTreeMap::from([(200, 1), (409, CLIENTS - 1)]));
    let winners = list(&e, &url).await.into_iter().filter(|f| f["name"] == "Winner").count();
    assert_eq!(winners, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn website_keys_stop_exactly_at_ten() {
    let e = Arc::new(emu());
    let url = admin(&e, 0, "apikeys");
    let held = list(&e, &url).await.len();
    assert_eq!(held, 1, "the demo key");
    let answers = race(&e, |i| vec![post(&url, writer(&e, i), json!({"name": format!("race {i}")}))]).await;
    let made = 10 - held;
    assert_eq!(tally(&answers), BTreeMap::from([(200, made), (400, CLIENTS - made)]));
    for r in answers.iter().filter(|r| r.status == 400) {
        assert!(r.message().contains("10"), "{}", r.message());
    }
    assert_eq!(list(&e, &url).await.len(), 10);
    assert_eq!(list(&e, &admin(&e, 1, "apikeys")).await.len(), 1, "the other website's keys changed");
    // Every key handed out is distinct and works.
    let secrets = ids(&answers, "key");
    assert_eq!(secrets.len(), made);
    for key in &secrets {
        assert_eq!(e.get("/api/v1/analytics/overview", key).await.status, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn account_tokens_stop_exactly_at_twenty() {
    let e = Arc::new(emu());
    const TOKENS: &str = "/api/v1/admin/access-tokens";
    // A second token of the same account writes too: the limit is per account, not per caller.
    let r = e.post(TOKENS, e.owner(), r#"{"name":"second"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let second = r.data()[0]["key"].as_str().unwrap().to_string();
    let held = list(&e, TOKENS).await.len();
    assert_eq!(held, 2);
    let member_before = e.get(TOKENS, e.member_token()).await.data().as_array().unwrap().len();

    let answers = race(&e, |i| {
        let token = if i % 2 == 0 { e.owner() } else { second.as_str() };
        vec![post(TOKENS, token, json!({"name": format!("race {i}"), "permissions": ["analytics:read"]}))]
    })
    .await;
    let made = 20 - held;
    assert_eq!(tally(&answers), BTreeMap::from([(200, made), (403, CLIENTS - made)]));
    for r in answers.iter().filter(|r| r.status == 403) {
        assert!(r.message().contains("20"), "{}", r.message());
    }
    assert_eq!(list(&e, TOKENS).await.len(), 20);
    assert_eq!(ids(&answers, "key").len(), made, "two tokens got the same secret");
    let member_after = e.get(TOKENS, e.member_token()).await.data().as_array().unwrap().len();
    assert_eq!(member_after, member_before, "another account's tokens changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn alerts_stop_exactly_at_twenty_five() {
    let e = Arc::new(emu());
    let url = admin(&e, 0, "alerts");
    assert!(list(&e, &url).await.is_empty());
    let answers = race(&e, |i| vec![post(&url, writer(&e, i), alert(&format!("Race alert {i}")))]).await;
    assert_eq!(tally(&answers), BTreeMap::from([(200, 25), (403, CLIENTS - 25)]));
    for r in answers.iter().filter(|r| r.status == 403) {
        assert!(r.message().contains("25"), "{}", r.message());
    }
    assert_eq!(list(&e, &url).await.len(), 25);
    assert_eq!(ids(&answers, "_id").len(), 25);
    assert!(list(&e, &admin(&e, 1, "alerts")).await.is_empty(), "the other website's alerts changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_goal_event_is_counted() {
    const PER_CLIENT: usize = 4;
    let e = Arc::new(emu());
    let visitors = e.visitors_with_pageviews(0, CLIENTS);
    assert_eq!(visitors.len(), CLIENTS);
    let goals_before = e.state.store().events(e.site(0)).iter().filter(|ev| ev.kind == EventKind::Goal).count();
    let goals_url = format!("/api/v1/goals?websiteId={}", e.site(0));

    let answers = race(&e, |i| {
        let body = json!({"datafast_visitor_id": visitors[i], "name": "race_goal"});
        (0..PER_CLIENT).map(|_| post(&goals_url, writer(&e, i), body.clone())).collect()
    })
    .await;
    let total = CLIENTS * PER_CLIENT;
    assert_eq!(tally(&answers), BTreeMap::from([(200, total)]));
    assert_eq!(ids(&answers, "eventId").len(), total, "two events got the same id");

    let r = e.get("/api/v1/analytics/goals?limit=1000", e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let row = r.data().as_array().unwrap().iter().find(|row| row["goal"] == "race_goal").cloned();
    let row = row.unwrap_or_else(|| panic!("race_goal missing from {}", r.text));
    assert_eq!(row["completions"], total);
    assert_eq!(row["visitors"], CLIENTS);
    let goals_after = e.state.store().events(e.site(0)).iter().filter(|ev| ev.kind == EventKind::Goal).count();
    assert_eq!(goals_after, goals_before + total);
}

/// A state file removed when the test ends.
struct StateFile(PathBuf);

impl Drop for StateFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_file(datafast_emulator::state_file::lock_path(&self.0));
    }
}

/// With `--state`, every answered write is on disk: a restart after 64 mixed writers on
/// both websites finds exactly the store they left.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_all_survive_a_restart() {
    let file = StateFile(std::env::temp_dir().join(format!("datafast-emulator-race-{}.json", std::process::id())));
    let _ = std::fs::remove_file(&file.0);
    let config = || Config::pinned(1, END_MS);
    let (state, _) = AppState::open(config(), &file.0).unwrap();
    let e = Arc::new(Emu::from_state(state));
    let visitors = e.visitors_with_pageviews(0, CLIENTS);
    let goals_url = format!("/api/v1/goals?websiteId={}", e.site(0));

    let answers = race(&e, |i| {
        vec![match i % 4 {
            0 => post(admin(&e, 0, "funnels"), e.owner(), funnel(&format!("Saved funnel {i}"))),
            1 => post(&goals_url, e.owner(), json!({"datafast_visitor_id": visitors[i], "name": "saved_goal"})),
            2 => post(admin(&e, 1, "apikeys"), e.owner(), json!({"name": format!("saved {i}")})),
            _ => post(admin(&e, 1, "alerts"), e.key(1), alert(&format!("Saved alert {i}"))),
        }]
    })
    .await;
    // 16 of each; website 1 had one key, so 9 of the 16 key requests fit.
    assert_eq!(tally(&answers), BTreeMap::from([(200, CLIENTS - 7), (400, 7)]));

    let (reloaded, opened) = open_copy(&file.0, config());
    assert_eq!(opened, datafast_emulator::Opened::Loaded);
    // `lastUsedAt` set by a refused request is saved with the next write only: not compared.
    let reloaded = Emu::from_state(reloaded);
    assert_eq!(e.snapshot().diff(&reloaded.snapshot()), None, "the restart lost or changed something");
    let after = reloaded.state.store();
    assert_eq!(after.funnels.len(), 16);
    assert_eq!(after.alerts.len(), 16);
    assert_eq!(after.api_keys.iter().filter(|k| k.website_id == e.site(1)).count(), 10);
    let saved_goals = after.events(e.site(0)).iter().filter(|ev| ev.goal_name.as_deref() == Some("saved_goal"));
    assert_eq!(saved_goals.count(), 16);
}

/// Reads share the store: with another reader holding it, GETs (analytics, token list) are
/// answered and record `lastUsedAt`, while a write waits for the reader to let go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// Holding the store's read lock across the requests is the point of the test.
#[allow(clippy::await_holding_lock)]
async fn reads_are_answered_while_another_reader_holds_the_store() {
    let e = Arc::new(emu_small());
    let held = e.state.read();
    let overview = e.get(&format!("/api/v1/analytics/overview?websiteId={}", e.site(0)), e.owner()).await;
    assert_eq!(overview.status, 200);
    let tokens = e.get("/api/v1/admin/access-tokens", e.owner()).await;
    assert_eq!(tokens.status, 200);
    assert!(tokens.data()[0]["lastUsedAt"].is_string(), "{:?}", tokens.data());

    let writer = {
        let e = e.clone();
        let uri = format!("/api/v1/admin/websites/{}/funnels", e.site(0));
        tokio::spawn(async move { e.post(&uri, e.owner(), "{}").await.status })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!writer.is_finished(), "a write went through while a reader held the store");
    drop(held);
    assert_eq!(writer.await.unwrap(), 400, "the write runs once the reader is done");
}
