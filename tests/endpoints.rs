//! Every endpoint of the registry against a running emulator, in Node and in headless
//! Chromium: each one once on its success path and once on a documented error.
//!
//! One scenario walks the resource groups in order (objects are created before they are
//! read, updated and deleted), recording which endpoint ids succeeded and which failed as
//! expected; the last step fails when a registry entry was not exercised both ways. The
//! scenario changes the emulator's state, so `scripts/test.sh` gives each run a fresh one.
#![cfg(target_arch = "wasm32")]

mod common;

use datafast_contract::ENDPOINTS;
use js_sys::{Array, Object, Reflect};
use std::collections::BTreeSet;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use common::{base_url, get, json, owner_token, site_id, site_key, stringify, visitor_id, Client};

/// A well-formed id that names nothing.
const NO_SUCH_ID: &str = "0000000000000000000000ff";
/// A well-formed visitor UUID without pageviews.
const NO_SUCH_VISITOR: &str = "00000000-0000-4000-8000-000000000000";

fn options(token: &str, website_id: Option<&str>) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&o, &k.into(), &v).unwrap();
    set("dangerouslyAllowBrowser", true.into());
    set("baseUrl", base_url().into());
    set("token", token.into());
    set("maxRetries", 0.into());
    if let Some(id) = website_id {
        set("websiteId", id.into());
    }
    o.into()
}

fn website_client(token: &str, website_id: Option<&str>) -> Client {
    Client::website(options(token, website_id)).unwrap()
}
fn admin_client(token: &str) -> Client {
    Client::admin(options(token, None)).unwrap()
}

fn text(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_else(|| panic!("`{key}` is not a string in {}", stringify(v)))
}
fn number(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or_else(|| panic!("`{key}` is not a number in {}", stringify(v)))
}
fn rows(v: &JsValue) -> Array {
    let data = if Array::is_array(v) { v.clone() } else { get(v, "data") };
    assert!(Array::is_array(&data), "expected rows in {}", stringify(v));
    Array::from(&data)
}
fn unique(prefix: &str) -> String {
    format!("{prefix}{}{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e6) as u64)
}

/// Which endpoints the scenario has seen succeed and fail.
#[derive(Default)]
struct Coverage {
    succeeded: BTreeSet<&'static str>,
    failed: BTreeSet<&'static str>,
}

impl Coverage {
    fn id(id: &str) -> &'static str {
        ENDPOINTS.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("{id} is not in the registry")).id
    }

    /// Calls `id` with `args` (path ids, then the parameters) and expects success.
    async fn ok(&mut self, client: &Client, id: &str, args: &[JsValue]) -> JsValue {
        let list: Array = args.iter().collect();
        match JsFuture::from(client.request(id, list.into())).await {
            Ok(v) => {
                self.succeeded.insert(Self::id(id));
                v
            }
            Err(e) => panic!("{id} failed: {}", stringify(&e)),
        }
    }

    /// Calls `id` and expects a `DataFastError` with `code` (and the HTTP `status`, 0 when the
    /// client refused to send).
    async fn fails(&mut self, client: &Client, id: &str, args: &[JsValue], code: &str, status: u16) -> JsValue {
        let list: Array = args.iter().collect();
        match JsFuture::from(client.request(id, list.into())).await {
            Ok(v) => panic!("{id} succeeded unexpectedly: {}", stringify(&v)),
            Err(e) => {
                assert_eq!(get(&e, "name").as_string().as_deref(), Some("DataFastError"), "{id}: {}", stringify(&e));
                assert_eq!(get(&e, "code").as_string().as_deref(), Some(code), "{id}: {}", stringify(&e));
                assert_eq!(get(&e, "status").as_f64(), Some(f64::from(status)), "{id}: {}", stringify(&e));
                assert_eq!(get(&e, "endpoint").as_string().as_deref(), Some(id));
                self.failed.insert(Self::id(id));
                e
            }
        }
    }
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

