//! Website settings routes: tracked goals (A15) and payment-provider integrations
//! (A31–A41). Every 4xx is also checked to leave the integration status unchanged, and no
//! answer may repeat a credential.

mod common;

use common::*;
use datafast_emulator::state::PaymentKind;
use serde_json::{json, Value};

const OVERVIEW: &str = "/api/v1/analytics/overview";

const STRIPE_KEY: &str = "rk_live_51NtestRestrictedKeyAbCdEf";
const PADDLE_KEY: &str = "pdl_live_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGT";

impl Emu {
    fn integrations_url(&self, i: usize, provider: &str) -> String {
        let base = format!("/api/v1/admin/websites/{}/integrations", self.site(i));
        if provider.is_empty() {
            base
        } else {
            format!("{base}/{provider}")
        }
    }

    /// The A31 status object of website `i`.
    async fn integrations(&self, i: usize) -> Value {
        let r = self.get(&self.integrations_url(i, ""), self.owner()).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.data().as_array().map(Vec::len), Some(1), "{}", r.text);
        r.data()[0].clone()
    }

    async fn tracked(&self, i: usize, token: &str) -> Vec<Value> {
        let r = self.get(&format!("/api/v1/admin/websites/{}/goals", self.site(i)), token).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.data().as_array().unwrap().clone()
    }
}

// ---------- A15 tracked goals ----------

#[tokio::test]
async fn tracked_goals_list_custom_and_payment_goals_most_frequent_first() {
    let e = emu();
    let rows = e.tracked(0, e.key(0)).await;
    assert!(rows.len() >= 5, "{rows:?}");
    for r in &rows {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["conversionRate", "eventType", "name", "total", "uv"]);
    }
    let totals: Vec<u64> = rows.iter().map(|r| r["total"].as_u64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");

    // Custom goals agree with the all-time goal breakdown.
    let breakdown = e.get("/api/v1/analytics/goals?limit=1000", e.key(0)).await;
    for b in breakdown.data().as_array().unwrap() {
        let t = rows.iter().find(|r| r["name"] == b["goal"] && r["eventType"] == "custom").unwrap();
        assert_eq!((&t["total"], &t["uv"]), (&b["completions"], &b["visitors"]), "{}", b["goal"]);
    }
    // New payments show up as the `payment` goal.
    let new_payments = {
        let store = e.state.store();
        store.events(e.site(0)).iter().filter(|ev| ev.payment_kind() == Some(PaymentKind::New)).count()
    };
    assert!(new_payments > 0);
    let overview = e.get(OVERVIEW, e.key(0)).await.data()[0].clone();
    let paid = rows.iter().find(|r| r["name"] == "payment").unwrap();
    assert_eq!(paid["eventType"], "payment");
    assert_eq!(paid["total"].as_u64(), Some(new_payments as u64));
    // conversionRate is the percent of all visitors.
    let expected = paid["uv"].as_f64().unwrap() * 100.0 / overview["visitors"].as_f64().unwrap();
    assert!((paid["conversionRate"].as_f64().unwrap() - expected).abs() < 0.006, "{paid} vs {expected}");

    // A free trial and a custom goal posted through the API join the list; viewers may read.
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let trial = json!({"amount": 0, "currency": "USD", "transaction_id": "trial_1", "datafast_visitor_id": v});
    assert_eq!(e.post("/api/v1/payments", e.key(0), &trial.to_string()).await.status, 200);
    let goal = json!({"datafast_visitor_id": v, "name": "tracked_probe"});
    assert_eq!(e.post("/api/v1/goals", e.key(0), &goal.to_string()).await.status, 200);
    let rows = e.tracked(0, e.viewer_token()).await;
    let trial_row = rows.iter().find(|r| r["name"] == "free_trial").unwrap();
    assert_eq!((trial_row["total"].as_u64(), trial_row["uv"].as_u64()), (Some(1), Some(1)));
    assert_eq!(trial_row["eventType"], "payment");
    let probe = rows.iter().find(|r| r["name"] == "tracked_probe").unwrap();
    assert_eq!(probe["eventType"], "custom");
    // The shop tracks its own goals.
    let shop: Vec<Value> = e.tracked(1, e.key(1)).await;
    assert!(shop.iter().any(|r| r["name"] == "add_to_cart") && !shop.iter().any(|r| r["name"] == "signup"));
}

