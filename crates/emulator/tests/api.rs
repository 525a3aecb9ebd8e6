//! Behaviour of the HTTP API, driven in-process (no socket).

mod common;

use common::*;
use datafast_emulator::RateLimit;
use serde_json::Value;

const OVERVIEW: &str = "/api/v1/analytics/overview";
const PAGES: &str = "/api/v1/analytics/pages";

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

// ---------- analytics.overview ----------

#[tokio::test]
async fn overview_computes_the_documented_fields() {
    let e = emu();
    let r = e.get(OVERVIEW, e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["status"], "success");
    let rows = r.data().as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let o = &rows[0];
    for f in [
        "visitors",
        "sessions",
        "bounce_rate",
        "avg_session_duration",
        "currency",
        "revenue",
        "payments",
        "revenue_per_visitor",
        "conversion_rate",
    ] {
        assert!(o.get(f).is_some(), "missing {f}: {o}");
    }
    let visitors = u64_of(&o["visitors"]);
    let sessions = u64_of(&o["sessions"]);
    assert!(visitors >= 3000, "a few thousand visitors: {visitors}");
    assert!(sessions > visitors);
    let bounce = o["bounce_rate"].as_f64().unwrap();
    assert!((20.0..80.0).contains(&bounce), "{bounce}");
    assert!(o["avg_session_duration"].as_f64().unwrap() > 1000.0);
    assert_eq!(o["currency"], "$");
    assert!(u64_of(&o["payments"]) > 0);
    let revenue = o["revenue"].as_f64().unwrap();
    let rpv = o["revenue_per_visitor"].as_f64().unwrap();
    assert!((rpv - revenue / visitors as f64).abs() < 0.01);
    let cr = o["conversion_rate"].as_f64().unwrap();
    assert!(cr > 0.0 && cr < 10.0);

    // The shop counts in euros; a dft_ token with websiteId sees the same as the site's key.
    let shop = e.get(OVERVIEW, e.key(1)).await;
    assert_eq!(shop.data()[0]["currency"], "€");
    let via_owner = e.get(&format!("{OVERVIEW}?websiteId={}", e.site(1)), e.owner()).await;
    assert_eq!(via_owner.json, shop.json);
}

#[tokio::test]
async fn overview_fields_dates_and_filters() {
    let e = emu();
    let k = e.key(0);
    let r = e.get(&format!("{OVERVIEW}?fields=visitors,revenue"), k).await;
    let o = r.data()[0].as_object().unwrap();
    assert_eq!(o.keys().collect::<Vec<_>>(), ["revenue", "visitors"]);

    let bad = e.get(&format!("{OVERVIEW}?fields=visitors,pageviews"), k).await;
    assert_error(&bad, 400);
    assert!(bad.message().contains("fields") && bad.message().contains("pageviews"), "{}", bad.message());

    let one_date = e.get(&format!("{OVERVIEW}?startAt=2026-05-01"), k).await;
    assert_error(&one_date, 400);
    assert!(one_date.message().contains("endAt"));
    assert_error(&e.get(&format!("{OVERVIEW}?startAt=yesterday&endAt=2026-05-01"), k).await, 400);

    // Date ranges narrow the numbers; the last 7 days are a part of all time.
    let all = u64_of(&e.get(OVERVIEW, k).await.data()[0]["visitors"]);
    let week = e.get(&format!("{OVERVIEW}?startAt=2026-05-21&endAt=2026-05-28"), k).await;
    assert_eq!(week.status, 200, "{}", week.text);
    let week = u64_of(&week.data()[0]["visitors"]);
    assert!(week > 0 && week < all, "{week} vs {all}");
    let empty = e.get(&format!("{OVERVIEW}?startAt=2020-01-01T00:00:00Z&endAt=2020-01-02T00:00:00Z"), k).await;
    assert_eq!(u64_of(&empty.data()[0]["visitors"]), 0);
    assert_eq!(empty.data()[0]["bounce_rate"], 0);

    // A visitor keeps one country: `is` and `is_not` partition the visitors.
    let us = u64_of(&e.get(&format!("{OVERVIEW}?filter_country=US"), k).await.data()[0]["visitors"]);
    let not_us =
        u64_of(&e.get(&format!("{OVERVIEW}?filter_country=is_not:United%20States"), k).await.data()[0]["visitors"]);
    assert!(us > 0 && not_us > 0);
    assert_eq!(us + not_us, all);
    // Gen-1 spelling without the prefix, several values OR-ed.
    let legacy = u64_of(&e.get(&format!("{OVERVIEW}?country=US"), k).await.data()[0]["visitors"]);
    assert_eq!(legacy, us);
    let two = u64_of(&e.get(&format!("{OVERVIEW}?filter_country=US,FR"), k).await.data()[0]["visitors"]);
    assert!(two > us);
    for (param, value) in [
        ("filter_device", "mobile"),
        ("filter_browser", "Safari"),
        ("filter_os", "iOS"),
        ("filter_referrer", "Google"),
        ("filter_hostname", "docs.demo.example.com"),
        ("filter_page", "contains:/docs"),
    ] {
        let n = u64_of(&e.get(&format!("{OVERVIEW}?{param}={value}"), k).await.data()[0]["visitors"]);
        assert!(n > 0 && n < all, "{param}={value}: {n}");
    }
    let bad_filter = e.get(&format!("{OVERVIEW}?filter_planet=Mars"), k).await;
    assert_error(&bad_filter, 400);
    assert!(bad_filter.message().contains("filters.planet"));
    assert_error(&e.get(&format!("{OVERVIEW}?filter_country=contains:Fr"), k).await, 400);
}