#[wasm_bindgen_test]
async fn every_endpoint_succeeds_and_fails_as_documented() {
    let mut cov = Coverage::default();
    let site = site_id();
    let owner = admin_client(owner_token());
    let website = website_client(site_key(), None);

    // A token that may only list websites: every other route answers 403.
    let limited =
        cov.ok(&owner, "admin.tokens.create", &[json(r#"{"name":"limited","permissions":["websites:read"]}"#)]).await;
    let limited_token = text(&limited, "key");
    assert!(limited_token.starts_with("dft_"));
    let limited_website = website_client(&limited_token, Some(site));
    let limited_admin = admin_client(&limited_token);

    website_api(&mut cov, &website, &limited_website, &owner, site).await;
    account_api(&mut cov, &owner, &limited_admin, site, &limited).await;
    // The limited token is gone now; the later groups make read-only ones of their own.
    website_settings(&mut cov, &owner, site).await;
    keys_and_goal_settings(&mut cov, &owner, site).await;
    funnels_and_alerts(&mut cov, &owner, &website, site).await;
    team_and_integrations(&mut cov, &owner, site).await;

    // `DELETE /admin/websites/{id}` never succeeds (CONTRACT.md 2.3): its documented answer
    // is the 403 checked in `website_settings`.
    let never_succeeds = ["admin.websites.delete"];
    let missing: Vec<&str> = ENDPOINTS
        .iter()
        .map(|e| e.id)
        .filter(|id| !(cov.succeeded.contains(id) || never_succeeds.contains(id)) || !cov.failed.contains(id))
        .collect();
    assert!(missing.is_empty(), "endpoints not exercised on both paths: {missing:?}");
}

async fn website_api(cov: &mut Coverage, website: &Client, limited: &Client, owner: &Client, site: &str) {
    let overview = cov.ok(website, "analytics.overview", &[]).await;
    assert!(number(&overview, "visitors") > 0.0);
    cov.fails(limited, "analytics.overview", &[], "forbidden", 403).await;

    let series =
        cov.ok(website, "analytics.timeseries", &[json(r#"{"fields":["visitors","revenue"],"interval":"day"}"#)]).await;
    assert_eq!(text(&series, "interval"), "day");
    assert!(rows(&series).length() > 0);
    assert!(get(&get(&series, "totals"), "revenueBreakdown").is_object());
    cov.fails(website, "analytics.timeseries", &[json(r#"{"fields":"visitors"}"#)], "invalid_params", 0).await;

    let realtime = cov.ok(website, "analytics.realtime", &[]).await;
    assert!(number(&realtime, "visitors") >= 0.0);
    cov.fails(website, "analytics.realtime", &[json(r#"{"fields":"sessions"}"#)], "invalid_params", 0).await;

    let map = cov.ok(website, "analytics.realtime_map", &[]).await;
    assert!(Array::is_array(&get(&map, "visitors")));
    assert_eq!(number(&map, "count") as u32, Array::from(&get(&map, "visitors")).length());
    cov.fails(limited, "analytics.realtime_map", &[], "forbidden", 403).await;

    let metadata = cov.ok(website, "analytics.metadata", &[json(r#"{"fields":"domain,currency"}"#)]).await;
    assert!(text(&metadata, "domain").contains('.'));
    assert!(get(&metadata, "timezone").is_undefined(), "fields narrows the answer");
    cov.fails(website, "analytics.metadata", &[json(r#"{"fields":"owner"}"#)], "invalid_params", 0).await;

    let breakdowns = [
        ("analytics.pages", "path"),
        ("analytics.referrers", "referrer"),
        ("analytics.countries", "country"),
        ("analytics.regions", "region"),
        ("analytics.cities", "city"),
        ("analytics.devices", "device"),
        ("analytics.browsers", "browser"),
        ("analytics.operating_systems", "operating_system"),
        ("analytics.campaigns", "campaign"),
        ("analytics.hostnames", "hostname"),
    ];
    for (id, key) in breakdowns {
        let page = cov.ok(website, id, &[json(r#"{"limit":5}"#)]).await;
        let data = rows(&page);
        assert!(data.length() > 0 && data.length() <= 5, "{id}: {}", stringify(&page));
        assert!(!get(&data.get(0), key).is_undefined(), "{id} rows carry `{key}`");
        assert!(number(&get(&page, "pagination"), "total") >= f64::from(data.length()));
        cov.fails(limited, id, &[], "forbidden", 403).await;
    }
    let goals = cov.ok(website, "analytics.goals", &[json(r#"{"limit":1000}"#)]).await;
    assert!(rows(&goals).iter().all(|r| get(&r, "completions").as_f64().is_some()));
    cov.fails(website, "analytics.goals", &[json(r#"{"limit":1001}"#)], "invalid_params", 0).await;

    // Funnel analytics needs a funnel of this website.
    let name = unique("Funnel report ");
    let steps =
        r#"[{"name":"Landing","type":"pageview","url":"/"},{"name":"Signup","type":"goal","goalName":"signup"}]"#;
    let funnel = cov
        .ok(owner, "admin.funnels.create", &[s(site), json(&format!(r#"{{"name":"{name}","steps":{steps}}}"#))])
        .await;
    let report = cov.ok(website, "analytics.funnel", &[get(&funnel, "_id")]).await;
    let visitors: Vec<f64> = rows(&get(&report, "steps")).iter().map(|st| number(&st, "visitors")).collect();
    assert_eq!(visitors.len(), 2);
    assert!(visitors[0] >= visitors[1], "funnel steps never increase: {visitors:?}");
    cov.fails(website, "analytics.funnel", &[s(NO_SUCH_ID)], "not_found", 404).await;

    let list = cov.ok(website, "visitors.list", &[json(r#"{"limit":5}"#)]).await;
    assert!(rows(&list).length() <= 5);
    assert!(get(&get(&list, "pagination"), "hasMore").as_bool().is_some());
    cov.fails(
        website,
        "visitors.list",
        &[json(r#"{"completedGoal":"signup","isCustomer":true}"#)],
        "invalid_params",
        0,
    )
    .await;

    // A goal sent now shows up on the visitor.
    let goal = unique("wasm_goal_");
    let body = format!(r#"{{"datafast_visitor_id":"{}","name":"{goal}"}}"#, visitor_id());
    let created = cov.ok(website, "goals.create", &[json(&body)]).await;
    assert_eq!(text(&created, "eventId").len(), 24);
    cov.fails(
        website,
        "goals.create",
        &[json(&format!(r#"{{"datafast_visitor_id":"{NO_SUCH_VISITOR}","name":"signup"}}"#))],
        "not_found",
        404,
    )
    .await;

    let detail = cov.ok(website, "visitors.get", &[s(visitor_id())]).await;
    assert_eq!(text(&detail, "visitorId"), visitor_id());
    let completed = rows(&get(&get(&detail, "activity"), "completedGoals"));
    assert!(completed.iter().any(|g| text(&g, "name") == goal), "{goal} is among the visitor's goals");
    cov.fails(website, "visitors.get", &[s(NO_SUCH_VISITOR)], "not_found", 404).await;

    let deleted = cov
        .ok(
            website,
            "goals.delete",
            &[json(&format!(r#"{{"datafast_visitor_id":"{}","name":"{goal}"}}"#, visitor_id()))],
        )
        .await;
    assert!(text(&deleted, "message").to_lowercase().contains("delet"));
    // The same delete again matches nothing.
    cov.fails(
        website,
        "goals.delete",
        &[json(&format!(r#"{{"datafast_visitor_id":"{}","name":"{goal}"}}"#, visitor_id()))],
        "not_found",
        404,
    )
    .await;

    let tx = unique("tx_");
    let payment = format!(
        r#"{{"amount":29.99,"currency":"USD","transaction_id":"{tx}","datafast_visitor_id":"{}"}}"#,
        visitor_id()
    );
    let recorded = cov.ok(website, "payments.create", &[json(&payment)]).await;
    assert_eq!(text(&recorded, "transaction_id"), tx);
    assert!(get(&recorded, "status").is_undefined(), "payments answer without the envelope");
    cov.fails(
        website,
        "payments.create",
        &[json(r#"{"amount":-1,"currency":"USD","transaction_id":"tx_negative"}"#)],
        "invalid_params",
        0,
    )
    .await;
    let removed = cov.ok(website, "payments.delete", &[json(&format!(r#"{{"transaction_id":"{tx}"}}"#))]).await;
    assert!(text(&removed, "message").to_lowercase().contains("delet"));
    cov.fails(website, "payments.delete", &[json(&format!(r#"{{"transaction_id":"{tx}"}}"#))], "not_found", 404).await;

    let identified = cov
        .ok(
            website,
            "identify",
            &[json(&format!(r#"{{"user_id":"user-1","visitorId":"{}","plan":"pro"}}"#, visitor_id()))],
        )
        .await;
    assert_eq!(text(&identified, "profileId").len(), 24);
    cov.fails(
        website,
        "identify",
        &[json(&format!(r#"{{"user_id":"user-1","visitorId":"{NO_SUCH_VISITOR}"}}"#))],
        "not_found",
        404,
    )
    .await;
}

async fn account_api(cov: &mut Coverage, owner: &Client, limited: &Client, site: &str, limited_token: &JsValue) {
    let account = cov.ok(owner, "admin.account.get", &[]).await;
    assert!(text(&account, "email").contains('@'));
    cov.fails(&admin_client("dft_00000000000000000000000000000000"), "admin.account.get", &[], "unauthorized", 401)
        .await;

    let updated = cov.ok(owner, "admin.account.update", &[json(r#"{"name":"Jane Wasm"}"#)]).await;
    assert_eq!(text(&updated, "name"), "Jane Wasm");
    cov.fails(owner, "admin.account.update", &[json(r#"{"name":" "}"#)], "invalid_params", 0).await;

    let tokens = cov.ok(owner, "admin.tokens.list", &[]).await;
    assert!(rows(&tokens).iter().all(|t| get(&t, "key").is_undefined()), "lists never carry secrets");
    cov.fails(limited, "admin.tokens.list", &[], "forbidden", 403).await;
    // `admin.tokens.create` succeeded at the start; a permission above the caller's is refused.
    cov.fails(limited, "admin.tokens.create", &[json(r#"{"permissions":["*"]}"#)], "forbidden", 403).await;

    let deleted = cov.ok(owner, "admin.tokens.delete", &[get(limited_token, "_id")]).await;
    assert!(text(&deleted, "message").contains("deleted"));
    cov.fails(owner, "admin.tokens.delete", &[get(limited_token, "_id")], "not_found", 404).await;
    // The deleted token no longer works.
    cov.fails(limited, "admin.websites.list", &[], "unauthorized", 401).await;

    let sites = cov.ok(owner, "admin.websites.list", &[]).await;
    assert!(rows(&sites).iter().any(|w| text(&w, "_id") == site));

    let domain = format!("{}.example.org", unique("wasm-"));
    let body = json(&format!(r#"{{"domain":"{domain}","timezone":"Europe/Paris"}}"#));
    let created = cov.ok(owner, "admin.websites.create", std::slice::from_ref(&body)).await;
    assert_eq!(text(&created, "domain"), domain);
    cov.fails(owner, "admin.websites.create", &[body], "conflict", 409).await;
}

/// A client whose token holds only `permissions`.
async fn with_permissions(cov: &mut Coverage, owner: &Client, permissions: &str) -> Client {
    let t = cov.ok(owner, "admin.tokens.create", &[json(&format!(r#"{{"permissions":{permissions}}}"#))]).await;
    admin_client(&text(&t, "key"))
}

async fn website_settings(cov: &mut Coverage, owner: &Client, site: &str) {
    let reader = with_permissions(cov, owner, r#"["analytics:read"]"#).await;
    let settings = cov.ok(owner, "admin.websites.get", &[s(site)]).await;
    assert_eq!(text(&settings, "_id"), site);
    cov.fails(&reader, "admin.websites.get", &[s(site)], "forbidden", 403).await;
    cov.fails(&reader, "admin.websites.list", &[], "forbidden", 403).await;

    let updated = cov.ok(owner, "admin.websites.update", &[s(site), json(r#"{"kpiColorScheme":"teal"}"#)]).await;
    assert_eq!(text(&updated, "kpiColorScheme"), "teal");
    cov.fails(&reader, "admin.websites.update", &[s(site), json(r#"{"name":"x"}"#)], "forbidden", 403).await;

    let refused = cov.fails(owner, "admin.websites.delete", &[s(site)], "forbidden", 403).await;
    assert!(text(&refused, "message").contains("cannot be done programmatically"));
}

async fn keys_and_goal_settings(cov: &mut Coverage, owner: &Client, site: &str) {
    let reader = with_permissions(cov, owner, r#"["analytics:read"]"#).await;
    let keys = cov.ok(owner, "admin.apikeys.list", &[s(site)]).await;
    assert!(rows(&keys).iter().all(|k| get(&k, "key").is_undefined()));
    cov.fails(&reader, "admin.apikeys.list", &[s(site)], "forbidden", 403).await;

    let key = cov.ok(owner, "admin.apikeys.create", &[s(site), json(r#"{"name":"wasm"}"#)]).await;
    let old_secret = text(&key, "key");
    cov.fails(&reader, "admin.apikeys.create", &[s(site)], "forbidden", 403).await;

    let rolled = cov.ok(owner, "admin.apikeys.roll", &[s(site), get(&key, "_id")]).await;
    assert_ne!(text(&rolled, "key"), old_secret);
    // The old secret stops working at once.
    cov.fails(&website_client(&old_secret, None), "analytics.realtime", &[], "unauthorized", 401).await;
    cov.fails(owner, "admin.apikeys.roll", &[s(site), s(NO_SUCH_ID)], "not_found", 404).await;

    let deleted = cov.ok(owner, "admin.apikeys.delete", &[s(site), get(&key, "_id")]).await;
    assert_eq!(get(&deleted, "deleted").as_bool(), Some(true));
    cov.fails(owner, "admin.apikeys.delete", &[s(site), get(&key, "_id")], "not_found", 404).await;

    let tracked = cov.ok(owner, "admin.goals.tracked", &[s(site)]).await;
    assert!(rows(&tracked).length() > 0);
    cov.fails(&reader, "admin.goals.tracked", &[s(site)], "forbidden", 403).await;

    let body = json(r##"{"goalName":"signup","displayName":"Sign-ups","color":"#22c55e"}"##);
    let saved = cov.ok(owner, "admin.goals.customizations.update", &[s(site), body]).await;
    assert_eq!(text(&saved, "displayName"), "Sign-ups");
    cov.fails(
        owner,
        "admin.goals.customizations.update",
        &[s(site), json(r##"{"goalName":"signup","color":"#123456"}"##)],
        "invalid_params",
        0,
    )
    .await;
    let listed = cov.ok(owner, "admin.goals.customizations.list", &[s(site)]).await;
    assert!(rows(&listed).iter().any(|c| text(&c, "goalName") == "signup"));
    assert!(rows(&get(&listed, "colors")).length() > 0, "the palette comes beside the data");
    cov.fails(&reader, "admin.goals.customizations.list", &[s(site)], "forbidden", 403).await;
    let removed =
        cov.ok(owner, "admin.goals.customizations.delete", &[s(site), json(r#"{"goalName":"signup"}"#)]).await;
    assert_eq!(get(&removed, "deleted").as_bool(), Some(true));
    cov.fails(owner, "admin.goals.customizations.delete", &[s(site), json("{}")], "invalid_params", 0).await;
}

async fn funnels_and_alerts(cov: &mut Coverage, owner: &Client, website: &Client, site: &str) {
    let reader = with_permissions(cov, owner, r#"["analytics:read"]"#).await;
    let name = unique("Checkout ");
    let steps =
        r#"[{"name":"Pricing","type":"pageview","url":"/pricing"},{"name":"Paid","type":"goal","goalName":"payment"}]"#;
    let body = json(&format!(r#"{{"name":"{name}","steps":{steps}}}"#));
    let funnel = cov.ok(owner, "admin.funnels.create", &[s(site), body.clone()]).await;
    assert_eq!(rows(&get(&funnel, "steps")).length(), 2);
    cov.fails(owner, "admin.funnels.create", &[s(site), body], "conflict", 409).await;

    let listed = cov.ok(owner, "admin.funnels.list", &[s(site)]).await;
    assert!(rows(&listed).iter().any(|f| text(&f, "name") == name));
    cov.fails(&reader, "admin.funnels.list", &[s(site)], "forbidden", 403).await;

    let renamed = format!("{name} v2");
    let updated = cov
        .ok(owner, "admin.funnels.update", &[s(site), get(&funnel, "_id"), json(&format!(r#"{{"name":"{renamed}"}}"#))])
        .await;
    assert_eq!(text(&updated, "name"), renamed);
    cov.fails(owner, "admin.funnels.update", &[s(site), s(NO_SUCH_ID), json(r#"{"isActive":true}"#)], "not_found", 404)
        .await;

    cov.ok(owner, "admin.funnels.delete", &[s(site), get(&funnel, "_id")]).await;
    // A deleted funnel has no analytics.
    cov.fails(website, "analytics.funnel", &[get(&funnel, "_id")], "not_found", 404).await;
    cov.fails(owner, "admin.funnels.delete", &[s(site), s(NO_SUCH_ID)], "not_found", 404).await;

    let alert_body =
        r#"{"name":"Wasm alert","trigger":{"goalName":"signup"},"template":{"message":"Someone signed up just now."}}"#;
    let alert = cov.ok(owner, "admin.alerts.create", &[s(site), json(alert_body)]).await;
    assert_eq!(get(&alert, "isEnabled").as_bool(), Some(true));
    cov.fails(
        owner,
        "admin.alerts.create",
        &[s(site), json(r#"{"name":"x","trigger":{"goalName":"signup"},"template":{"message":"short"}}"#)],
        "invalid_params",
        0,
    )
    .await;
    let listed = cov.ok(owner, "admin.alerts.list", &[s(site)]).await;
    assert!(rows(&listed).iter().any(|a| text(&a, "_id") == text(&alert, "_id")));
    cov.fails(&reader, "admin.alerts.list", &[s(site)], "forbidden", 403).await;

    let updated =
        cov.ok(owner, "admin.alerts.update", &[s(site), get(&alert, "_id"), json(r#"{"isEnabled":false}"#)]).await;
    assert_eq!(get(&updated, "isEnabled").as_bool(), Some(false));
    cov.fails(owner, "admin.alerts.update", &[s(site), s(NO_SUCH_ID), json(r#"{"isEnabled":true}"#)], "not_found", 404)
        .await;

    let history = cov.ok(owner, "admin.alerts.history", &[s(site), json(r#"{"limit":10}"#)]).await;
    assert!(number(&get(&history, "counts"), "total") >= f64::from(rows(&history).length()));
    cov.fails(owner, "admin.alerts.history", &[s(site), json(r#"{"limit":101}"#)], "invalid_params", 0).await;

    cov.ok(owner, "admin.alerts.delete", &[s(site), get(&alert, "_id")]).await;
    cov.fails(owner, "admin.alerts.delete", &[s(site), get(&alert, "_id")], "not_found", 404).await;
}

async fn team_and_integrations(cov: &mut Coverage, owner: &Client, site: &str) {
    let reader = with_permissions(cov, owner, r#"["analytics:read"]"#).await;
    let team = rows(&cov.ok(owner, "admin.team.list", &[s(site)]).await);
    cov.fails(&reader, "admin.team.list", &[s(site)], "forbidden", 403).await;

    let email = format!("{}@example.org", unique("invitee-"));
    let body = json(&format!(r#"{{"email":"{email}","role":"member"}}"#));
    let invited = cov.ok(owner, "admin.team.invite", &[s(site), body.clone()]).await;
    assert_eq!(text(&invited, "email"), email);
    cov.fails(owner, "admin.team.invite", &[s(site), body], "conflict", 409).await;

    let owner_row = team.iter().find(|m| text(m, "role") == "owner").expect("the team lists its owner");
    let member = team.iter().find(|m| text(m, "role") != "owner").expect("the demo team has a non-owner");
    let body = json(&format!(r#"{{"userId":"{}"}}"#, text(&member, "userId")));
    cov.ok(owner, "admin.team.remove", &[s(site), body]).await;
    let body = json(&format!(r#"{{"userId":"{}"}}"#, text(&owner_row, "userId")));
    cov.fails(owner, "admin.team.remove", &[s(site), body], "bad_request", 400).await;

    let status = cov.ok(owner, "admin.integrations.get", &[s(site)]).await;
    assert!(get(&get(&status, "stripe"), "connected").as_bool().is_some());
    cov.fails(&reader, "admin.integrations.get", &[s(site)], "forbidden", 403).await;

    let connects = [
        ("stripe", r#"{"stripeRak":"rk_live_wasm_test"}"#, r#"{"stripeRak":"rk_test_wasm_test"}"#),
        (
            "lemonsqueezy",
            r#"{"lemonsqueezyApiKey":"ls_wasm","lemonsqueezyStoreId":"123"}"#,
            r#"{"lemonsqueezyApiKey":"ls_wasm"}"#,
        ),
        ("polar", r#"{"polarAccessToken":"polar_wasm","polarOrgId":"org_1"}"#, r#"{"polarOrgId":"org_1"}"#),
        ("paddle", r#"{"paddleApiKey":"pdl_live_wasm_test"}"#, r#"{"paddleApiKey":"pdl_sdbx_wasm_test"}"#),
    ];
    for (provider, good, bad) in connects {
        let connect = format!("admin.integrations.{provider}.connect");
        let reply = cov.ok(owner, &connect, &[s(site), json(good)]).await;
        assert!(text(&reply, "message").contains("connected"));
        let e = cov.fails(owner, &connect, &[s(site), json(bad)], "invalid_params", 0).await;
        assert!(!stringify(&e).contains("_wasm"), "secrets are never echoed: {}", stringify(&e));
    }
    let status = cov.ok(owner, "admin.integrations.get", &[s(site)]).await;
    assert_eq!(get(&get(&status, "polar"), "connected").as_bool(), Some(true));
    assert!(!stringify(&status).contains("_wasm"), "status never carries secrets");
    for provider in ["stripe", "lemonsqueezy", "polar", "paddle", "shopify", "woocommerce"] {
        let disconnect = format!("admin.integrations.{provider}.disconnect");
        cov.ok(owner, &disconnect, &[s(site)]).await;
        cov.fails(&reader, &disconnect, &[s(site)], "forbidden", 403).await;
    }
}
