//! Admin routes for website objects: funnels, goal customizations and alerts. Every 4xx is
//! also checked to leave the relevant list unchanged.

mod common;

use common::*;
use serde_json::{json, Value};

fn member(e: &Emu) -> &str {
    &e.creds.team[0].token
}
fn viewer(e: &Emu) -> &str {
    &e.creds.team[1].token
}

impl Emu {
    async fn put(&self, uri: &str, token: &str, body: &str) -> Resp {
        self.call("PUT", uri, Some(token), Some(body)).await
    }
    async fn delete(&self, uri: &str, token: &str) -> Resp {
        self.call("DELETE", uri, Some(token), None).await
    }
    /// The whole body of a GET that must succeed.
    async fn body(&self, uri: &str, token: &str) -> Value {
        let r = self.get(uri, token).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
        r.json
    }
    /// The `data` of a GET that must succeed.
    async fn list(&self, uri: &str, token: &str) -> Value {
        self.body(uri, token).await["data"].clone()
    }
}

// ---------- funnels ----------

fn funnels_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/funnels", e.site(i))
}

fn funnel_body(name: &str) -> String {
    json!({"name": name, "steps": [
        {"name": "Landing", "type": "pageview", "url": "/"},
        {"name": "Signup", "type": "goal", "goalName": "Signup"}
    ]})
    .to_string()
}

