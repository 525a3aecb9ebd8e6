//! Probes of a hostile caller, in-process: keys that would escalate, keys of removed members,
//! token management beyond the caller's scope, and numbers that would overflow the sums.
//! Each test failed before the rule it checks existed.

mod common;

use common::*;
use serde_json::{json, Value};

/// Creates an owner token with `body` and returns (id, secret).
async fn owner_token(e: &Emu, body: Value) -> (String, String) {
    let r = e.post("/api/v1/admin/access-tokens", e.owner(), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = &r.data()[0];
    (t["_id"].as_str().unwrap().to_string(), t["key"].as_str().unwrap().to_string())
}

fn keys_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/apikeys", e.site(i))
}

/// The id of the owner's seeded `*` token, from the owner's own list.
async fn owner_token_id(e: &Emu) -> String {
    let all = e.list("/api/v1/admin/access-tokens", e.owner()).await;
    let seeded =
        all.as_array().unwrap().iter().find(|t| t["permissions"] == json!(["*"]) && t["websiteIds"] == json!([]));
    seeded.expect("the seeded owner token")["_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_key_cannot_be_minted_or_rolled_with_api_keys_write_alone() {
    let e = emu_small();
    let site = e.site(0).to_string();
    let (_, narrow) =
        owner_token(&e, json!({"permissions": ["api-keys:write", "api-keys:read"], "websiteIds": [site]})).await;

    let before = e.snapshot();
    let r = e.post(&keys_url(&e, 0), &narrow, r#"{"name":"escalate"}"#).await;
    assert_error(&r, 403);
    assert!(r.message().contains('*') && r.message().contains("api-keys:write"), "{}", r.message());
    let seeded_key = e.list(&keys_url(&e, 0), e.owner()).await[0]["_id"].as_str().unwrap().to_string();
    let r = e.put(&format!("{}/{seeded_key}", keys_url(&e, 0)), &narrow, "").await;
    assert_error(&r, 403);
    assert_eq!(before.diff(&e.snapshot()), None, "a refused mint changed the state");
    // What api-keys:write still does: list and delete, which hand out nothing.
    assert_eq!(e.get(&keys_url(&e, 0), &narrow).await.status, 200);

    // The same user's `*` token limited to that website mints a key, and the key does no
    // more than that token could: its own website, nothing else.
    let (_, full) = owner_token(&e, json!({"websiteIds": [site]})).await;
    let r = e.post(&keys_url(&e, 0), &full, r#"{"name":"fine"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_eq!(e.get("/api/v1/analytics/overview", &key).await.status, 200);
    assert_error(&e.get(&format!("/api/v1/admin/websites/{}", e.site(1)), &key).await, 403);
}

#[tokio::test]
async fn a_removed_members_keys_stop_working() {
    let e = emu_small();
    let member = e.creds.team[0].clone();
    let r = e.post(&keys_url(&e, 0), &member.token, r#"{"name":"member key"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = r.data()[0]["key"].as_str().unwrap().to_string();
    let key_id = r.data()[0]["_id"].as_str().unwrap().to_string();
    let site_url = format!("/api/v1/admin/websites/{}", e.site(0));
    assert_eq!(e.get("/api/v1/analytics/overview", &key).await.status, 200);
    assert_eq!(e.put(&site_url, &key, r#"{"name":"By the member"}"#).await.status, 200);

    let body = json!({ "userId": member.user_id }).to_string();
    let r = e.call("DELETE", &format!("{site_url}/team"), Some(e.owner()), Some(&body)).await;
    assert_eq!(r.status, 200, "{}", r.text);

    for r in [e.get("/api/v1/analytics/overview", &key).await, e.put(&site_url, &key, r#"{"name":"Still?"}"#).await] {
        assert_error(&r, 401);
        assert!(!r.text.contains(&key), "the answer repeats the key");
    }
    let keys = e.list(&keys_url(&e, 0), e.owner()).await;
    assert!(
        !keys.as_array().unwrap().iter().any(|k| k["_id"] == json!(key_id)),
        "the removed member's key is still listed"
    );
    // The owner's keys are untouched.
    assert_eq!(e.get("/api/v1/analytics/overview", e.key(0)).await.status, 200);
}

#[tokio::test]
async fn token_management_stays_inside_the_callers_scope() {
    let e = emu_small();
    let site = e.site(0).to_string();
    let seeded = owner_token_id(&e).await;
    let perms = json!(["api-keys:read", "api-keys:write"]);
    let (scoped_id, scoped) = owner_token(&e, json!({"permissions": perms, "websiteIds": [site]})).await;
    let (narrower_id, _) = owner_token(&e, json!({"permissions": ["api-keys:read"], "websiteIds": [site]})).await;
    let (unscoped_id, unscoped) = owner_token(&e, json!({"permissions": perms})).await;

    let ids = |list: Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|t| t["_id"].as_str().unwrap().to_string()).collect()
    };
    // The website-limited token sees itself and the narrower one, not the broader ones.
    let seen = ids(e.list("/api/v1/admin/access-tokens", &scoped).await);
    assert!(seen.contains(&scoped_id) && seen.contains(&narrower_id), "{seen:?}");
    assert!(!seen.contains(&seeded) && !seen.contains(&unscoped_id), "{seen:?}");
    // Every website but only two permissions: sees the scoped ones, not the `*` token.
    let seen = ids(e.list("/api/v1/admin/access-tokens", &unscoped).await);
    assert!(seen.contains(&scoped_id) && seen.contains(&unscoped_id), "{seen:?}");
    assert!(!seen.contains(&seeded), "{seen:?}");

    let before = e.snapshot();
    for victim in [&seeded, &unscoped_id] {
        let r = e.delete(&format!("/api/v1/admin/access-tokens/{victim}"), &scoped).await;
        assert_error(&r, 404);
    }
    assert_error(&e.delete(&format!("/api/v1/admin/access-tokens/{seeded}"), &unscoped).await, 404);
    assert_eq!(before.diff(&e.snapshot()), None, "a refused delete changed the state");
    assert_eq!(e.get("/api/v1/admin/account", e.owner()).await.status, 200);

    // Inside its scope it still manages tokens.
    let r = e.delete(&format!("/api/v1/admin/access-tokens/{narrower_id}"), &scoped).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn payment_amounts_are_bounded_and_sums_stay_finite() {
    let e = emu_small();
    let overview = "/api/v1/analytics/overview";
    let revenue = |v: &Value| v["data"][0]["revenue"].as_f64().expect("revenue is a number");
    let before_revenue = revenue(&e.body(overview, e.key(0)).await);
    let before = e.snapshot();
    for amount in ["1e308", "1.7976931348623157e308", "100000000000.5", "1e12", "-1", "-1e308"] {
        let body = format!(r#"{{"amount":{amount},"currency":"USD","transaction_id":"tx_{amount}"}}"#);
        let r = e.post("/api/v1/payments", e.key(0), &body).await;
        assert_eq!(r.status, 400, "{amount}: {}", r.text);
        let message = r.json["error"].as_str().unwrap_or_default();
        assert!(message.contains("`amount`") && message.contains("100000000000"), "{amount}: {message}");
    }
    assert_eq!(before.diff(&e.snapshot()), None, "a refused payment changed the state");

    // The largest amount, many times: every sum stays finite and adds up.
    for i in 0..20 {
        let body = format!(r#"{{"amount":100000000000,"currency":"USD","transaction_id":"tx_max_{i}"}}"#);
        assert_eq!(e.post("/api/v1/payments", e.key(0), &body).await.status, 200);
    }
    let after = e.body(overview, e.key(0)).await;
    let expected = before_revenue + 20.0 * 1e11;
    assert!((revenue(&after) - expected).abs() < 1.0, "revenue {} != {expected}", revenue(&after));
    let rpv = after["data"][0]["revenue_per_visitor"].as_f64().unwrap();
    assert!(rpv.is_finite() && rpv > 0.0 && rpv <= expected, "{rpv}");
}
