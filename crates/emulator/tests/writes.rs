//! Website API writes: payments (W22, W23), goal deletes (W21) and identify (W24). Every
//! 4xx is also checked to leave the store unchanged, and every write to show up where the
//! API reads it back (overview revenue, goal breakdown, visitor profile).

mod common;

use common::*;
use datafast_emulator::state::{EventKind, PaymentKind};
use serde_json::{json, Value};

const OVERVIEW: &str = "/api/v1/analytics/overview";
const GOALS_BREAKDOWN: &str = "/api/v1/analytics/goals?limit=1000";
const PAYMENTS: &str = "/api/v1/payments";
const GOALS: &str = "/api/v1/goals";
const IDENTIFY: &str = "/api/v1/identify";

impl Emu {
    /// The single overview row of website `i` (all time, or `query` appended).
    async fn overview(&self, i: usize, query: &str) -> Value {
        let r = self.get(&format!("{OVERVIEW}?{query}"), self.key(i)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.data()[0].clone()
    }

    /// Goal name → completions, from the goal breakdown of website 0.
    async fn goal_completions(&self, query: &str) -> Vec<(String, u64)> {
        let r = self.get(&format!("{GOALS_BREAKDOWN}&{query}"), self.key(0)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let rows = r.data().as_array().unwrap();
        rows.iter().map(|r| (r["goal"].as_str().unwrap().to_string(), r["completions"].as_u64().unwrap())).collect()
    }

    /// `n` distinct visitors of website `i` that have pageviews, in first-seen order.
    fn visitors(&self, i: usize, n: usize) -> Vec<String> {
        let store = self.state.store();
        let mut out: Vec<String> = Vec::new();
        for e in store.events(self.site(i)).iter().filter(|e| e.kind == EventKind::Pageview) {
            if !out.iter().any(|v| **v == *e.visitor_id) {
                out.push(e.visitor_id.to_string());
                if out.len() == n {
                    break;
                }
            }
        }
        out
    }

    fn event_count(&self, i: usize, kind: EventKind) -> usize {
        self.state.store().events(self.site(i)).iter().filter(|e| e.kind == kind).count()
    }

    fn profile_count(&self) -> usize {
        self.state.store().profiles.len()
    }
}

fn f64_of(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A bare `{"error": …}` 400 body (CONTRACT 2.3(2)) whose text mentions `needle`.
fn assert_bare_error(r: &Resp, needle: &str) {
    assert_eq!(r.status, 400, "body: {}", r.text);
    let body = r.json.as_object().unwrap_or_else(|| panic!("not an object: {}", r.text));
    assert_eq!(body.keys().collect::<Vec<_>>(), ["error"], "body: {}", r.text);
    let text = body["error"].as_str().unwrap();
    assert!(text.contains(needle), "{needle:?} not in {text:?}");
}

fn payment(tx: &str, amount: f64, visitor: &str) -> String {
    json!({"amount": amount, "currency": "USD", "transaction_id": tx, "datafast_visitor_id": visitor}).to_string()
}

// ---------- payments.create ----------

#[tokio::test]
async fn payment_is_recorded_attributed_and_counted_in_overview() {
    let e = emu();
    let visitor = e.creds.websites[0].sample_visitor_id.clone();
    let before = e.overview(0, "").await;
    let shop_before = e.overview(1, "").await;

    let r = e.post(PAYMENTS, e.key(0), &payment("payment_456", 29.99, &visitor)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Bare body, no envelope.
    assert_eq!(
        r.json,
        json!({"message": "Payment recorded and attributed successfully", "transaction_id": "payment_456"})
    );

    let after = e.overview(0, "").await;
    assert!((f64_of(&after["revenue"]) - f64_of(&before["revenue"]) - 29.99).abs() < 0.011, "{before} → {after}");
    assert_eq!(after["payments"].as_u64().unwrap(), before["payments"].as_u64().unwrap() + 1);
    // The shop's numbers are untouched.
    assert_eq!(e.overview(1, "").await, shop_before);

    // Stored as a payment event on the visitor's session, with its details.
    let store = e.state.store();
    let events = store.events(e.site(0));
    let paid = events.iter().find(|ev| ev.transaction_id() == Some("payment_456")).unwrap();
    assert_eq!(paid.kind, EventKind::Payment);
    assert_eq!(paid.payment_kind(), Some(PaymentKind::New));
    assert_eq!(&*paid.visitor_id, visitor);
    assert_eq!(paid.amount, Some(29.99));
    assert_eq!(paid.currency.as_deref(), Some("USD"));
    let session_pageview = events.iter().find(|ev| ev.kind == EventKind::Pageview && ev.session_id == paid.session_id);
    assert!(session_pageview.is_some(), "the payment joins one of the visitor's sessions");
}

#[tokio::test]
async fn payment_revenue_follows_the_visitor_into_filters() {
    let e = emu();
    let visitor = e.creds.websites[0].sample_visitor_id.clone();
    let country = {
        let store = e.state.store();
        let pv = store.events(e.site(0)).iter().find(|ev| *ev.visitor_id == *visitor).unwrap();
        pv.dims.country_code.clone()
    };
    let query = format!("filter_country={country}");
    let before = f64_of(&e.overview(0, &query).await["revenue"]);
    assert_eq!(e.post(PAYMENTS, e.key(0), &payment("txn_country", 100.0, &visitor)).await.status, 200);
    let after = f64_of(&e.overview(0, &query).await["revenue"]);
    assert!((after - before - 100.0).abs() < 0.011, "{before} → {after}");
}

#[tokio::test]
async fn refund_takes_its_amount_back_out_of_revenue() {
    let e = emu();
    let visitor = e.creds.websites[0].sample_visitor_id.clone();
    let before = f64_of(&e.overview(0, "").await["revenue"]);
    assert_eq!(e.post(PAYMENTS, e.key(0), &payment("sale_1", 50.0, &visitor)).await.status, 200);
    let refund = json!({"amount": 50, "currency": "USD", "transaction_id": "refund_1", "refunded": true,
                        "datafast_visitor_id": visitor});
    let r = e.post(PAYMENTS, e.key(0), &refund.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after = f64_of(&e.overview(0, "").await["revenue"]);
    assert!((after - before).abs() < 0.011, "{before} → {after}");
}

#[tokio::test]
async fn payment_transaction_id_is_idempotent() {
    let e = emu();
    let visitor = e.creds.websites[0].sample_visitor_id.clone();
    assert_eq!(e.post(PAYMENTS, e.key(0), &payment("txn_once", 49.0, &visitor)).await.status, 200);
    let payments = e.event_count(0, EventKind::Payment);
    let overview = e.overview(0, "").await;

    // Same id, other amount: a duplicate, answered 200, nothing stored.
    let r = e.post(PAYMENTS, e.key(0), &payment("txn_once", 99.0, &visitor)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["transaction_id"], "txn_once");
    assert!(r.json["message"].as_str().unwrap().contains("Duplicate"), "{}", r.text);
    assert!(r.json.get("status").is_none());
    assert_eq!(e.event_count(0, EventKind::Payment), payments);
    assert_eq!(e.overview(0, "").await, overview);

    // Transaction ids are per website: the shop records its own.
    let shop_visitor = e.creds.websites[1].sample_visitor_id.clone();
    let r = e.post(PAYMENTS, e.key(1), &payment("txn_once", 10.0, &shop_visitor)).await;
    assert_eq!(r.json["message"], "Payment recorded and attributed successfully");
}

#[tokio::test]
async fn payment_validation_errors_are_bare_and_change_nothing() {
    let e = emu();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let before = (e.event_count(0, EventKind::Payment), e.overview(0, "").await);
    let long_name = "n".repeat(256);
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), "JSON"),
        ("".into(), "body"),
        ("[]".into(), "object"),
        (r#"{"currency":"USD","transaction_id":"t1"}"#.into(), "`amount` is required"),
        (r#"{"amount":"29.99","currency":"USD","transaction_id":"t1"}"#.into(), "`amount` must be a number"),
        (r#"{"amount":-5,"currency":"USD","transaction_id":"t1"}"#.into(), "`amount`"),
        (r#"{"amount":5,"transaction_id":"t1"}"#.into(), "`currency` is required"),
        (r#"{"amount":5,"currency":"DOLLARS","transaction_id":"t1"}"#.into(), "`currency`"),
        (r#"{"amount":5,"currency":"USD"}"#.into(), "`transaction_id` is required"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"  "}"#.into(), "`transaction_id`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":42}"#.into(), "`transaction_id` must be a string"),
        (
            r#"{"amount":5,"currency":"USD","transaction_id":"t1","datafast_visitor_id":" "}"#.into(),
            "`datafast_visitor_id` must not be empty",
        ),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","visitorId":7}"#.into(), "`visitorId` must be a string"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","email":"nope"}"#.into(), "`email`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","customer_email":"x@"}"#.into(), "`customer_email`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","renewal":"yes"}"#.into(), "`renewal`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","refunded":1}"#.into(), "`refunded`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","is_free_trial":"no"}"#.into(), "`is_free_trial`"),
        (r#"{"amount":5,"currency":"USD","transaction_id":"t1","timestamp":"yesterday"}"#.into(), "`timestamp`"),
        (
            r#"{"amount":5,"currency":"USD","transaction_id":"t1","timestamp":"2026-02-30T00:00:00Z"}"#.into(),
            "`timestamp`",
        ),
        (json!({"amount": 5, "currency": "USD", "transaction_id": "t1", "name": long_name}).to_string(), "`name`"),
        (
            json!({"amount": 5, "currency": "USD", "transaction_id": "t1", "customer_id": 7}).to_string(),
            "`customer_id`",
        ),
        // A bad body is refused even when it reuses a known transaction id.
        (
            json!({"amount": -1, "currency": "USD", "transaction_id": "t1", "datafast_visitor_id": v}).to_string(),
            "`amount`",
        ),
    ];
    for (body, needle) in &cases {
        let r = e.post(PAYMENTS, e.key(0), body).await;
        assert_bare_error(&r, needle);
    }
    assert_eq!((e.event_count(0, EventKind::Payment), e.overview(0, "").await), before);
}

#[tokio::test]
async fn payment_kinds_customers_and_attribution() {
    let e = emu();
    let [v1, v2] = <[String; 2]>::try_from(e.visitors(0, 2)).unwrap();
    let unknown = "00000000-0000-4000-8000-000000000000";
    let bodies = [
        (
            "trial_zero",
            json!({"amount": 0, "currency": "usd", "transaction_id": "trial_zero", "datafast_visitor_id": v1}),
        ),
        (
            "coupon",
            json!({"amount": 0, "currency": "USD", "transaction_id": "coupon", "is_free_trial": false, "datafast_visitor_id": v1}),
        ),
        (
            "renew",
            json!({"amount": 19, "currency": "USD", "transaction_id": "renew", "renewal": true, "visitorId": v2.to_uppercase()}),
        ),
        (
            "refund",
            json!({"amount": 19, "currency": "USD", "transaction_id": "refund", "refunded": true, "renewal": true,
                   "datafast_visitor_id": v2}),
        ),
        (
            "customer",
            json!({"amount": 5, "currency": "EUR", "transaction_id": "customer", "datafast_visitor_id": v1,
                   "customer_email": " Jane@Example.COM ", "customer_name": "Jane Doe", "name": "undefined undefined",
                   "customer_id": "cus_1", "timestamp": "2026-05-01T10:00:00+02:00"}),
        ),
        (
            "unknown",
            json!({"amount": 7, "currency": "USD", "transaction_id": "unknown", "datafast_visitor_id": unknown}),
        ),
        ("anonymous", json!({"amount": 8, "currency": "USD", "transaction_id": "anonymous"})),
    ];
    for (tx, body) in &bodies {
        let r = e.post(PAYMENTS, e.key(0), &body.to_string()).await;
        assert_eq!(r.status, 200, "{tx}: {}", r.text);
        assert_eq!(r.json["transaction_id"], *tx);
        let attributed = !matches!(*tx, "unknown" | "anonymous");
        assert_eq!(r.json["message"] == "Payment recorded and attributed successfully", attributed, "{}", r.text);
    }
    let store = e.state.store();
    let find = |tx: &str| store.events(e.site(0)).iter().find(|ev| ev.transaction_id() == Some(tx)).unwrap();
    assert_eq!(find("trial_zero").payment_kind(), Some(PaymentKind::FreeTrial));
    assert_eq!(find("trial_zero").currency.as_deref(), Some("USD"));
    assert_eq!(find("coupon").payment_kind(), Some(PaymentKind::New));
    assert_eq!(find("renew").payment_kind(), Some(PaymentKind::Renewal));
    assert_eq!(&*find("renew").visitor_id, v2, "the alias is matched without regard to case");
    assert_eq!(find("refund").payment_kind(), Some(PaymentKind::Refund));
    assert_eq!(find("refund").amount, Some(-19.0), "refunds are stored negative");
    assert_eq!(find("refund").revenue(), -19.0);
    assert_eq!(find("renew").revenue(), 19.0);
    assert_eq!(find("trial_zero").revenue(), 0.0);

    let c = find("customer");
    let details = c.payment.as_deref().unwrap();
    assert_eq!(details.customer_email.as_deref(), Some("jane@example.com"));
    // `name` comes first, but a placeholder is no name.
    assert_eq!(details.customer_name, None);
    assert_eq!(details.customer_id.as_deref(), Some("cus_1"));
    assert_eq!(datafast_emulator::time::iso(c.ts), "2026-05-01T08:00:00.000Z");
    assert_eq!(c.currency.as_deref(), Some("EUR"));

    let u = find("unknown");
    assert_eq!(&*u.visitor_id, unknown);
    assert!(u.session_id.is_empty());
    let a = find("anonymous");
    assert!(a.visitor_id.is_empty() && a.payment_kind() == Some(PaymentKind::New));
}

#[tokio::test]
async fn payment_name_fallback_and_account_tokens() {
    let e = emu();
    let site = e.site(0).to_string();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let body = json!({"amount": 3, "currency": "USD", "transaction_id": "tok", "customer_name": " Ann ", "datafast_visitor_id": v})
        .to_string();
    // An account token without websiteId fails before the route runs: the normal envelope.
    assert_error(&e.post(PAYMENTS, e.owner(), &body).await, 400);
    let r = e.post(&format!("{PAYMENTS}?websiteId={site}"), e.owner(), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let store = e.state.store();
    let p = store.events(&site).iter().find(|ev| ev.transaction_id() == Some("tok")).unwrap();
    assert_eq!(p.payment.as_deref().unwrap().customer_name.as_deref(), Some("Ann"));
}

// ---------- payments.delete ----------

/// The contract gives payments' visitor id no format, and the docs' own example is `abc123`:
/// such a payment is recorded (unattributed) and deleted by that visitor.
#[tokio::test]
async fn payments_take_a_visitor_id_in_any_format() {
    let e = emu();
    let count = e.event_count(0, EventKind::Payment);
    let body = r#"{"amount":5,"currency":"USD","transaction_id":"tx_abc","datafast_visitor_id":"abc123"}"#;
    let r = e.post(PAYMENTS, e.key(0), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["message"].as_str().unwrap().contains("not attributed"), "{}", r.text);
    assert_eq!(e.event_count(0, EventKind::Payment), count + 1);
    let r = e.delete(&format!("{PAYMENTS}?datafast_visitor_id=abc123"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["datafast_visitor_id"], "abc123");
    assert_eq!(e.event_count(0, EventKind::Payment), count);
}

#[tokio::test]
async fn payment_delete_by_transaction_id() {
    let e = emu();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let base = e.overview(0, "").await;
    for (tx, amount) in [("del_a", 11.0), ("del_b", 22.0)] {
        assert_eq!(e.post(PAYMENTS, e.key(0), &payment(tx, amount, &v)).await.status, 200);
    }

    // transaction_id wins: the other visitor next to it is not applied.
    let r = e.delete(&format!("{PAYMENTS}?transaction_id=del_a&datafast_visitor_id=abc123"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json,
        json!({"status": "success", "data": [{"message": "Payment deleted successfully", "transaction_id": "del_a"}]})
    );
    let r = e.delete(&format!("{PAYMENTS}?tx_id=del_b"), e.key(0)).await;
    assert_eq!(r.data()[0]["transaction_id"], "del_b");
    let after = e.overview(0, "").await;
    assert_eq!(after["payments"], base["payments"]);
    assert!((f64_of(&after["revenue"]) - f64_of(&base["revenue"])).abs() < 0.011);

    // Gone: a second delete is a 404 and changes nothing.
    let count = e.event_count(0, EventKind::Payment);
    let r = e.delete(&format!("{PAYMENTS}?transaction_id=del_a"), e.key(0)).await;
    assert_error(&r, 404);
    assert!(r.message().contains("del_a"));
    assert_eq!(e.event_count(0, EventKind::Payment), count);
    // A deleted id can be recorded again.
    let r = e.post(PAYMENTS, e.key(0), &payment("del_a", 11.0, &v)).await;
    assert_eq!(r.json["message"], "Payment recorded and attributed successfully");
}

#[tokio::test]
async fn payment_delete_by_visitor_and_window() {
    let e = emu();
    let [other, v] = <[String; 2]>::try_from(e.visitors(0, 2)).unwrap();
    for (tx, ts, who) in
        [("w1", "2020-01-10T12:00:00Z", &v), ("w2", "2020-01-20T12:00:00Z", &v), ("w3", "2020-01-10T13:00:00Z", &other)]
    {
        let body =
            json!({"amount": 10, "currency": "USD", "transaction_id": tx, "datafast_visitor_id": who, "timestamp": ts});
        assert_eq!(e.post(PAYMENTS, e.key(0), &body.to_string()).await.status, 200);
    }
    let has = |tx: &str| e.state.store().events(e.site(0)).iter().any(|ev| ev.transaction_id() == Some(tx));

    // Visitor + window (Gen-3 spelling): only that visitor's payment inside the window.
    let r = e.delete(&format!("{PAYMENTS}?datafast_visitor_id={v}&start=2020-01-01&end=2020-01-15"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.data()[0],
        json!({"datafast_visitor_id": v, "message": "All payments for visitor deleted successfully within time range",
               "timeRange": {"start": "2020-01-01T00:00:00.000Z", "end": "2020-01-15T23:59:59.999Z"}})
    );
    assert!(!has("w1") && has("w2") && has("w3"));

    // Bulk window (Gen-1/2 spelling; both pairs sent identical is fine too).
    let w =
        "startAt=2020-01-10T00:00:00Z&endAt=2020-01-10T23:59:59Z&start=2020-01-10T00:00:00Z&end=2020-01-10T23:59:59Z";
    let r = e.delete(&format!("{PAYMENTS}?{w}"), e.key(0)).await;
    assert_eq!(r.data()[0]["message"], "All payments deleted successfully within time range");
    assert_eq!(r.data()[0]["timeRange"]["end"], "2020-01-10T23:59:59.000Z");
    assert!(!has("w3") && has("w2"));

    // Visitor alone: everything of that visitor, seeded payments included.
    let r = e.delete(&format!("{PAYMENTS}?datafast_visitor_id={v}"), e.key(0)).await;
    assert_eq!(
        r.data()[0],
        json!({"datafast_visitor_id": v, "message": "All payments for visitor deleted successfully"})
    );
    assert!(!has("w2"));
    let left = e
        .state
        .store()
        .events(e.site(0))
        .iter()
        .filter(|ev| ev.kind == EventKind::Payment && *ev.visitor_id == *v)
        .count();
    assert_eq!(left, 0);
    // Nothing left to match is still a success (only unknown transactions are 404).
    assert_eq!(e.delete(&format!("{PAYMENTS}?datafast_visitor_id={v}"), e.key(0)).await.status, 200);
}

#[tokio::test]
async fn payment_bulk_delete_of_a_day_removes_its_revenue() {
    let e = emu();
    // The busiest seeded day by payments.
    let day = {
        let store = e.state.store();
        let mut days: Vec<i64> = store
            .events(e.site(0))
            .iter()
            .filter(|ev| ev.kind == EventKind::Payment)
            .map(|ev| ev.ts.div_euclid(86_400_000))
            .collect();
        days.sort_unstable();
        let d = days.iter().max_by_key(|d| days.iter().filter(|x| x == d).count()).copied().unwrap();
        datafast_emulator::time::iso(d * 86_400_000)[..10].to_string()
    };
    let day_query = format!("startAt={day}&endAt={day}");
    let on_day = e.overview(0, &day_query).await["payments"].as_u64().unwrap();
    assert!(on_day > 0);
    let total = e.overview(0, "").await["payments"].as_u64().unwrap();

    let r = e.delete(&format!("{PAYMENTS}?start={day}&end={day}"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(e.overview(0, &day_query).await["payments"], 0);
    assert_eq!(e.overview(0, "").await["payments"].as_u64().unwrap(), total - on_day);
    // Pageviews and goals of that day are untouched.
    assert!(e.overview(0, &day_query).await["visitors"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn payment_delete_errors_change_nothing() {
    let e = emu();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let count = e.event_count(0, EventKind::Payment);
    let cases = [
        ("", 400, "transaction_id"),
        ("?transaction_id=", 400, "transaction_id"),
        ("?datafast_visitor_id=%20", 400, "`datafast_visitor_id` must not be empty"),
        ("?start=2026-05-01T00:00:00Z", 400, "`end`"),
        ("?endAt=2026-05-01", 400, "`startAt`"),
        ("?start=2026-05-02&end=2026-05-01", 400, "`end`"),
        ("?startAt=2026-05-01&endAt=2026-05-02&start=2026-05-01&end=2026-05-03", 400, "start"),
        ("?start=yesterday&end=today", 400, "`start`"),
        ("?transaction_id=never_recorded", 404, "never_recorded"),
    ];
    for (query, status, needle) in cases {
        let r = e.delete(&format!("{PAYMENTS}{query}"), e.key(0)).await;
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{query}: {}", r.message());
        assert_eq!(e.event_count(0, EventKind::Payment), count, "{query} changed the store");
    }
    // The envelope here, not the bare create body.
    let r = e.delete(&format!("{PAYMENTS}?datafast_visitor_id={v}&start=yesterday&end=today"), e.key(0)).await;
    assert_eq!(r.json["status"], "error");
}

// ---------- goals.delete ----------

fn goal(visitor: &str, name: &str) -> String {
    json!({"datafast_visitor_id": visitor, "name": name}).to_string()
}

#[tokio::test]
async fn goal_delete_by_name_and_visitor() {
    let e = emu();
    let [v1, v2] = <[String; 2]>::try_from(e.visitors(0, 2)).unwrap();
    for (v, name) in [(&v1, "trial_click"), (&v1, "trial_click"), (&v2, "trial_click"), (&v2, "Other Goal")] {
        assert_eq!(e.post(GOALS, e.key(0), &goal(v, name)).await.status, 200);
    }
    let completions = |rows: &[(String, u64)], name: &str| rows.iter().find(|(g, _)| g == name).map(|(_, c)| *c);
    let rows = e.goal_completions("").await;
    assert_eq!(completions(&rows, "trial_click"), Some(3));

    // Visitor + name: both must match. The name is normalized like create.
    let r = e.delete(&format!("{GOALS}?datafast_visitor_id={v1}&name=Trial%20Click"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.data()[0],
        json!({"message": "Goal events deleted successfully", "goal_name": "trial_click", "datafast_visitor_id": v1})
    );
    let rows = e.goal_completions("").await;
    assert_eq!(completions(&rows, "trial_click"), Some(1));
    assert_eq!(completions(&rows, "other_goal"), Some(1));

    // Visitor only: all of that visitor's goals, seeded ones included.
    let r = e.delete(&format!("{GOALS}?visitorId={v2}"), e.key(0)).await;
    assert_eq!(
        r.data()[0],
        json!({"message": "All goal events for visitor deleted successfully", "datafast_visitor_id": v2})
    );
    let rows = e.goal_completions("").await;
    assert_eq!(completions(&rows, "trial_click"), None);
    assert_eq!(completions(&rows, "other_goal"), None);
    let left = e
        .state
        .store()
        .events(e.site(0))
        .iter()
        .filter(|ev| ev.kind == EventKind::Goal && *ev.visitor_id == *v2)
        .count();
    assert_eq!(left, 0);
    // Their pageviews stay.
    assert!(e.state.store().events(e.site(0)).iter().any(|ev| ev.kind == EventKind::Pageview && *ev.visitor_id == *v2));

    // Name only, all time: the seeded `signup` goal disappears from the breakdown.
    assert!(completions(&e.goal_completions("").await, "signup").unwrap() > 0);
    let r = e.delete(&format!("{GOALS}?name=signup"), e.key(0)).await;
    assert_eq!(r.data()[0], json!({"message": "Goal events deleted successfully", "goal_name": "signup"}));
    assert_eq!(completions(&e.goal_completions("").await, "signup"), None);
}

#[tokio::test]
async fn goal_delete_by_window_only_touches_that_window() {
    let e = emu();
    let day = {
        let store = e.state.store();
        let first_goal = store.events(e.site(0)).iter().find(|ev| ev.kind == EventKind::Goal).unwrap().ts;
        datafast_emulator::time::iso(first_goal)[..10].to_string()
    };
    let day_query = format!("startAt={day}&endAt={day}");
    let on_day: u64 = e.goal_completions(&day_query).await.iter().map(|(_, c)| c).sum();
    let all: u64 = e.goal_completions("").await.iter().map(|(_, c)| c).sum();
    let payments = e.event_count(0, EventKind::Payment);
    assert!(on_day > 0);

    let r = e.delete(&format!("{GOALS}?start={day}&end={day}"), e.key(0)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["message"], "Goal events deleted successfully within time range");
    assert_eq!(r.data()[0]["timeRange"]["start"], format!("{day}T00:00:00.000Z"));
    assert!(e.goal_completions(&day_query).await.is_empty());
    let left: u64 = e.goal_completions("").await.iter().map(|(_, c)| c).sum();
    assert_eq!(left, all - on_day);
    // Only custom goals go: payments in that window stay.
    assert_eq!(e.event_count(0, EventKind::Payment), payments);
    // Deleting the same window again matches nothing: 404.
    assert_error(&e.delete(&format!("{GOALS}?startAt={day}&endAt={day}"), e.key(0)).await, 404);
}

#[tokio::test]
async fn goal_delete_errors_change_nothing() {
    let e = emu();
    let goals = e.event_count(0, EventKind::Goal);
    let cases = [
        ("", 400, "datafast_visitor_id"),
        ("?name=", 400, "name"),
        ("?name=Sign%20Up!", 400, "`name`"),
        ("?name=identify", 400, "reserved"),
        ("?datafast_visitor_id=abc123", 400, "datafast_visitor_id"),
        ("?start=2026-05-01", 400, "`end`"),
        ("?startAt=2026-05-01&endAt=2026-05-02&start=2026-05-01&end=2026-05-03", 400, "start"),
        ("?name=never_tracked", 404, "nothing was deleted"),
        ("?datafast_visitor_id=00000000-0000-4000-8000-000000000000", 404, "nothing was deleted"),
        ("?start=2000-01-01&end=2000-01-02", 404, "nothing was deleted"),
    ];
    for (query, status, needle) in cases {
        let r = e.delete(&format!("{GOALS}{query}"), e.key(0)).await;
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{query}: {}", r.message());
        assert_eq!(e.event_count(0, EventKind::Goal), goals, "{query} changed the store");
    }
}

// ---------- identify ----------

#[tokio::test]
async fn identify_creates_updates_and_merges_profiles() {
    let e = emu();
    let site = e.site(0).to_string();
    let [v1, v2] = <[String; 2]>::try_from(e.visitors(0, 2)).unwrap();
    let emu = &e;
    let identify = |body: Value| async move {
        let r = emu.post(IDENTIFY, emu.key(0), &body.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json["status"], "success");
        r.data().clone()
    };

    let created =
        identify(json!({"user_id": "user_123", "datafast_visitor_id": v1, "plan": "free", "name": "Jane"})).await;
    assert_eq!(created["message"], "User profile created successfully");
    assert_eq!(created["action"], "created");
    let profile_id = created["profileId"].as_str().unwrap().to_string();
    assert!(datafast_contract::rules::is_object_id(&profile_id));

    // Same pair, same fields: unchanged. A placeholder name is ignored, not stored.
    let same = identify(
        json!({"user_id": "user_123", "datafast_visitor_id": v1, "plan": "free", "name": "undefined undefined"}),
    )
    .await;
    assert_eq!((same["action"].as_str(), same["profileId"].as_str()), (Some("unchanged"), Some(profile_id.as_str())));
    assert_eq!(same["message"], "User profile unchanged");

    // Shallow merge: `plan` replaced, `seats` added, `name` kept although not sent.
    let updated = identify(json!({"user_id": "user_123", "visitorId": v1, "plan": "pro", "seats": 3})).await;
    assert_eq!(updated["action"], "updated");
    assert_eq!(updated["message"], "User profile updated successfully");

    // The same user from a second device: linked to the same profile.
    let linked = identify(json!({"user_id": "user_123", "datafast_visitor_id": v2})).await;
    assert_eq!((linked["action"].as_str(), linked["profileId"].as_str()), (Some("updated"), Some(profile_id.as_str())));
    {
        let store = e.state.store();
        let p1 = store.visitor_profile(&site, &v1).unwrap();
        let p2 = store.visitor_profile(&site, &v2.to_uppercase()).unwrap();
        assert_eq!(p1.profile.id, profile_id);
        assert_eq!(p2.profile.id, profile_id);
        assert_eq!(p1.profile.user_id, "user_123");
        let meta: Vec<(&str, &str)> = p1.profile.metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(meta, [("name", "Jane"), ("plan", "pro"), ("seats", "3")]);
        assert!(store.visitor_profile(e.site(1), &v1).is_none(), "profiles belong to one website");
    }

    // Identified as another user: the visitor moves to that user's profile.
    let other = identify(json!({"user_id": "user_456", "datafast_visitor_id": v2})).await;
    assert_eq!(other["action"], "created");
    assert_ne!(other["profileId"], json!(profile_id));
    let store = e.state.store();
    assert_eq!(store.visitor_profile(&site, &v2).unwrap().profile.user_id, "user_456");
    assert_eq!(store.visitor_profile(&site, &v1).unwrap().profile.user_id, "user_123");
}

#[tokio::test]
async fn identify_errors_change_nothing() {
    let e = emu();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let eleven: serde_json::Map<String, Value> = (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
    let mut too_many = json!({"user_id": "u", "datafast_visitor_id": v});
    too_many.as_object_mut().unwrap().extend(eleven);
    let cases = [
        (json!({"datafast_visitor_id": v}), 400, "`user_id` is required"),
        (json!({"user_id": "", "datafast_visitor_id": v}), 400, "`user_id`"),
        (json!({"user_id": "u".repeat(256), "datafast_visitor_id": v}), 400, "255"),
        (json!({"user_id": 42, "datafast_visitor_id": v}), 400, "`user_id` must be a string"),
        (json!({"user_id": "u"}), 400, "`datafast_visitor_id` is required"),
        (json!({"user_id": "u", "datafast_visitor_id": "abc123"}), 400, "UUID"),
        (json!({"user_id": "u", "datafast_visitor_id": v, "address": {"city": "Paris"}}), 400, "`address`"),
        (json!({"user_id": "u", "datafast_visitor_id": v, "Plan": "pro"}), 400, "`Plan`"),
        (json!({"user_id": "u", "datafast_visitor_id": v, "bio": "b".repeat(256)}), 400, "`bio`"),
        (too_many, 400, "at most 10"),
        (json!({"user_id": "u", "datafast_visitor_id": "00000000-0000-4000-8000-000000000000"}), 404, "pageviews"),
    ];
    for (body, status, needle) in cases {
        let r = e.post(IDENTIFY, e.key(0), &body.to_string()).await;
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
        assert_eq!(e.profile_count(), 0, "{body} stored a profile");
    }
    // A visitor of another website is unknown here.
    let shop_visitor = e.creds.websites[1].sample_visitor_id.clone();
    let r = e.post(IDENTIFY, e.key(0), &json!({"user_id": "u", "datafast_visitor_id": shop_visitor}).to_string()).await;
    assert_error(&r, 404);
    assert_error(&e.post(IDENTIFY, e.key(0), "{oops").await, 400);
    assert_eq!(e.profile_count(), 0);
}

#[tokio::test]
async fn identify_on_a_cookieless_website_stores_nothing() {
    let e = emu();
    let site = e.site(0).to_string();
    let r = e
        .call("PUT", &format!("/api/v1/admin/websites/{site}"), Some(e.owner()), Some(r#"{"isCookieless":true}"#))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let r = e.post(IDENTIFY, e.key(0), &json!({"user_id": "u", "datafast_visitor_id": v}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()["profileId"], Value::Null);
    assert_eq!(r.data()["action"], "unchanged");
    assert_eq!(e.profile_count(), 0);
}

// ---------- roles and permissions (CONTRACT 2.7, 2.8) ----------

#[tokio::test]
async fn viewers_cannot_write_members_can() {
    let e = emu();
    let site = e.site(0).to_string();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let q = format!("?websiteId={site}");
    let snapshot = || (e.event_count(0, EventKind::Payment), e.event_count(0, EventKind::Goal), e.profile_count());
    let before = snapshot();

    let writes = [
        ("POST", format!("{PAYMENTS}{q}"), Some(payment("role_tx", 5.0, &v))),
        ("POST", format!("{GOALS}{q}"), Some(goal(&v, "role_goal"))),
        ("DELETE", format!("{PAYMENTS}{q}&datafast_visitor_id={v}"), None),
        ("DELETE", format!("{GOALS}{q}&datafast_visitor_id={v}"), None),
        ("POST", format!("{IDENTIFY}{q}"), Some(json!({"user_id": "u", "datafast_visitor_id": v}).to_string())),
    ];
    for (method, uri, body) in &writes {
        let r = e.call(method, uri, Some(e.viewer_token()), body.as_deref()).await;
        assert_error(&r, 403);
        assert!(r.message().contains("viewer"), "{uri}: {}", r.message());
        // The role check happens before the route: the envelope even for payments.
        assert_eq!(r.json["status"], "error");
    }
    assert_eq!(snapshot(), before);

    // A member may: payment and goal recorded, then deleted with the visitor's others, and
    // the visitor identified.
    for (method, uri, body) in &writes {
        let r = e.call(method, uri, Some(e.member_token()), body.as_deref()).await;
        assert_eq!(r.status, 200, "{method} {uri}: {}", r.text);
    }
    assert_eq!(e.profile_count(), 1);
    let store = e.state.store();
    assert!(store.events(&site).iter().all(|ev| ev.kind == EventKind::Pageview || *ev.visitor_id != *v));
}

#[tokio::test]
async fn write_permissions_are_checked_per_route() {
    let e = emu();
    let site = e.site(0).to_string();
    let v = e.creds.websites[0].sample_visitor_id.clone();
    let r = e
        .post("/api/v1/admin/access-tokens", e.owner(), r#"{"name":"payments only","permissions":["payments:write"]}"#)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.data()[0]["key"].as_str().unwrap().to_string();
    let q = format!("?websiteId={site}");

    let r = e.post(&format!("{PAYMENTS}{q}"), &token, &payment("perm_tx", 5.0, &v)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    for (method, uri, body, permission) in [
        ("POST", IDENTIFY, Some(json!({"user_id": "u", "datafast_visitor_id": v}).to_string()), "identify:write"),
        ("DELETE", GOALS, None, "goals:write"),
    ] {
        let r = e.call(method, &format!("{uri}{q}&name=signup"), Some(&token), body.as_deref()).await;
        assert_error(&r, 403);
        assert!(r.message().contains(permission), "{}", r.message());
    }
    assert_eq!(e.profile_count(), 0);
}