#[tokio::test]
async fn funnel_create_list_shape_and_derived_ids() {
    let e = emu();
    let url = funnels_url(&e, 0);
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    let r = e.post(&url, e.owner(), &funnel_body("  Signup Funnel ")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let f = r.data()[0].clone();
    assert_eq!(f["name"], "Signup Funnel");
    assert_eq!(f["slug"], "signup-funnel");
    assert_eq!(f["websiteId"], e.site(0));
    assert_eq!(f["isActive"], true);
    assert!(f["createdAt"].is_string());
    assert!(datafast_contract::rules::is_object_id(f["_id"].as_str().unwrap()));
    assert_eq!(
        f["steps"],
        json!([
            {"id": "landing", "name": "Landing", "type": "pageview", "url": "/"},
            {"id": "signup", "name": "Signup", "type": "goal", "goalName": "signup"}
        ])
    );
    assert_eq!(e.list(&url, e.owner()).await, json!([f]));
    // Other websites do not see it.
    assert_eq!(e.list(&funnels_url(&e, 1), e.owner()).await, json!([]));
    // Repeated step names get distinct ids; 8 steps is the maximum.
    let steps: Vec<Value> = (0..8).map(|_| json!({"name": "Page", "type": "pageview", "url": "/p"})).collect();
    let r = e.post(&url, e.key(0), &json!({"name": "Eight", "steps": steps}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let ids: Vec<&str> = r.data()[0]["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["page", "page-2", "page-3", "page-4", "page-5", "page-6", "page-7", "page-8"]);
}

#[tokio::test]
async fn funnel_create_errors_name_the_field_and_change_nothing() {
    let e = emu();
    let url = funnels_url(&e, 0);
    assert_eq!(e.post(&url, e.owner(), &funnel_body("Existing")).await.status, 200);
    let before = e.list(&url, e.owner()).await;
    let pv = json!({"name": "Home", "type": "pageview", "url": "/"});
    let nine: Vec<Value> = (0..9).map(|_| pv.clone()).collect();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"steps": [pv, pv]}), "`name` is required"),
        (json!({"name": "  ", "steps": [pv, pv]}), "`name` must not be empty"),
        (json!({"name": "X"}), "`steps` is required"),
        (json!({"name": "X", "steps": "a"}), "`steps` must be an array"),
        (json!({"name": "X", "steps": [pv]}), "`steps` must have from 2 to 8"),
        (json!({"name": "X", "steps": nine}), "`steps` must have from 2 to 8"),
        (json!({"name": "X", "steps": [pv, 3]}), "`steps[1]` must be an object"),
        (json!({"name": "X", "steps": [pv, {"type": "pageview", "url": "/"}]}), "`steps[1].name` is required"),
        (json!({"name": "X", "steps": [pv, {"name": "A", "url": "/"}]}), "`steps[1].type` is required"),
        (json!({"name": "X", "steps": [pv, {"name": "A", "type": "click"}]}), "`steps[1].type` must be `pageview`"),
        (json!({"name": "X", "steps": [{"name": "A", "type": "pageview"}, pv]}), "`steps[0].url` is required"),
        (json!({"name": "X", "steps": [pv, {"name": "A", "type": "goal"}]}), "`steps[1].goalName` is required"),
        (
            json!({"name": "X", "steps": [pv, {"name": "A", "type": "goal", "goalName": "a".repeat(33)}]}),
            "`steps[1].goalName` must be at most 32",
        ),
        (
            json!({"name": "X", "steps": [pv, {"name": "A", "type": "goal", "goalName": "sign.up"}]}),
            "`steps[1].goalName` may contain only",
        ),
        (json!({"name": "existing", "steps": [pv, pv]}), "already exists"),
    ];
    for (body, needle) in &cases {
        let r = e.post(&url, e.owner(), &body.to_string()).await;
        let status = if needle.contains("already") { 409 } else { 400 };
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    for bad in ["", "nope", "[]"] {
        assert_error(&e.post(&url, e.owner(), bad).await, 400);
    }
    // 32 characters is fine.
    let ok = json!({"name": "Y", "steps": [pv, {"name": "A", "type": "goal", "goalName": "a".repeat(32)}]});
    assert_eq!(e.list(&url, e.owner()).await, before);
    assert_eq!(e.post(&url, e.owner(), &ok.to_string()).await.status, 200);
}

#[tokio::test]
async fn funnel_update_partial_replace_steps_and_reactivate() {
    let e = emu();
    let url = funnels_url(&e, 0);
    let f = e.post(&url, e.owner(), &funnel_body("One")).await.data()[0].clone();
    let id = f["_id"].as_str().unwrap();
    let one = format!("{url}/{id}");
    // Empty body: nothing changes.
    let r = e.put(&one, e.owner(), "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0], f);
    let r = e.put(&one, e.owner(), r#"{"name":"Renamed Funnel"}"#).await;
    assert_eq!(r.data()[0]["slug"], "renamed-funnel");
    assert_eq!(r.data()[0]["steps"], f["steps"]);
    assert_eq!(r.data()[0]["createdAt"], f["createdAt"]);
    let steps = json!({"steps":[{"name":"A","type":"pageview","url":"/a"},{"name":"B","type":"pageview","url":"/b"},
        {"name":"Buy","type":"goal","goalName":"purchase"}]});
    let r = e.put(&one, e.owner(), &steps.to_string()).await;
    assert_eq!(r.data()[0]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(r.data()[0]["name"], "Renamed Funnel");
    let current = e.list(&url, e.owner()).await;
    // Errors change nothing.
    for (body, status, needle) in [
        (r#"{"steps":[]}"#, 400, "`steps` must have"),
        (r#"{"name":""}"#, 400, "`name` must not be empty"),
        (r#"{"isActive":"no"}"#, 400, "`isActive` must be true or false"),
        (
            r#"{"name":"Ok","steps":[{"name":"A","type":"goal"}, {"name":"B","type":"goal","goalName":"b"}]}"#,
            400,
            "steps[0].goalName",
        ),
    ] {
        let r = e.put(&one, e.owner(), body).await;
        assert_error(&r, status);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    assert_error(&e.put(&format!("{url}/not-an-id"), e.owner(), "{}").await, 400);
    let r = e.put(&format!("{url}/665f0b3c4d2e1a0012345678"), e.owner(), "{}").await;
    assert_error(&r, 404);
    // Another website's funnel id is not found here.
    assert_error(&e.put(&format!("{}/{id}", funnels_url(&e, 1)), e.owner(), "{}").await, 404);
    assert_eq!(e.list(&url, e.owner()).await, current);
    // Rename onto another funnel's name: 409.
    e.post(&url, e.owner(), &funnel_body("Two")).await;
    let before = e.list(&url, e.owner()).await;
    assert_error(&e.put(&one, e.owner(), r#"{"name":"TWO"}"#).await, 409);
    assert_eq!(e.list(&url, e.owner()).await, before);
    // isActive false hides, true brings back.
    let r = e.put(&one, e.owner(), r#"{"isActive":false}"#).await;
    assert_eq!(r.data()[0]["isActive"], false);
    assert_eq!(e.list(&url, e.owner()).await.as_array().unwrap().len(), 1);
    let r = e.put(&one, e.owner(), r#"{"isActive":true}"#).await;
    assert_eq!(r.data()[0]["isActive"], true);
    assert_eq!(e.list(&url, e.owner()).await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn funnel_delete_is_soft_and_frees_the_name() {
    let e = emu();
    let url = funnels_url(&e, 0);
    let id = e.post(&url, e.owner(), &funnel_body("Gone")).await.data()[0]["_id"].as_str().unwrap().to_string();
    let one = format!("{url}/{id}");
    let r = e.delete(&one, e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json, json!({"status":"success","data":[{"message":"Funnel deleted successfully"}]}));
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    assert_error(&e.delete(&one, e.owner()).await, 404);
    assert_error(&e.delete(&format!("{url}/xyz"), e.owner()).await, 400);
    assert_error(&e.delete(&format!("{url}/665f0b3c4d2e1a0012345678"), e.owner()).await, 404);
    // The name is free again while the old one is deleted …
    assert_eq!(e.post(&url, e.owner(), &funnel_body("Gone")).await.status, 200);
    // … so reactivating the old one now collides.
    assert_error(&e.put(&one, e.owner(), r#"{"isActive":true}"#).await, 409);
    assert_eq!(e.list(&url, e.owner()).await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn funnel_roles_member_writes_viewer_reads() {
    let e = emu();
    let url = funnels_url(&e, 0);
    let r = e.post(&url, member(&e), &funnel_body("By member")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.data()[0]["_id"].as_str().unwrap().to_string();
    let before = e.list(&url, viewer(&e)).await;
    assert_eq!(before.as_array().unwrap().len(), 1);
    for r in [
        e.post(&url, viewer(&e), &funnel_body("By viewer")).await,
        e.put(&format!("{url}/{id}"), viewer(&e), r#"{"name":"V"}"#).await,
        e.delete(&format!("{url}/{id}"), viewer(&e)).await,
    ] {
        assert_error(&r, 403);
    }
    assert_eq!(e.list(&url, e.owner()).await, before);
    // A df_ key of another website cannot reach this one.
    assert_error(&e.get(&url, e.key(1)).await, 403);
}