// ---------- analytics.pages ----------

#[tokio::test]
async fn pages_rows_paging_and_consistency_with_overview() {
    let e = emu();
    let k = e.key(0);
    let overview_visitors = u64_of(&e.get(OVERVIEW, k).await.data()[0]["visitors"]);

    let all = e.get(&format!("{PAGES}?limit=1000"), k).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let rows = all.data().as_array().unwrap().clone();
    let total = u64_of(&all.json["pagination"]["total"]) as usize;
    assert_eq!(rows.len(), total, "one page holds every row");
    assert_eq!(all.json["pagination"]["limit"], 1000);
    assert_eq!(all.json["pagination"]["offset"], 0);
    let paths: std::collections::HashSet<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert!(paths.len() >= 15, "{}", paths.len());
    for r in &rows {
        for key in ["hostname", "path", "visitors", "revenue", "payments"] {
            assert!(r.get(key).is_some(), "{r}");
        }
    }
    // Sorted by visitors, descending.
    assert!(rows.windows(2).all(|w| u64_of(&w[0]["visitors"]) >= u64_of(&w[1]["visitors"])));
    // Every visitor viewed at least one page, many viewed several.
    let sum: u64 = rows.iter().map(|r| u64_of(&r["visitors"])).sum();
    assert!(sum >= overview_visitors, "{sum} < {overview_visitors}");
    assert!(rows.iter().all(|r| u64_of(&r["visitors"]) <= overview_visitors));

    // Default page size is 100; limit/offset slice the same ordering.
    let default = e.get(PAGES, k).await;
    assert_eq!(default.json["pagination"]["limit"], 100);
    let page = e.get(&format!("{PAGES}?limit=5&offset=3"), k).await;
    assert_eq!(page.data().as_array().unwrap().as_slice(), &rows[3..8]);
    assert_eq!(page.json["pagination"], serde_json::json!({"limit": 5, "offset": 3, "total": total}));
    let past_end = e.get(&format!("{PAGES}?offset={}", total + 10), k).await;
    assert_eq!(past_end.data().as_array().unwrap().len(), 0);

    for bad in ["limit=0", "limit=1001", "limit=abc", "limit=2.5", "offset=-1"] {
        let r = e.get(&format!("{PAGES}?{bad}"), k).await;
        assert_error(&r, 400);
        let field = bad.split('=').next().unwrap();
        assert!(r.message().contains(field), "{bad}: {}", r.message());
    }

    // fields keeps the dimension keys.
    let only_visitors = e.get(&format!("{PAGES}?fields=visitors&limit=3"), k).await;
    for r in only_visitors.data().as_array().unwrap() {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["hostname", "path", "visitors"]);
    }
    // A page filter restricts the rows too.
    let docs = e.get(&format!("{PAGES}?filter_page=contains:/docs"), k).await;
    let docs = docs.data().as_array().unwrap();
    assert!(!docs.is_empty() && docs.iter().all(|r| r["path"].as_str().unwrap().starts_with("/docs")));
    // The paying visitors' revenue shows on the pages they viewed.
    assert!(rows.iter().any(|r| r["revenue"].as_f64().unwrap() > 0.0));
}