// ---------- A31–A41 integrations ----------

#[tokio::test]
async fn integrations_start_disconnected_and_connect_per_provider() {
    let e = emu();
    assert_eq!(
        e.integrations(0).await,
        json!({"stripe": {"connected": false}, "lemonsqueezy": {"connected": false}, "polar": {"connected": false},
               "paddle": {"connected": false, "keyExpiresAt": null}, "shopify": {"connected": false},
               "woocommerce": {"connected": false}, "currency": "USD"})
    );

    let connects = [
        (
            "stripe",
            json!({"stripeRak": STRIPE_KEY}),
            json!({"message": "Stripe connected successfully", "currency": "USD"}),
        ),
        (
            "lemonsqueezy",
            json!({"lemonsqueezyApiKey": "ls_secret_value_123", "lemonsqueezyStoreId": "12345"}),
            json!({"message": "Lemon Squeezy connected successfully", "currency": "USD"}),
        ),
        (
            "polar",
            json!({"polarAccessToken": "polar_oat_secret_456", "polarOrgId": "org_789"}),
            json!({"message": "Polar connected successfully"}),
        ),
        (
            "paddle",
            json!({"paddleApiKey": PADDLE_KEY}),
            json!({"message": "Paddle connected successfully", "currency": "USD"}),
        ),
    ];
    for (provider, body, answer) in &connects {
        let r = e.post(&e.integrations_url(0, provider), e.owner(), &body.to_string()).await;
        assert_eq!(r.status, 200, "{provider}: {}", r.text);
        assert_eq!(r.json, json!({"status": "success", "data": [answer]}));
        // The status flips, and no answer repeats a credential.
        let status = e.integrations(0).await;
        assert_eq!(status[provider]["connected"], true, "{status}");
        for secret in body.as_object().unwrap().values() {
            let text = status.to_string();
            assert!(!text.contains(secret.as_str().unwrap()), "{text}");
            assert!(!r.text.contains(secret.as_str().unwrap()), "{}", r.text);
        }
    }
    let status = e.integrations(0).await;
    let expires = status["paddle"]["keyExpiresAt"].as_str().unwrap();
    assert!(expires.ends_with('Z') && expires > "2026", "{expires}");
    assert_eq!(status["shopify"]["connected"], false);
    // Other websites are unaffected; the currency is the website's own.
    let shop = e.integrations(1).await;
    assert_eq!(shop["stripe"]["connected"], false);
    assert_eq!(shop["currency"], "EUR");
    // Connecting again replaces the connection: still one, still connected.
    let r = e.post(&e.integrations_url(0, "stripe"), e.key(0), &json!({"stripeRak": STRIPE_KEY}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(e.state.store().integrations.iter().filter(|c| c.provider == "stripe").count(), 1);
}

#[tokio::test]
async fn integrations_disconnect_and_install_flow_providers() {
    let e = emu();
    let r = e.post(&e.integrations_url(0, "paddle"), e.owner(), &json!({"paddleApiKey": PADDLE_KEY}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let r = e.delete(&e.integrations_url(0, "paddle"), e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data(), &json!([{"message": "Paddle disconnected successfully"}]));
    let status = e.integrations(0).await;
    assert_eq!(status["paddle"], json!({"connected": false, "keyExpiresAt": null}));

    // Not connected: still a success, and it says nothing changed.
    for (provider, label) in
        [("paddle", "Paddle"), ("stripe", "Stripe"), ("shopify", "Shopify"), ("woocommerce", "WooCommerce")]
    {
        let r = e.delete(&e.integrations_url(0, provider), e.owner()).await;
        assert_eq!(r.status, 200, "{provider}: {}", r.text);
        assert_eq!(r.data()[0]["message"], format!("{label} was not connected; nothing changed"));
    }
    assert_eq!(e.integrations(0).await, status);
    // Shopify and WooCommerce connect only through their install flows: no connect route.
    for provider in ["shopify", "woocommerce"] {
        let r = e.post(&e.integrations_url(0, provider), e.owner(), "{}").await;
        assert_error(&r, 405);
        assert_eq!(r.header("allow"), Some("DELETE"));
    }
}

#[tokio::test]
async fn integration_connect_errors_name_the_field_and_change_nothing() {
    let e = emu();
    let before = e.integrations(0).await;
    let cases = [
        ("stripe", json!({}), "`stripeRak` is required"),
        ("stripe", json!({"stripeRak": 42}), "`stripeRak` must be a string"),
        ("stripe", json!({"stripeRak": "pk_live_51NpublishableKeyAbCdEf"}), "publishable"),
        ("stripe", json!({"stripeRak": "sk_live_51NsecretKeyAbCdEfGhIj"}), "secret key"),
        ("stripe", json!({"stripeRak": "rk_test_51NrestrictedTestKeyAb"}), "test-mode"),
        ("stripe", json!({"stripeRak": "acct_1NsomethingElseEntirely"}), "rk_live_"),
        ("lemonsqueezy", json!({"lemonsqueezyApiKey": "ls_secret_value_123"}), "`lemonsqueezyStoreId` is required"),
        (
            "lemonsqueezy",
            json!({"lemonsqueezyApiKey": "ls_secret_value_123", "lemonsqueezyStoreId": 12345}),
            "must be a string",
        ),
        ("lemonsqueezy", json!({"lemonsqueezyApiKey": " ", "lemonsqueezyStoreId": "1"}), "`lemonsqueezyApiKey`"),
        ("polar", json!({"polarAccessToken": "polar_oat_secret_456"}), "`polarOrgId` is required"),
        ("polar", json!({"polarAccessToken": "polar oat secret", "polarOrgId": "org_1"}), "spaces"),
        ("paddle", json!({"paddleApiKey": "pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1"}), "sandbox"),
        ("paddle", json!({"paddleApiKey": "0123456789abcdef0123456789abcdef0123"}), "pdl_live_"),
        ("paddle", json!({}), "`paddleApiKey` is required"),
    ];
    for (provider, body, needle) in &cases {
        let r = e.post(&e.integrations_url(0, provider), e.owner(), &body.to_string()).await;
        assert_error(&r, 400);
        assert!(r.message().contains(needle), "{provider} {body}: {}", r.message());
        for value in body.as_object().unwrap().values().filter_map(Value::as_str).filter(|v| v.len() > 8) {
            assert!(!r.text.contains(value), "credential echoed: {}", r.text);
        }
        assert_eq!(e.integrations(0).await, before, "{provider} {body} changed the status");
    }
    assert_error(&e.post(&e.integrations_url(0, "stripe"), e.owner(), "{oops").await, 400);
    assert_error(&e.post(&e.integrations_url(0, "stripe"), e.owner(), "").await, 400);
    assert_eq!(e.integrations(0).await, before);
}

#[tokio::test]
async fn integration_roles_viewer_reads_member_writes() {
    let e = emu();
    let connect = json!({"stripeRak": STRIPE_KEY}).to_string();
    let before = e.integrations(0).await;
    // A viewer reads the status but may neither connect nor disconnect.
    let r = e.get(&e.integrations_url(0, ""), e.viewer_token()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = e.post(&e.integrations_url(0, "stripe"), e.viewer_token(), &connect).await;
    assert_error(&r, 403);
    assert!(!r.text.contains(STRIPE_KEY));
    assert_error(&e.delete(&e.integrations_url(0, "stripe"), e.viewer_token()).await, 403);
    assert_eq!(e.integrations(0).await, before);
    // The member may; a df_ key of another website may not touch this one.
    assert_error(&e.post(&e.integrations_url(0, "stripe"), e.key(1), &connect).await, 403);
    let r = e.post(&e.integrations_url(0, "stripe"), e.member_token(), &connect).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(e.integrations(0).await["stripe"]["connected"], true);
    let r = e.delete(&e.integrations_url(0, "stripe"), e.member_token()).await;
    assert_eq!(r.data()[0]["message"], "Stripe disconnected successfully");
    // A token without settings:write is refused even for its owner.
    let r = e
        .post("/api/v1/admin/access-tokens", e.owner(), r#"{"name":"read settings","permissions":["settings:read"]}"#)
        .await;
    let token = r.data()[0]["key"].as_str().unwrap().to_string();
    assert_eq!(e.get(&e.integrations_url(0, ""), &token).await.status, 200);
    let r = e.post(&e.integrations_url(0, "stripe"), &token, &connect).await;
    assert_error(&r, 403);
    assert!(r.message().contains("settings:write"));
    assert_eq!(e.integrations(0).await["stripe"]["connected"], false);
}
