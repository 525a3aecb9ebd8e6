//! Admin routes for identity and access: account, tokens, website settings, website keys
//! and team. Every 4xx is also checked to leave the relevant list unchanged.

mod common;

use common::*;
use serde_json::{json, Value};

const ACCOUNT: &str = "/api/v1/admin/account";
const TOKENS: &str = "/api/v1/admin/access-tokens";
const OVERVIEW: &str = "/api/v1/analytics/overview";

/// An error envelope whose message never echoes a credential.
fn assert_error_without(r: &Resp, status: u16, secrets: &[&str]) {
    assert_error(r, status);
    for s in secrets {
        assert!(!r.text.contains(s), "secret leaked: {}", r.text);
    }
}

// ---------- account ----------

#[tokio::test]
async fn account_update_sets_the_name_and_validates_it() {
    let e = emu();
    let r = e.put(ACCOUNT, e.owner(), r#"{"name":"  Jane Doe  "}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = &r.data()[0];
    assert_eq!(a["name"], "Jane Doe");
    assert_eq!(a["email"], "owner@demo.example.com");
    assert!(a.get("image").is_some() && a.get("_id").is_some());
    assert_eq!(a.as_object().unwrap().len(), 4);
    assert_eq!(e.list(ACCOUNT, e.owner()).await[0]["name"], "Jane Doe");

    let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(101));
    for (body, needle) in [
        ("{}", "`name` is required"),
        (r#"{"name":null}"#, "`name` is required"),
        (r#"{"name":"   "}"#, "`name` must not be empty"),
        (r#"{"name":42}"#, "`name` must be a string"),
        (long.as_str(), "at most 100"),
        ("not json", "not valid JSON"),
        ("", "body is required"),
    ] {
        let r = e.put(ACCOUNT, e.owner(), body).await;
        assert_error(&r, 400);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    let ok100 = format!(r#"{{"name":"{}"}}"#, "b".repeat(100));
    assert_eq!(e.put(ACCOUNT, e.owner(), &ok100).await.status, 200);
    assert_eq!(e.list(ACCOUNT, e.owner()).await[0]["name"], "b".repeat(100));
    // Account-level route: a website key is refused and changes nothing.
    let r = e.put(ACCOUNT, e.key(0), r#"{"name":"X"}"#).await;
    assert_error_without(&r, 403, &[e.key(0)]);
    assert_eq!(e.list(ACCOUNT, e.owner()).await[0]["name"], "b".repeat(100));
}

// ---------- access tokens ----------

#[tokio::test]
async fn tokens_list_shows_only_own_tokens_without_secrets() {
    let e = emu();
    let list = e.list(TOKENS, e.owner()).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "the member's and viewer's tokens are not the owner's");
    let t = &list[0];
    for f in ["_id", "name", "displayKey", "scope", "permissions", "websiteIds", "lastUsedAt", "createdAt"] {
        assert!(t.get(f).is_some(), "missing {f}");
    }
    assert!(t.get("key").is_none());
    assert_eq!(t["scope"], "user");
    assert_eq!(t["permissions"], json!(["*"]));
    assert_eq!(t["websiteIds"], json!([]));
    let shown = t["displayKey"].as_str().unwrap();
    assert!(shown.starts_with("dft_") && shown.contains("..."));
    assert!(!e.get(TOKENS, e.owner()).await.text.contains(e.owner()));
    // The listing call itself counts as a use.
    assert!(t["lastUsedAt"].is_string());
    let m = e.list(TOKENS, e.member_token()).await;
    assert_eq!(m.as_array().unwrap().len(), 1);
    assert_ne!(m[0]["_id"], t["_id"]);
    // df_ keys cannot list account tokens.
    assert_error(&e.get(TOKENS, e.key(0)).await, 403);
}

#[tokio::test]
async fn token_create_defaults_secret_once_and_works_at_once() {
    let e = emu();
    let r = e.post(TOKENS, e.owner(), "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = &r.data()[0];
    assert_eq!(t["name"], Value::Null);
    assert_eq!(t["permissions"], json!(["*"]));
    assert_eq!(t["websiteIds"], json!([]));
    assert_eq!(t["scope"], "user");
    let key = t["key"].as_str().unwrap().to_string();
    assert!(key.starts_with("dft_"));
    assert_eq!(t["displayKey"], datafast_contract::TokenKind::display_key(&key));
    // Shown once: the list has the token, but never its secret.
    let list = e.get(TOKENS, e.owner()).await;
    assert_eq!(list.data().as_array().unwrap().len(), 2);
    assert!(!list.text.contains(&key));
    assert!(list.data().as_array().unwrap().iter().all(|t| t.get("key").is_none()));

    // A narrow token: its permissions and its website, nothing else.
    let body = json!({
        "name": "Read only",
        "permissions": ["analytics:read", "websites:read"],
        "websiteIds": [e.site(0)],
    });
    let r = e.post(TOKENS, e.owner(), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = &r.data()[0];
    assert_eq!(t["name"], "Read only");
    assert_eq!(t["permissions"], json!(["analytics:read", "websites:read"]));
    assert_eq!(t["websiteIds"], json!([e.site(0)]));
    let narrow = t["key"].as_str().unwrap().to_string();
    let r = e.get(&format!("{OVERVIEW}?websiteId={}", e.site(0)), &narrow).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sites = e.list("/api/v1/admin/websites", &narrow).await;
    assert_eq!(sites.as_array().unwrap().len(), 1);
    let r = e.get(&format!("{OVERVIEW}?websiteId={}", e.site(1)), &narrow).await;
    assert_error_without(&r, 403, &[&narrow]);
    let r = e.get(TOKENS, &narrow).await;
    assert_error_without(&r, 403, &[&narrow]);
    assert!(r.message().contains("api-keys:read"));
    let r = e.post("/api/v1/admin/websites", &narrow, r#"{"domain":"new.example.com","timezone":"UTC"}"#).await;
    assert_error(&r, 403);
}

#[tokio::test]
async fn token_create_errors_change_nothing() {
    let e = emu();
    // A token that may manage tokens but holds little else, on one website.
    let body = json!({
        "permissions": ["api-keys:read", "api-keys:write", "analytics:read"],
        "websiteIds": [e.site(0)],
    });
    let r = e.post(TOKENS, e.owner(), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let limited = r.data()[0]["key"].as_str().unwrap().to_string();
    let before = e.list(TOKENS, e.owner()).await;

    let cases: Vec<(String, u16, &str)> = vec![
        (r#"{"permissions":["analytics:write"]}"#.into(), 400, "permissions[0]"),
        (r#"{"permissions":[]}"#.into(), 400, "at least one"),
        (r#"{"permissions":"*"}"#.into(), 400, "`permissions` must be an array"),
        (r#"{"permissions":[1]}"#.into(), 400, "`permissions[0]` must be a string"),
        (r#"{"websiteIds":["nope"]}"#.into(), 400, "websiteIds[0]"),
        (r#"{"websiteIds":{}}"#.into(), 400, "`websiteIds` must be an array"),
        (r#"{"name":5}"#.into(), 400, "`name` must be a string"),
        ("[1]".into(), 400, "JSON object"),
        // Beyond the creator: permissions, all websites, other websites.
        (r#"{"permissions":["*"]}"#.into(), 403, "`*`"),
        // The default permissions (`*`) exceed this caller too.
        (r#"{"websiteIds":[]}"#.into(), 403, "`*`"),
        (r#"{"permissions":["analytics:read"],"websiteIds":[]}"#.into(), 403, "websiteIds"),
        (json!({"permissions":["analytics:read"]}).to_string(), 403, "websiteIds"),
        (
            json!({"permissions":["analytics:read","goals:write"],"websiteIds":[e.site(0)]}).to_string(),
            403,
            "goals:write",
        ),
        (json!({"permissions":["analytics:read"],"websiteIds":[e.site(1)]}).to_string(), 403, e.site(1)),
        (
            json!({"permissions":["analytics:read"],"websiteIds":["aaaaaaaaaaaaaaaaaaaaaaaa"]}).to_string(),
            403,
            "aaaaaaaaaaaaaaaaaaaaaaaa",
        ),
    ];
    for (body, status, needle) in &cases {
        let r = e.post(TOKENS, &limited, body).await;
        assert_error_without(&r, *status, &[&limited]);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    // Within the creator's rights it works.
    let ok = json!({"permissions":["analytics:read"],"websiteIds":[e.site(0)]});
    let r = e.post(TOKENS, &limited, &ok.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut after = e.list(TOKENS, e.owner()).await;
    after.as_array_mut().unwrap().pop();
    // `lastUsedAt` of the limited token moved; nothing else did.
    let strip = |v: &Value| -> Vec<Value> {
        v.as_array().unwrap().iter().map(|t| json!([t["_id"], t["permissions"], t["websiteIds"], t["name"]])).collect()
    };
    assert_eq!(strip(&before), strip(&after));
}

#[tokio::test]
async fn token_limit_is_20_per_account() {
    let e = emu();
    for i in 1..20 {
        let r = e.post(TOKENS, e.owner(), &format!(r#"{{"name":"t{i}"}}"#)).await;
        assert_eq!(r.status, 200, "token {i}: {}", r.text);
    }
    let before = e.list(TOKENS, e.owner()).await;
    assert_eq!(before.as_array().unwrap().len(), 20);
    let r = e.post(TOKENS, e.owner(), "{}").await;
    assert_error(&r, 403);
    assert!(r.message().contains("20"), "{}", r.message());
    let after = e.list(TOKENS, e.owner()).await;
    assert_eq!(after.as_array().unwrap().len(), 20);
    // Other accounts have their own budget.
    assert_eq!(e.post(TOKENS, e.member_token(), "{}").await.status, 200);
}

#[tokio::test]
async fn token_delete_revokes_at_once() {
    let e = emu();
    let r = e.post(TOKENS, e.owner(), r#"{"name":"temp"}"#).await;
    let id = r.data()[0]["_id"].as_str().unwrap().to_string();
    let key = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_eq!(e.get(ACCOUNT, &key).await.status, 200);
    let before = e.list(TOKENS, e.owner()).await;

    // Errors first: none of them deletes anything.
    let r = e.delete(&format!("{TOKENS}/nope"), e.owner()).await;
    assert_error(&r, 400);
    let r = e.delete(&format!("{TOKENS}/aaaaaaaaaaaaaaaaaaaaaaaa"), e.owner()).await;
    assert_error(&r, 404);
    // Another user's token is "not found" for this caller.
    let r = e.delete(&format!("{TOKENS}/{id}"), e.member_token()).await;
    assert_error(&r, 404);
    let r = e.delete(&format!("{TOKENS}/{id}"), e.key(0)).await;
    assert_error(&r, 403);
    let same = e.list(TOKENS, e.owner()).await;
    assert_eq!(before.as_array().unwrap().len(), same.as_array().unwrap().len());

    let r = e.delete(&format!("{TOKENS}/{id}"), e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["data"], json!([{"message": "Access token deleted successfully"}]));
    assert_error_without(&e.get(ACCOUNT, &key).await, 401, &[&key]);
    assert_error(&e.delete(&format!("{TOKENS}/{id}"), e.owner()).await, 404);
    assert_eq!(e.list(TOKENS, e.owner()).await.as_array().unwrap().len(), 1);

    // A token may delete itself, and is gone for the next call.
    let r = e.post(TOKENS, e.owner(), "{}").await;
    let id = r.data()[0]["_id"].as_str().unwrap().to_string();
    let key = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_eq!(e.delete(&format!("{TOKENS}/{id}"), &key).await.status, 200);
    assert_error(&e.get(TOKENS, &key).await, 401);
}

// ---------- website settings ----------

fn site_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}", e.site(i))
}

#[tokio::test]
async fn website_get_shows_settings_with_defaults() {
    let e = emu();
    for token in [e.owner(), e.key(0), e.viewer_token(), e.member_token()] {
        let w = e.list(&site_url(&e, 0), token).await;
        let w = &w[0];
        assert_eq!(w["_id"], e.site(0));
        assert_eq!(w["domain"], "demo.example.com");
        assert_eq!(w["timezone"], "UTC");
        assert_eq!(w["currency"], "USD");
        assert!(w["trackingId"].as_str().unwrap().starts_with("dfid_"));
        assert_eq!(w["kpi"], Value::Null);
        assert_eq!(w["kpiColorScheme"], Value::Null);
        assert_eq!(w["revenueMetric"], Value::Null);
        assert_eq!(w["isCookieless"], false);
        assert_eq!(w["includeRenewalRevenue"], false);
        for f in ["allowedHostnames", "excludedIps", "excludedPaths", "excludedCountries", "excludedHostnames"] {
            assert_eq!(w[f], json!([]), "{f}");
        }
    }
    // A key of the other website, an unknown id, a malformed id.
    assert_error(&e.get(&site_url(&e, 0), e.key(1)).await, 403);
    let r = e.get("/api/v1/admin/websites/aaaaaaaaaaaaaaaaaaaaaaaa", e.owner()).await;
    assert_error(&r, 404);
    assert_error(&e.get("/api/v1/admin/websites/nope", e.owner()).await, 400);
    // The viewer has no role on the second website.
    assert_error(&e.get(&site_url(&e, 1), e.viewer_token()).await, 403);
}

#[tokio::test]
async fn website_update_applies_changes() {
    let e = emu();
    let body = json!({
        "name": "Renamed",
        "timezone": "Europe/Paris",
        "currency": "eur",
        "kpi": "signup",
        "kpiColorScheme": "blue",
        "revenueMetric": "mrr",
        "isCookieless": true,
        "includeRenewalRevenue": true,
        "sendWeeklyReports": true,
        "excludedIps": ["10.0.0.1"],
        "excludedPaths": ["/admin/*"],
        "excludedCountries": ["FR"],
        "excludedHostnames": ["staging.demo.example.com"],
        "allowedHostnames": ["demo.example.com"],
    });
    let r = e.put(&site_url(&e, 0), e.owner(), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let w = &r.data()[0];
    assert_eq!(w["name"], "Renamed");
    assert_eq!(w["timezone"], "Europe/Paris");
    assert_eq!(w["currency"], "EUR");
    assert_eq!(w["kpi"], "signup");
    assert_eq!(w["revenueMetric"], "mrr");
    assert_eq!(w["isCookieless"], true);
    assert_eq!(w["excludedIps"], json!(["10.0.0.1"]));
    assert_eq!(e.list(&site_url(&e, 0), e.owner()).await[0], *w);

    // Send only changes: other settings stay; null clears an optional string.
    let r = e.put(&site_url(&e, 0), e.key(0), r#"{"kpi":null,"name":null}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let w = &r.data()[0];
    assert_eq!(w["kpi"], Value::Null);
    assert_eq!(w["name"], Value::Null);
    assert_eq!(w["timezone"], "Europe/Paris");
    assert_eq!(w["excludedPaths"], json!(["/admin/*"]));
    // The member may change settings too.
    let r = e.put(&site_url(&e, 0), e.member_token(), r#"{"domain":"New.Example.com"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["domain"], "new.example.com");
}

#[tokio::test]
async fn website_update_errors_change_nothing() {
    let e = emu();
    let url = site_url(&e, 0);
    let before = e.list(&url, e.owner()).await;
    let cases: &[(&str, u16, &str)] = &[
        (r#"{"name":"ok","isCookieless":"yes"}"#, 400, "`isCookieless` must be a boolean"),
        // Unknown settings are refused, as the client refuses them (DECISIONS.md, "Input checks").
        (r#"{"kpi":"signup","somethingElse":{"ignored":true}}"#, 400, "`somethingElse` is not a parameter"),
        (r#"{"kpiColorScheme":"magenta"}"#, 400, "`kpiColorScheme` must be one of"),
        (r#"{"excludedIps":"10.0.0.1"}"#, 400, "`excludedIps` must be an array"),
        (r#"{"excludedPaths":["/a",3]}"#, 400, "`excludedPaths[1]`"),
        (r#"{"name":7}"#, 400, "`name` must be a string"),
        (r#"{"timezone":"Mars/Base"}"#, 400, "`timezone`"),
        (r#"{"timezone":null}"#, 400, "`timezone` is required"),
        (r#"{"currency":"dollars"}"#, 400, "`currency`"),
        (r#"{"revenueMetric":"profit"}"#, 400, "`revenueMetric`"),
        (r#"{"domain":"https://x.com"}"#, 400, "`domain`"),
        (r#"{"kpi":["signup"]}"#, 400, "`kpi` must be a string"),
        ("[]", 400, "JSON object"),
        // The owner's other website already uses this domain.
        (r#"{"domain":"shop.example.com"}"#, 409, "shop.example.com"),
    ];
    for (body, status, needle) in cases {
        let r = e.put(&url, e.owner(), body).await;
        assert_error(&r, *status);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    // Viewers read but do not write; a key of another website gets nothing.
    let r = e.put(&url, e.viewer_token(), r#"{"name":"Nope"}"#).await;
    assert_error_without(&r, 403, &[e.viewer_token()]);
    assert!(r.message().contains("viewer"), "{}", r.message());
    assert_error(&e.put(&url, e.key(1), r#"{"name":"Nope"}"#).await, 403);
    assert_eq!(e.list(&url, e.owner()).await, before);
}

#[tokio::test]
async fn website_delete_is_always_refused() {
    let e = emu();
    for i in 0..2 {
        let r = e.delete(&site_url(&e, i), e.owner()).await;
        assert_error(&r, 403);
        assert_eq!(
            r.message(),
            format!(
                "Website deletion cannot be done programmatically. Please delete this website from the DataFast dashboard: https://datafa.st/dashboard/{}",
                e.site(i)
            )
        );
    }
    assert_error(&e.delete(&site_url(&e, 0), e.key(0)).await, 403);
    assert_error(&e.delete(&site_url(&e, 0), e.member_token()).await, 403);
    assert_eq!(e.list("/api/v1/admin/websites", e.owner()).await.as_array().unwrap().len(), 2);
}

// ---------- website API keys ----------

fn keys_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/apikeys", e.site(i))
}

#[tokio::test]
async fn apikeys_list_is_masked() {
    let e = emu();
    let r = e.get(&keys_url(&e, 0), e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let keys = r.data().as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let k = &keys[0];
    for f in ["_id", "name", "displayKey", "websiteId", "lastUsedAt", "createdAt"] {
        assert!(k.get(f).is_some(), "missing {f}");
    }
    assert!(k.get("key").is_none());
    assert_eq!(k["websiteId"], e.site(0));
    assert_eq!(k["displayKey"], datafast_contract::TokenKind::display_key(e.key(0)));
    assert!(!r.text.contains(e.key(0)));
    // With its own key (df_), and for a viewer (read).
    assert_eq!(e.list(&keys_url(&e, 0), e.key(0)).await.as_array().unwrap().len(), 1);
    assert_eq!(e.list(&keys_url(&e, 0), e.viewer_token()).await.as_array().unwrap().len(), 1);
    assert_error(&e.get(&keys_url(&e, 1), e.key(0)).await, 403);
}

#[tokio::test]
async fn apikey_create_shows_the_secret_once_and_caps_at_10() {
    let e = emu();
    let r = e.post(&keys_url(&e, 0), e.owner(), r#"{"name":"Production key"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let k = &r.data()[0];
    assert_eq!(k["name"], "Production key");
    assert_eq!(k["websiteId"], e.site(0));
    let secret = k["key"].as_str().unwrap().to_string();
    assert!(secret.starts_with("df_"));
    assert_eq!(k["displayKey"], datafast_contract::TokenKind::display_key(&secret));
    let list = e.get(&keys_url(&e, 0), e.owner()).await;
    assert!(!list.text.contains(&secret));
    // The new key works at once, for its website only.
    assert_eq!(e.get(OVERVIEW, &secret).await.status, 200);
    assert_error(&e.get(&keys_url(&e, 1), &secret).await, 403);
    // No body at all: name null. Member and df_ may create.
    let r = e.call("POST", &keys_url(&e, 0), Some(e.member_token()), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["name"], Value::Null);
    assert_eq!(e.post(&keys_url(&e, 0), e.key(0), "{}").await.status, 200);
    // Four exist now (seeded, owner, member, df_): six more reach the cap.
    for _ in 5..=10 {
        assert_eq!(e.post(&keys_url(&e, 0), e.owner(), "{}").await.status, 200);
    }
    let before = e.list(&keys_url(&e, 0), e.owner()).await;
    assert_eq!(before.as_array().unwrap().len(), 10);
    let r = e.post(&keys_url(&e, 0), e.owner(), "{}").await;
    assert_error(&r, 400);
    assert!(r.message().contains("10"), "{}", r.message());
    // The limit is per website.
    assert_eq!(e.post(&keys_url(&e, 1), e.owner(), "{}").await.status, 200);
    assert_eq!(e.list(&keys_url(&e, 0), e.owner()).await, before);
}

#[tokio::test]
async fn apikey_errors_change_nothing() {
    let e = emu();
    let url = keys_url(&e, 0);
    let id = e.list(&url, e.owner()).await[0]["_id"].as_str().unwrap().to_string();
    let before = e.list(&url, e.owner()).await;
    assert_error(&e.post(&url, e.owner(), r#"{"name":3}"#).await, 400);
    assert_error(&e.post(&url, e.owner(), "nope").await, 400);
    for (method, token) in [("POST", e.viewer_token()), ("PUT", e.viewer_token()), ("DELETE", e.viewer_token())] {
        let uri = if method == "POST" { url.clone() } else { format!("{url}/{id}") };
        let r = e.call(method, &uri, Some(token), Some("{}")).await;
        assert_error_without(&r, 403, &[token]);
        assert!(r.message().contains("viewer"), "{}", r.message());
    }
    for method in ["PUT", "DELETE"] {
        let r = e.call(method, &format!("{url}/aaaaaaaaaaaaaaaaaaaaaaaa"), Some(e.owner()), None).await;
        assert_error(&r, 404);
        let r = e.call(method, &format!("{url}/nope"), Some(e.owner()), None).await;
        assert_error(&r, 400);
        // The key exists, but on the other website.
        let r = e.call(method, &format!("{}/{id}", keys_url(&e, 1)), Some(e.owner()), None).await;
        assert_error(&r, 404);
    }
    let after = e.list(&url, e.owner()).await;
    assert_eq!(before, after);
    assert_eq!(e.get(OVERVIEW, e.key(0)).await.status, 200);
}

#[tokio::test]
async fn apikey_roll_and_delete_invalidate_at_once() {
    let e = emu();
    let url = keys_url(&e, 0);
    let id = e.list(&url, e.owner()).await[0]["_id"].as_str().unwrap().to_string();
    let old = e.key(0).to_string();
    let r = e.put(&format!("{url}/{id}"), e.owner(), "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let k = &r.data()[0];
    assert_eq!(k["_id"], id.as_str());
    let new = k["key"].as_str().unwrap().to_string();
    assert!(new.starts_with("df_") && new != old);
    assert_error_without(&e.get(OVERVIEW, &old).await, 401, &[&old]);
    assert_eq!(e.get(OVERVIEW, &new).await.status, 200);
    let list = e.get(&url, e.owner()).await;
    assert_eq!(list.data().as_array().unwrap().len(), 1);
    assert_eq!(list.data()[0]["displayKey"], datafast_contract::TokenKind::display_key(&new));
    assert!(!list.text.contains(&new));

    // A key may roll itself; the member may roll too.
    let r = e.put(&format!("{url}/{id}"), &new, "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let newer = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_error(&e.get(OVERVIEW, &new).await, 401);
    let r = e.put(&format!("{url}/{id}"), e.member_token(), "").await;
    assert_eq!(r.status, 200);
    let current = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_error(&e.get(OVERVIEW, &newer).await, 401);

    let r = e.delete(&format!("{url}/{id}"), e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["data"], json!([{"deleted": true}]));
    assert_error(&e.get(OVERVIEW, &current).await, 401);
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    assert_error(&e.delete(&format!("{url}/{id}"), e.owner()).await, 404);
    // The other website's key is untouched.
    assert_eq!(e.get(OVERVIEW, e.key(1)).await.status, 200);
}

// ---------- team ----------

fn team_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/team", e.site(i))
}

#[tokio::test]
async fn team_list_shows_members_with_roles() {
    let e = emu();
    for token in [e.owner(), e.key(0), e.member_token(), e.viewer_token()] {
        let team = e.list(&team_url(&e, 0), token).await;
        let team = team.as_array().unwrap();
        assert_eq!(team.len(), 3);
        let roles: Vec<&str> = team.iter().map(|m| m["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["owner", "member", "viewer"]);
        for m in team {
            for f in ["userId", "name", "email", "image", "role", "joinedAt"] {
                assert!(m.get(f).is_some(), "missing {f}");
            }
        }
        assert_eq!(team[1]["email"], "member@demo.example.com");
        assert_eq!(team[1]["userId"], e.creds.team[0].user_id.as_str());
    }
    assert_eq!(e.list(&team_url(&e, 1), e.owner()).await.as_array().unwrap().len(), 1);
    assert_error(&e.get(&team_url(&e, 1), e.member_token()).await, 403);
}

#[tokio::test]
async fn team_invite_validates_and_refuses_duplicates() {
    let e = emu();
    let url = team_url(&e, 0);
    let team_before = e.list(&url, e.owner()).await;
    let cases: &[(&str, &str, u16, &str)] = &[
        // Rights first: member, viewer and df_ keys cannot invite.
        ("member", r#"{"email":"new@example.com"}"#, 403, "owner"),
        ("viewer", r#"{"email":"new@example.com"}"#, 403, "owner"),
        ("key", r#"{"email":"new@example.com"}"#, 403, "dft_"),
        ("owner", r#"{"email":"not-an-email"}"#, 400, "`email`"),
        ("owner", r#"{"role":"viewer"}"#, 400, "`email` is required"),
        ("owner", r#"{"email":"new@example.com","role":"owner"}"#, 400, "`role`"),
        ("owner", r#"{"email":"new@example.com","role":5}"#, 400, "`role` must be a string"),
        ("owner", "", 400, "body is required"),
        ("owner", r#"{"email":" Owner@Demo.Example.com "}"#, 400, "yourself"),
        ("owner", r#"{"email":"MEMBER@demo.example.com"}"#, 409, "already a member"),
        ("owner", r#"{"email":"viewer@demo.example.com","role":"member"}"#, 409, "already a member"),
    ];
    for (who, body, status, needle) in cases {
        let token = match *who {
            "member" => e.member_token(),
            "viewer" => e.viewer_token(),
            "key" => e.key(0),
            _ => e.owner(),
        };
        let r = e.post(&url, token, body).await;
        assert_error_without(&r, *status, &[token]);
        assert!(r.message().contains(needle), "{who} {body}: {}", r.message());
    }
    assert_eq!(e.list(&url, e.owner()).await, team_before);

    // None of the refused invites was stored: the same address can be invited once.
    let r = e.post(&url, e.owner(), r#"{"email":"  New@Example.COM "}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let inv = &r.data()[0];
    assert_eq!(inv["email"], "new@example.com");
    assert_eq!(inv["role"], "viewer");
    assert_eq!(inv["message"], "Invitation created. Send the invite link to the user.");
    assert!(datafast_contract::rules::is_object_id(inv["invitationId"].as_str().unwrap()));
    let r = e.post(&url, e.owner(), r#"{"email":"new@example.com","role":"member"}"#).await;
    assert_error(&r, 409);
    assert!(r.message().contains("pending"), "{}", r.message());
    // Invites are per website; a pending invite is not a member.
    let r = e.post(&team_url(&e, 1), e.owner(), r#"{"email":"new@example.com","role":"member"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["role"], "member");
    assert_eq!(e.list(&url, e.owner()).await, team_before);
}

#[tokio::test]
async fn team_remove_rules_and_effect() {
    let e = emu();
    let url = team_url(&e, 0);
    let member_id = e.creds.team[0].user_id.clone();
    let viewer_id = e.creds.team[1].user_id.clone();
    let owner_id = e.list(ACCOUNT, e.owner()).await[0]["_id"].as_str().unwrap().to_string();
    let before = e.list(&url, e.owner()).await;
    let body = |id: &str| json!({ "userId": id }).to_string();
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("member", body(&viewer_id), 403, "owner"),
        ("viewer", body(&member_id), 403, "owner"),
        ("key", body(&member_id), 403, "dft_"),
        ("owner", body(&owner_id), 400, "themself"),
        ("owner", "{}".into(), 400, "`userId` is required"),
        ("owner", body("nope"), 400, "`userId`"),
        ("owner", "".into(), 400, "body is required"),
        ("owner", body("aaaaaaaaaaaaaaaaaaaaaaaa"), 404, "aaaaaaaaaaaaaaaaaaaaaaaa"),
    ];
    for (who, body, status, needle) in &cases {
        let token = match *who {
            "member" => e.member_token(),
            "viewer" => e.viewer_token(),
            "key" => e.key(0),
            _ => e.owner(),
        };
        let r = e.call("DELETE", &url, Some(token), Some(body)).await;
        assert_error_without(&r, *status, &[token]);
        assert!(r.message().contains(needle), "{who} {body}: {}", r.message());
    }
    assert_eq!(e.list(&url, e.owner()).await, before);

    let r = e.call("DELETE", &url, Some(e.owner()), Some(&body(&member_id))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.data()[0]["message"].is_string());
    let team = e.list(&url, e.owner()).await;
    assert_eq!(team.as_array().unwrap().len(), 2);
    assert!(team.as_array().unwrap().iter().all(|m| m["userId"] != member_id.as_str()));
    // The removed member's token still authenticates but has no role on the website.
    let r = e.get(&format!("{OVERVIEW}?websiteId={}", e.site(0)), e.member_token()).await;
    assert_error(&r, 403);
    let r = e.call("DELETE", &url, Some(e.owner()), Some(&body(&member_id))).await;
    assert_error(&r, 404);
    // Once removed, the address can be invited again.
    let r = e.post(&url, e.owner(), r#"{"email":"member@demo.example.com","role":"member"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

// ---------- roles across routes (CONTRACT 2.8) ----------

#[tokio::test]
async fn member_writes_viewer_reads() {
    let e = emu();
    let site = e.site(0);
    let keys = keys_url(&e, 0);
    let settings = site_url(&e, 0);
    // Reads: every role.
    for token in [e.member_token(), e.viewer_token()] {
        assert_eq!(e.get(&format!("{OVERVIEW}?websiteId={site}"), token).await.status, 200);
        assert_eq!(e.get(&keys, token).await.status, 200);
        assert_eq!(e.get(&settings, token).await.status, 200);
    }
    // Writes: member yes, viewer no.
    assert_eq!(e.post(&keys, e.member_token(), "{}").await.status, 200);
    assert_eq!(e.put(&settings, e.member_token(), r#"{"kpi":"signup"}"#).await.status, 200);
    let keys_before = e.list(&keys, e.owner()).await;
    let r = e.post(&keys, e.viewer_token(), "{}").await;
    assert_error(&r, 403);
    assert!(r.message().contains("viewer"));
    assert_eq!(e.list(&keys, e.owner()).await, keys_before);
    // Tokens are account-level: a viewer manages their own tokens, scoped to what they reach.
    let r = e.post(TOKENS, e.viewer_token(), &json!({"websiteIds":[e.site(1)]}).to_string()).await;
    assert_error(&r, 403);
    let r = e.post(TOKENS, e.viewer_token(), &json!({"websiteIds":[site]}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // That token inherits the viewer role: still no writes.
    let t = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_error(&e.put(&settings, &t, r#"{"kpi":"x"}"#).await, 403);
}

/// Every setting the contract lets `PUT /admin/websites/{id}` change is applied: for each
/// field of the route's parameter table, one of two valid values changes the stored website.
/// A field the table declares but the handler drops would pass the input check and change
/// nothing.
#[tokio::test]
async fn website_update_applies_every_declared_setting() {
    use datafast_contract::params::Kind;
    let e = emu();
    let url = site_url(&e, 0);
    let ep = datafast_contract::registry::find("admin.websites.update").unwrap();
    for field in ep.params().all() {
        let values: [Value; 2] = match field.kind {
            Kind::Bool => [json!(true), json!(false)],
            Kind::OneOf(options) => [json!(options[0]), json!(options[1])],
            Kind::Strings => [json!(["a.example.org"]), json!(["b.example.org"])],
            Kind::Text { .. } => [json!("First"), json!("Second")],
            Kind::Str(rule) => match rule.format {
                "hostname" => [json!("first.example.org"), json!("second.example.org")],
                "timezone" => [json!("Europe/Paris"), json!("Asia/Tokyo")],
                "currency" => [json!("EUR"), json!("JPY")],
                other => panic!("{}: no sample values for {other}", field.name),
            },
            other => panic!("{}: no sample values for {other:?}", field.name),
        };
        let changed = async |value: &Value| {
            let before = e.snapshot();
            let r = e.put(&url, e.owner(), &json!({ field.name: value }).to_string()).await;
            assert_eq!(r.status, 200, "{}: {}", field.name, r.text);
            before.diff(&e.snapshot()).is_some()
        };
        let first = changed(&values[0]).await;
        assert!(first || changed(&values[1]).await, "`{}` was accepted but changed nothing", field.name);
    }
}