// ---------- goals.create ----------

#[tokio::test]
async fn goal_is_stored_and_4xx_change_nothing() {
    let e = emu();
    let site = e.site(0).to_string();
    let visitor = {
        let store = e.state.store();
        store
            .events(&site)
            .iter()
            .rev()
            .find(|ev| ev.kind == datafast_emulator::state::EventKind::Pageview)
            .unwrap()
            .visitor_id
            .to_string()
    };
    let count = || e.state.store().events(&site).len();
    let before = count();

    let bad_bodies = [
        ("{not json", 400, "JSON"),
        ("[1,2]", 400, "object"),
        ("", 400, "body"),
        (r#"{"name":"signup"}"#, 400, "datafast_visitor_id"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}"}}"#), 400, "name"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"Sign Up!"}}"#), 400, "name"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"identify"}}"#), 400, "reserved"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"{}"}}"#, "a".repeat(65)), 400, "64"),
        (r#"{"datafast_visitor_id":"not-a-uuid","name":"signup"}"#, 400, "datafast_visitor_id"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"x","metadata":{{"Bad Key":"v"}}}}"#), 400, "metadata"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"x","metadata":{{"k":1}}}}"#), 400, "metadata.k"),
        (&format!(r#"{{"datafast_visitor_id":"{visitor}","name":"x","metadata":"v"}}"#), 400, "metadata"),
        (r#"{"datafast_visitor_id":"00000000-0000-4000-8000-000000000000","name":"signup"}"#, 404, "pageview"),
    ];
    for (body, status, needle) in bad_bodies {
        let r = e.post("/api/v1/goals", e.key(0), body).await;
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{body} → {}", r.message());
        assert_eq!(count(), before, "{body} changed the store");
    }
    // Wrong website for the visitor: the shop never saw this visitor.
    let r =
        e.post("/api/v1/goals", e.key(1), &format!(r#"{{"datafast_visitor_id":"{visitor}","name":"signup"}}"#)).await;
    assert_error(&r, 404);

    let ok = e
        .post(
            "/api/v1/goals",
            e.key(0),
            &format!(r#"{{"visitorId":"{visitor}","name":"Emulator Test","description":"from a test","metadata":{{"plan":"<b>pro</b>"}}}}"#),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let data = &ok.data()[0];
    assert_eq!(data["message"], "Custom event created successfully");
    let event_id = data["eventId"].as_str().unwrap();
    assert!(datafast_contract::rules::is_object_id(event_id));
    assert_eq!(count(), before + 1);
    {
        let store = e.state.store();
        let stored = store.events(&site).iter().find(|ev| ev.id == event_id).unwrap();
        assert_eq!(stored.goal_name.as_deref(), Some("emulator_test"));
        assert_eq!(&*stored.visitor_id, visitor);
        assert_eq!(stored.metadata, vec![("plan".to_string(), "pro".to_string())]);
    }
    // Visible through analytics: exactly one visitor completed that goal.
    let r = e.get(&format!("{OVERVIEW}?filter_goal=emulator_test"), e.key(0)).await;
    assert_eq!(r.data()[0]["visitors"], 1);

    // A dft_ token needs websiteId; with it, the goal lands on that website.
    let body = format!(r#"{{"datafast_visitor_id":"{visitor}","name":"second"}}"#);
    assert_error(&e.post("/api/v1/goals", e.owner(), &body).await, 400);
    let r = e.post(&format!("/api/v1/goals?websiteId={site}"), e.owner(), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(count(), before + 2);
}

// ---------- admin ----------

#[tokio::test]
async fn account_get_with_both_token_kinds() {
    let e = emu();
    let r = e.get("/api/v1/admin/account", e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = &r.data()[0];
    assert_eq!(a["name"], "Demo Owner");
    assert_eq!(a["email"], "owner@demo.example.com");
    assert_eq!(a["hasAccess"], true);
    assert!(datafast_contract::rules::is_object_id(a["_id"].as_str().unwrap()));
    for f in ["image", "planType", "isFreeTrialActive", "freeTrialStartAt", "billingCycleStartAt", "billingCycleEndAt"]
    {
        assert!(a.get(f).is_some(), "missing {f}");
    }
    assert!(a.get("websiteId").is_none());
    let r = e.get("/api/v1/admin/account", e.key(1)).await;
    assert_eq!(r.data()[0]["websiteId"], e.site(1));
    assert_eq!(r.data()[0]["_id"], a["_id"]);
}

#[tokio::test]
async fn websites_list_create_and_conflicts() {
    let e = emu();
    let list = e.get("/api/v1/admin/websites", e.owner()).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let sites = list.data().as_array().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[0]["domain"], "demo.example.com");
    assert_eq!(sites[0]["timezone"], "UTC");
    assert_eq!(sites[0]["currency"], "USD");
    assert_eq!(sites[1]["domain"], "shop.example.com");
    assert_eq!(sites[1]["timezone"], "Europe/Paris");
    assert_eq!(sites[1]["currency"], "EUR");
    assert!(sites.iter().all(|s| s["role"] == "owner" && s["trackingId"].as_str().unwrap().starts_with("dfid_")));

    // df_ keys cannot list or create websites.
    let r = e.get("/api/v1/admin/websites", e.key(0)).await;
    assert_error(&r, 403);
    assert!(!r.text.contains(e.key(0)));
    assert_error(&e.post("/api/v1/admin/websites", e.key(0), r#"{"domain":"x.com","timezone":"UTC"}"#).await, 403);

    let created = e
        .post(
            "/api/v1/admin/websites",
            e.owner(),
            r#"{"domain":"New-Site.io","timezone":"America/New_York","name":"New"}"#,
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let c = &created.data()[0];
    let id = c["websiteId"].as_str().unwrap().to_string();
    assert!(datafast_contract::rules::is_object_id(&id));
    assert_eq!(c["domain"], "new-site.io");
    assert!(c["trackingId"].as_str().unwrap().starts_with("dfid_"));

    let list = e.get("/api/v1/admin/websites", e.owner()).await;
    let new = list.data().as_array().unwrap().iter().find(|s| s["_id"] == id.as_str()).cloned().unwrap();
    assert_eq!(new["role"], "owner");
    assert_eq!(new["name"], "New");
    assert_eq!(new["timezone"], "America/New_York");

    let dup = e.post("/api/v1/admin/websites", e.owner(), r#"{"domain":"new-site.io","timezone":"UTC"}"#).await;
    assert_error(&dup, 409);
    assert_error(
        &e.post("/api/v1/admin/websites", e.owner(), r#"{"domain":"demo.example.com","timezone":"UTC"}"#).await,
        409,
    );

    for (body, needle) in [
        (r#"{"domain":"https://x.com","timezone":"UTC"}"#, "scheme"),
        (r#"{"domain":"x.com/path","timezone":"UTC"}"#, "domain"),
        (r#"{"domain":"nodot","timezone":"UTC"}"#, "domain"),
        (r#"{"timezone":"UTC"}"#, "domain"),
        (r#"{"domain":"ok.com"}"#, "timezone"),
        (r#"{"domain":"ok.com","timezone":"Mars/Base"}"#, "timezone"),
        (r#"{"domain":"ok.com","timezone":"UTC","name":5}"#, "name"),
        ("nope", "JSON"),
    ] {
        let r = e.post("/api/v1/admin/websites", e.owner(), body).await;
        assert_error(&r, 400);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    assert_eq!(e.get("/api/v1/admin/websites", e.owner()).await.data().as_array().unwrap().len(), 3);

    // The new website is empty but usable.
    let o = e.get(&format!("{OVERVIEW}?websiteId={id}"), e.owner()).await;
    assert_eq!(o.status, 200, "{}", o.text);
    assert_eq!(o.data()[0]["visitors"], 0);
}

// ---------- authentication and authorization ----------

#[tokio::test]
async fn unauthenticated_requests_are_401_without_rate_headers() {
    let e = emu_with(42, Some(RateLimit::default()));
    let cases = [
        e.call("GET", OVERVIEW, None, None).await,
        e.call("GET", OVERVIEW, Some("sk_live_secret123"), None).await,
        e.call("GET", OVERVIEW, Some("df_unknownkey0000000000000000000000"), None).await,
        e.call("GET", OVERVIEW, Some("dft_unknowntoken00000000000000000000"), None).await,
        e.call("GET", OVERVIEW, Some(""), None).await,
    ];
    for r in &cases {
        assert_error(r, 401);
        assert!(r.header("x-ratelimit-limit").is_none());
        for secret in ["sk_live_secret123", "df_unknownkey", "dft_unknowntoken"] {
            assert!(!r.text.contains(secret), "token echoed: {}", r.text);
        }
    }
    assert!(cases[1].message().contains("df_"));
    let basic = e
        .send(
            axum::http::Request::get(OVERVIEW)
                .header("authorization", "Basic dXNlcjpwYXNz")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&basic, 401);
}

#[tokio::test]
async fn website_selection_rules() {
    let e = emu();
    // dft_ on a website route: websiteId required, valid, existing, in scope.
    let r = e.get(OVERVIEW, e.owner()).await;
    assert_error(&r, 400);
    assert!(r.message().contains("websiteId"));
    assert_error(&e.get(&format!("{OVERVIEW}?websiteId=not-an-id"), e.owner()).await, 400);
    assert_error(&e.get(&format!("{OVERVIEW}?websiteId=aaaaaaaaaaaaaaaaaaaaaaaa"), e.owner()).await, 404);
    // df_ with another website's id: 403; with its own: fine.
    let r = e.get(&format!("{OVERVIEW}?websiteId={}", e.site(1)), e.key(0)).await;
    assert_error(&r, 403);
    assert!(!r.text.contains(e.key(0)));
    assert_eq!(e.get(&format!("{OVERVIEW}?websiteId={}", e.site(0)), e.key(0)).await.status, 200);
    // Admin routes with {websiteId} in the path: a df_ key only for its own website.
    let other = format!("/api/v1/admin/websites/{}", e.site(1));
    assert_error(&e.get(&other, e.key(0)).await, 403);
    let own = format!("/api/v1/admin/websites/{}", e.site(0));
    assert_eq!(e.get(&own, e.key(0)).await.status, 200);
    // Account-only routes refuse df_ keys.
    assert_error(&e.get("/api/v1/admin/access-tokens", e.key(0)).await, 403);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let e = emu();
    let r = e.get("/api/v1/analytics/nope", e.owner()).await;
    assert_error(&r, 404);
    assert_error(&e.get("/api/v2/analytics/overview", e.owner()).await, 404);
    assert_error(&e.get("/elsewhere", e.owner()).await, 404);
    let r = e.call("PATCH", OVERVIEW, Some(e.owner()), None).await;
    assert_error(&r, 405);
    assert_eq!(r.header("allow"), Some("GET"));
    let health = e.call("GET", "/__emulator/health", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json, serde_json::json!({"status": "ok"}));
}

// ---------- analytics.goals ----------

#[tokio::test]
async fn goals_breakdown_counts_goals_sent_through_the_api() {
    let e = emu();
    let completions = |json: &Value, goal: &str| {
        json["data"].as_array().unwrap().iter().find(|r| r["goal"] == goal).map_or(0, |r| u64_of(&r["completions"]))
    };
    let first = e.get("/api/v1/analytics/goals?limit=1000", e.key(0)).await;
    assert_eq!(first.status, 200);
    let rows = first.json["data"].as_array().unwrap();
    assert!(!rows.is_empty(), "the seeded traffic has goals");
    let counts: Vec<u64> = rows.iter().map(|r| u64_of(&r["completions"])).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for r in rows {
        assert!(u64_of(&r["visitors"]) <= u64_of(&r["completions"]));
    }
    assert_eq!(u64_of(&first.json["pagination"]["total"]), rows.len() as u64);

    let visitor = e.state.demo.websites[0].sample_visitor_id.clone();
    let body = format!(r#"{{"datafast_visitor_id":"{visitor}","name":"Breakdown Check"}}"#);
    assert_eq!(e.post("/api/v1/goals", e.key(0), &body).await.status, 200);
    let after = e.get("/api/v1/analytics/goals?limit=1000", e.key(0)).await;
    assert_eq!(completions(&after.json, "breakdown_check"), 1);
    // The other website is untouched.
    let other = e.get("/api/v1/analytics/goals?limit=1000", e.key(1)).await;
    assert_eq!(completions(&other.json, "breakdown_check"), 0);

    let named = e.get("/api/v1/analytics/goals?fields=name", e.key(0)).await;
    assert_eq!(named.json["data"][0].as_object().unwrap().keys().collect::<Vec<_>>(), ["goal"]);
    assert_error(&e.get("/api/v1/analytics/goals?fields=revenue", e.key(0)).await, 400);
}

// ---------- rate limiting ----------

#[tokio::test]
async fn rate_limit_is_per_token_with_headers_and_flat_429() {
    let e = emu_with(42, Some(RateLimit { limit: 3, window_secs: 60 }));
    for expected_remaining in ["2", "1", "0"] {
        let r = e.get(OVERVIEW, e.key(0)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some(expected_remaining));
        assert!(r.header("x-ratelimit-reset").unwrap().parse::<u64>().unwrap() > 1_700_000_000);
    }
    let r = e.get(OVERVIEW, e.key(0)).await;
    assert_eq!(r.status, 429);
    let body = r.json.as_object().unwrap();
    assert_eq!(body.keys().collect::<Vec<_>>(), ["error", "limit", "message", "remaining", "reset"]);
    assert_eq!(r.json["error"], "Too many requests");
    assert_eq!(r.json["limit"], 3);
    assert_eq!(r.json["remaining"], 0);
    let reset = r.json["reset"].as_u64().unwrap();
    assert_eq!(r.header("x-ratelimit-reset").unwrap().parse::<u64>().unwrap(), reset);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let msg = r.json["message"].as_str().unwrap();
    assert!(msg.starts_with("Rate limit exceeded, retry after ") && msg.ends_with(" seconds"), "{msg}");
    // The control route counts the 429s served (and needs no token).
    e.get(OVERVIEW, e.key(0)).await;
    let served = e.get("/__emulator/rate-limit", "").await;
    assert_eq!(served.json["data"], serde_json::json!({"rateLimit": "3/60", "served429": 2}));

    // Other tokens have their own window; errors after authentication carry the headers too.
    let other = e.get(OVERVIEW, e.key(1)).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.header("x-ratelimit-remaining"), Some("2"));
    let err = e.get(OVERVIEW, e.owner()).await;
    assert_error(&err, 400);
    assert_eq!(err.header("x-ratelimit-remaining"), Some("2"));

    // Off: every response still carries the headers (CONTRACT 2.4), saying "unlimited".
    let off = emu_with(42, None);
    for _ in 0..3 {
        let r = off.get(OVERVIEW, off.key(0)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("4294967295"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some("4294967295"));
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset > 1_700_000_000, "{reset}");
    }
    let err = off.get(OVERVIEW, off.owner()).await;
    assert_error(&err, 400);
    assert_eq!(err.header("x-ratelimit-limit"), Some("4294967295"));
}

// ---------- CORS ----------

#[tokio::test]
async fn cors_preflight_and_exposed_headers() {
    let e = emu_with(42, Some(RateLimit::default()));
    let preflight = axum::http::Request::builder()
        .method("OPTIONS")
        .uri(OVERVIEW)
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization,content-type")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = e.send(preflight).await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let methods = r.header("access-control-allow-methods").unwrap().to_ascii_uppercase();
    for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = r.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    assert!(headers.contains("authorization") && headers.contains("content-type"));

    let get = axum::http::Request::get(OVERVIEW)
        .header("origin", "http://localhost:5173")
        .header("authorization", format!("Bearer {}", e.key(0)))
        .body(axum::body::Body::empty())
        .unwrap();
    let r = e.send(get).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let exposed = r.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
    for h in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"] {
        assert!(exposed.contains(h), "{exposed}");
    }
}

// ---------- determinism ----------

#[tokio::test]
async fn same_seed_same_tokens_ids_and_numbers() {
    let a = emu();
    let b = emu();
    assert_eq!(a.creds, b.creds);
    assert_eq!(a.creds.websites.len(), 2);
    assert!(a.owner().starts_with("dft_") && a.owner().len() == 36);
    let oa = a.get(OVERVIEW, a.key(0)).await;
    let ob = b.get(OVERVIEW, b.key(0)).await;
    assert_eq!(oa.json, ob.json);
    let pa = a.get(&format!("{PAGES}?limit=1000"), a.key(1)).await;
    let pb = b.get(&format!("{PAGES}?limit=1000"), b.key(1)).await;
    assert_eq!(pa.json, pb.json);
    let c = emu_with(7, None);
    assert_ne!(c.owner(), a.owner());
    assert_ne!(c.site(0), a.site(0));
}
