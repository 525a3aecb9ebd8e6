//! Admin routes for website objects: funnels, goal customizations and alerts. Every 4xx is
//! also checked to leave the relevant list unchanged.

mod common;

use common::*;
use serde_json::{json, Value};

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
        (
            json!({"name": "X", "steps": [pv, {"name": "A", "type": "click"}]}),
            "`steps[1].type` must be one of pageview, goal",
        ),
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
        (r#"{"isActive":"no"}"#, 400, "`isActive` must be a boolean"),
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
    let r = e.post(&url, e.member_token(), &funnel_body("By member")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.data()[0]["_id"].as_str().unwrap().to_string();
    let before = e.list(&url, e.viewer_token()).await;
    assert_eq!(before.as_array().unwrap().len(), 1);
    for r in [
        e.post(&url, e.viewer_token(), &funnel_body("By viewer")).await,
        e.put(&format!("{url}/{id}"), e.viewer_token(), r#"{"name":"V"}"#).await,
        e.delete(&format!("{url}/{id}"), e.viewer_token()).await,
    ] {
        assert_error(&r, 403);
    }
    assert_eq!(e.list(&url, e.owner()).await, before);
    // A df_ key of another website cannot reach this one.
    assert_error(&e.get(&url, e.key(1)).await, 403);
}

// ---------- goal customizations ----------

fn custom_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/goals/customizations", e.site(i))
}

#[tokio::test]
async fn customizations_list_has_palette_and_upserts_show_up() {
    let e = emu();
    let url = custom_url(&e, 0);
    let body = e.body(&url, e.owner()).await;
    assert_eq!(body["status"], "success");
    assert_eq!(body["data"], json!([]));
    let colors = body["colors"].as_array().unwrap();
    assert_eq!(colors.len(), 10);
    for c in colors {
        let hex = c["color"].as_str().unwrap();
        assert!(hex.len() == 7 && hex.starts_with('#'), "{c}");
        assert!(c["label"].is_string() && c["family"].is_string());
    }
    assert!(colors.iter().any(|c| c["color"] == "#ef4444" && c["family"] == "red" && c["label"] == "Red"));

    let r = e
        .patch(&url, e.owner(), r##"{"goalName":"Signup Started","displayName":" Signup started ","color":"#8DCDFF"}"##)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = r.data()[0].clone();
    assert_eq!(c["goalName"], "signup_started");
    assert_eq!(c["displayName"], "Signup started");
    assert_eq!(c["color"], "#8dcdff");
    assert_eq!(c["description"], Value::Null);
    assert!(c["updatedAt"].is_string());
    // Upsert: a second PATCH changes only what it sends; null clears.
    let r =
        e.patch(&url, e.key(0), r#"{"goalName":"signup_started","description":"Opened the flow","color":null}"#).await;
    let c = r.data()[0].clone();
    assert_eq!(c["displayName"], "Signup started");
    assert_eq!(c["color"], Value::Null);
    assert_eq!(c["description"], "Opened the flow");
    e.patch(&url, e.member_token(), r#"{"goalName":"purchase","displayName":"Purchase"}"#).await;
    let all = e.list(&url, e.viewer_token()).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0], c);
    let one = e.list(&format!("{url}?goalName=Purchase"), e.owner()).await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["goalName"], "purchase");
    assert_eq!(e.list(&format!("{url}?goalName=nothing"), e.owner()).await, json!([]));
    assert_error(&e.get(&format!("{url}?goalName=bad.name"), e.owner()).await, 400);
    // Other websites keep their own.
    assert_eq!(e.list(&custom_url(&e, 1), e.owner()).await, json!([]));
    // Clearing everything removes the record from the list.
    let r = e.patch(&url, e.owner(), r#"{"goalName":"purchase","displayName":null}"#).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.data()[0]["displayName"], Value::Null);
    assert_eq!(e.list(&url, e.owner()).await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn customization_errors_change_nothing() {
    let e = emu();
    let url = custom_url(&e, 0);
    e.patch(&url, e.owner(), r#"{"goalName":"signup","displayName":"Sign up"}"#).await;
    let before = e.list(&url, e.owner()).await;
    let long_name = json!({"goalName":"signup","displayName":"d".repeat(81)}).to_string();
    let long_desc = json!({"goalName":"signup","description":"d".repeat(301)}).to_string();
    let long_goal = json!({"goalName":"g".repeat(65),"color":"#ef4444"}).to_string();
    for (body, needle) in [
        (r#"{"displayName":"X"}"#, "`goalName` is required"),
        (r#"{"goalName":5,"displayName":"X"}"#, "`goalName` must be a string"),
        (r#"{"goalName":"identify","displayName":"X"}"#, "reserved"),
        (r#"{"goalName":"a.b","displayName":"X"}"#, "`goalName` may contain only"),
        (long_goal.as_str(), "`goalName` must be at most 64"),
        (r#"{"goalName":"signup"}"#, "something to change"),
        (r##"{"goalName":"signup","color":"#123456"}"##, "`color` must be one of the palette colors"),
        (r#"{"goalName":"signup","color":3}"#, "`color` must be a string"),
        (long_name.as_str(), "`displayName` must be at most 80"),
        (long_desc.as_str(), "`description` must be at most 300"),
        ("[]", "must be a JSON object"),
        ("", "body is required"),
    ] {
        let r = e.patch(&url, e.owner(), body).await;
        assert_error(&r, 400);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
    }
    // The limits themselves are fine … but a body over 4 KB is 413 even when valid JSON.
    let at_limits = json!({"goalName":"other","displayName":"d".repeat(80),"description":"d".repeat(300)});
    let padded = json!({"goalName":"signup","displayName":"Big","padding":"p".repeat(4100)}).to_string();
    assert!(padded.len() > 4096);
    let r = e.patch(&url, e.owner(), &padded).await;
    assert_error(&r, 413);
    assert!(r.message().contains("4096"));
    // Viewer cannot write.
    assert_error(&e.patch(&url, e.viewer_token(), r#"{"goalName":"signup","displayName":"V"}"#).await, 403);
    assert_error(&e.delete(&format!("{url}?goalName=signup"), e.viewer_token()).await, 403);
    assert_eq!(e.list(&url, e.owner()).await, before);
    assert_eq!(e.patch(&url, e.owner(), &at_limits.to_string()).await.status, 200);
}

#[tokio::test]
async fn customization_delete_reports_whether_something_was_saved() {
    let e = emu();
    let url = custom_url(&e, 0);
    e.patch(&url, e.owner(), r##"{"goalName":"signup","color":"#ef4444"}"##).await;
    let before = e.list(&url, e.owner()).await;
    let r = e.delete(&url, e.owner()).await;
    assert_error(&r, 400);
    assert!(r.message().contains("`goalName`"));
    assert_error(&e.delete(&format!("{url}?goalName=no%20way!"), e.owner()).await, 400);
    assert_eq!(e.list(&url, e.owner()).await, before);
    let r = e.delete(&format!("{url}?goalName=Signup"), e.owner()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data(), &json!([{"deleted": true, "goalName": "signup"}]));
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    let r = e.delete(&format!("{url}?goalName=signup"), e.owner()).await;
    assert_eq!(r.data(), &json!([{"deleted": false, "goalName": "signup"}]));
}

// ---------- alerts ----------

fn alerts_url(e: &Emu, i: usize) -> String {
    format!("/api/v1/admin/websites/{}/alerts", e.site(i))
}

fn alert_body(name: &str, goal: &str) -> String {
    json!({"name": name, "trigger": {"goalName": goal}, "template": {"message": "A visitor did the thing."}})
        .to_string()
}

async fn track_goal(e: &Emu, i: usize, goal: &str) {
    let visitor = &e.creds.websites[i].sample_visitor_id;
    let body = json!({"datafast_visitor_id": visitor, "name": goal}).to_string();
    let r = e.post("/api/v1/goals", e.key(i), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn alert_create_defaults_and_list_shape() {
    let e = emu();
    let url = alerts_url(&e, 0);
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    let r = e.post(&url, e.owner(), &alert_body(" New signup ", "  Sign Up ")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = r.data()[0].clone();
    let id = a["_id"].as_str().unwrap();
    assert!(datafast_contract::rules::is_object_id(id));
    assert_eq!(
        a,
        json!({"_id": id, "websiteId": e.site(0), "name": "New signup",
            "trigger": {"type": "goal", "goalName": "sign_up"}, "destination": {"type": "email"},
            "template": {"subject": null, "message": "A visitor did the thing."}, "isEnabled": true, "recentLogs": []})
    );
    assert_eq!(e.list(&url, e.viewer_token()).await, json!([a]));
    assert_eq!(e.list(&alerts_url(&e, 1), e.owner()).await, json!([]));
    let full = json!({"name": "Paid", "trigger": {"type": "goal", "goalName": "purchase"},
        "destination": {"type": "email"}, "template": {"subject": "Money!", "message": "m".repeat(2000)},
        "isEnabled": false});
    let r = e.post(&url, e.member_token(), &full.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()[0]["template"]["subject"], "Money!");
    assert_eq!(r.data()[0]["isEnabled"], false);
}

#[tokio::test]
async fn alert_errors_name_the_field_and_change_nothing() {
    let e = emu();
    let url = alerts_url(&e, 0);
    let id = e.post(&url, e.owner(), &alert_body("One", "signup")).await.data()[0]["_id"].as_str().unwrap().to_string();
    let before = e.list(&url, e.owner()).await;
    let t = json!({"goalName": "signup"});
    let m = json!({"message": "long enough message"});
    let cases: Vec<(Value, &str)> = vec![
        (json!({"trigger": t, "template": m}), "`name` is required"),
        (json!({"name": "", "trigger": t, "template": m}), "`name` must not be empty"),
        (json!({"name": "n".repeat(101), "trigger": t, "template": m}), "`name` must be at most 100"),
        (json!({"name": 3, "trigger": t, "template": m}), "`name` must be a string"),
        (json!({"name": "A", "template": m}), "`trigger` is required"),
        (json!({"name": "A", "trigger": {}, "template": m}), "`trigger.goalName` is required"),
        (json!({"name": "A", "trigger": "signup", "template": m}), "`trigger` must be an object"),
        (json!({"name": "A", "trigger": {"goalName": "a b!"}, "template": m}), "`trigger.goalName` may contain only"),
        (json!({"name": "A", "trigger": {"goalName": "identify"}, "template": m}), "reserved"),
        (json!({"name": "A", "trigger": {"type": "page", "goalName": "x"}, "template": m}), "`trigger.type` must be"),
        (json!({"name": "A", "trigger": t}), "`template` is required"),
        (
            json!({"name": "A", "trigger": t, "template": {"message": "short"}}),
            "`template.message` must be at least 10",
        ),
        (
            json!({"name": "A", "trigger": t, "template": {"message": "m".repeat(2001)}}),
            "`template.message` must be at most 2000",
        ),
        (
            json!({"name": "A", "trigger": t, "template": {"message": "long enough", "subject": "s".repeat(201)}}),
            "`template.subject` must be at most 200",
        ),
        (json!({"name": "A", "trigger": t, "template": m, "isEnabled": "yes"}), "`isEnabled` must be a boolean"),
        (json!({"name": "A", "trigger": t, "template": m, "destination": {"type": "sms"}}), "`destination.type`"),
    ];
    for (body, needle) in &cases {
        let r = e.post(&url, e.owner(), &body.to_string()).await;
        assert_error(&r, 400);
        assert!(r.message().contains(needle), "{body}: {}", r.message());
        // Update is partial: missing fields are fine there, bad ones are not.
        if !needle.contains("is required") {
            let r = e.put(&format!("{url}/{id}"), e.owner(), &body.to_string()).await;
            assert_error(&r, 400);
            assert!(r.message().contains(needle), "update {body}: {}", r.message());
        }
    }
    assert_error(&e.post(&url, e.owner(), "").await, 400);
    assert_error(&e.put(&format!("{url}/bad"), e.owner(), "{}").await, 400);
    assert_error(&e.put(&format!("{url}/665f0b3c4d2e1a0012345678"), e.owner(), "{}").await, 404);
    assert_error(&e.delete(&format!("{url}/665f0b3c4d2e1a0012345678"), e.owner()).await, 404);
    assert_error(&e.delete(&format!("{url}/{id}"), e.viewer_token()).await, 403);
    assert_error(&e.post(&url, e.viewer_token(), &alert_body("V", "signup")).await, 403);
    assert_error(&e.put(&format!("{url}/{id}"), e.viewer_token(), r#"{"name":"V"}"#).await, 403);
    // Another website's alert is not found through this one.
    assert_error(&e.put(&format!("{}/{id}", alerts_url(&e, 1)), e.owner(), "{}").await, 404);
    assert_eq!(e.list(&url, e.owner()).await, before);
}

#[tokio::test]
async fn alert_update_is_partial_and_delete_removes() {
    let e = emu();
    let url = alerts_url(&e, 0);
    let a = e.post(&url, e.owner(), &alert_body("One", "signup")).await.data()[0].clone();
    let one = format!("{url}/{}", a["_id"].as_str().unwrap());
    let r = e.put(&one, e.owner(), "").await;
    assert_eq!(r.data()[0], a);
    let r = e.put(&one, e.owner(), r#"{"template":{"subject":"Hi"},"isEnabled":false}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let u = &r.data()[0];
    assert_eq!(u["template"], json!({"subject": "Hi", "message": "A visitor did the thing."}));
    assert_eq!(u["isEnabled"], false);
    assert_eq!(u["name"], "One");
    let r = e
        .put(&one, e.key(0), r#"{"name":"Renamed","trigger":{"goalName":" PURCHASE "},"template":{"subject":null}}"#)
        .await;
    let u = r.data()[0].clone();
    assert_eq!(u["name"], "Renamed");
    assert_eq!(u["trigger"]["goalName"], "purchase");
    assert_eq!(u["template"]["subject"], Value::Null);
    assert_eq!(e.list(&url, e.owner()).await, json!([u]));
    let r = e.delete(&one, e.member_token()).await;
    assert_eq!(r.json, json!({"status":"success","data":[{"message":"Alert deleted successfully"}]}));
    assert_eq!(e.list(&url, e.owner()).await, json!([]));
    assert_error(&e.delete(&one, e.owner()).await, 404);
    assert_error(&e.put(&one, e.owner(), "{}").await, 404);
}

#[tokio::test]
async fn alerts_are_capped_at_25_per_website() {
    let e = emu();
    let url = alerts_url(&e, 0);
    for i in 0..25 {
        let r = e.post(&url, e.owner(), &alert_body(&format!("A{i}"), "signup")).await;
        assert_eq!(r.status, 200, "{i}: {}", r.text);
    }
    let before = e.list(&url, e.owner()).await;
    let r = e.post(&url, e.owner(), &alert_body("A25", "signup")).await;
    assert_error(&r, 403);
    assert!(r.message().contains("25"));
    // Invalid input is still a 400, not the limit.
    assert_error(&e.post(&url, e.owner(), r#"{"name":"x"}"#).await, 400);
    assert_eq!(e.list(&url, e.owner()).await, before);
    // The cap is per website.
    assert_eq!(e.post(&alerts_url(&e, 1), e.owner(), &alert_body("Other", "signup")).await.status, 200);
}

#[tokio::test]
async fn enabled_alerts_fire_on_goals_and_history_counts_before_limit() {
    let e = emu();
    let url = alerts_url(&e, 0);
    let hist = format!("{url}/history");
    let signup = e.post(&url, e.owner(), &alert_body("New signup", "signup")).await.data()[0]["_id"]
        .as_str()
        .unwrap()
        .to_string();
    let off = e
        .post(
            &url,
            e.owner(),
            &json!({"name": "Muted", "trigger": {"goalName": "signup"},
        "template": {"message": "should not fire"}, "isEnabled": false})
            .to_string(),
        )
        .await;
    assert_eq!(off.status, 200);
    let purchase =
        e.post(&url, e.owner(), &alert_body("Paid", "purchase")).await.data()[0]["_id"].as_str().unwrap().to_string();
    let body = e.body(&hist, e.owner()).await;
    assert_eq!(body["data"], json!([]));
    assert_eq!(body["counts"], json!({"sent": 0, "failed": 0, "total": 0}));

    track_goal(&e, 0, "Signup").await;
    track_goal(&e, 0, "purchase").await;
    track_goal(&e, 0, "signup").await;
    track_goal(&e, 0, "other_goal").await;
    // A goal on another website fires nothing here.
    track_goal(&e, 1, "signup").await;

    let body = e.body(&hist, e.viewer_token()).await;
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(body["counts"], json!({"sent": 3, "failed": 0, "total": 3}));
    let visitor = &e.creds.websites[0].sample_visitor_id;
    let first = &data[0];
    assert_eq!(first["alertId"], signup);
    assert_eq!(first["alertName"], "New signup");
    assert_eq!(first["goalName"], "signup");
    assert_eq!(first["status"], "sent");
    assert_eq!(first["error"], Value::Null);
    assert_eq!(first["visitorId"].as_str().unwrap().to_lowercase(), visitor.to_lowercase());
    assert!(first["triggeredAt"].is_string());
    // Newest first: the purchase fired between the two signups.
    let order: Vec<&str> = data.iter().map(|l| l["goalName"].as_str().unwrap()).collect();
    assert_eq!(order, ["signup", "purchase", "signup"]);

    // Filter and limit: counts are over all matching rows.
    let body = e.body(&format!("{hist}?alertId={signup}&limit=1"), e.owner()).await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    assert_eq!(body["counts"], json!({"sent": 2, "failed": 0, "total": 2}));
    let body = e.body(&format!("{hist}?alertId={purchase}&limit=500"), e.owner()).await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    for bad in ["limit=0", "limit=abc", "limit=1.5", "alertId=nope"] {
        assert_error(&e.get(&format!("{hist}?{bad}"), e.owner()).await, 400);
    }
    // The alert list shows recent logs; disabling stops firing.
    let list = e.list(&url, e.owner()).await;
    assert_eq!(list[0]["recentLogs"].as_array().unwrap().len(), 2);
    assert_eq!(list[1]["recentLogs"], json!([]));
    e.put(&format!("{url}/{signup}"), e.owner(), r#"{"isEnabled":false}"#).await;
    track_goal(&e, 0, "signup").await;
    assert_eq!(e.body(&hist, e.owner()).await["counts"]["total"], 3);
    // Website 1 has its own (empty) history.
    assert_eq!(e.body(&alerts_url(&e, 1), e.owner()).await["data"], json!([]));
    assert_eq!(e.body(&format!("{}/history", alerts_url(&e, 1)), e.owner()).await["counts"]["total"], 0);
}

#[tokio::test]
async fn alert_history_defaults_to_50_capped_at_100() {
    let e = emu();
    let url = alerts_url(&e, 0);
    e.post(&url, e.owner(), &alert_body("Each", "tick")).await;
    for _ in 0..105 {
        track_goal(&e, 0, "tick").await;
    }
    let hist = format!("{url}/history");
    let body = e.body(&hist, e.owner()).await;
    assert_eq!(body["data"].as_array().unwrap().len(), 50);
    assert_eq!(body["counts"], json!({"sent": 105, "failed": 0, "total": 105}));
    assert_eq!(e.body(&format!("{hist}?limit=100"), e.owner()).await["data"].as_array().unwrap().len(), 100);
    assert_eq!(e.body(&format!("{hist}?limit=101"), e.owner()).await["data"].as_array().unwrap().len(), 100);
}
