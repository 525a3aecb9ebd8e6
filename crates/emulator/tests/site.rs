//! `--www DIR`: the playground's files at `/`, the API and the control routes unchanged.

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use datafast_emulator::router::with_site;
use datafast_emulator::{app, AppState, Config};
use tower::ServiceExt;

async fn get(router: &axum::Router, method: &str, path: &str) -> (StatusCode, String) {
    let req = Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn files_at_the_root_and_the_api_beside_them() {
    let dir = std::env::temp_dir().join(format!("datafast-site-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>playground</h1>").unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
    let state = AppState::new(Config { rate_limit: None, ..Config::default() });
    let site = with_site(app(state), &dir);

    assert_eq!(get(&site, "GET", "/").await, (StatusCode::OK, "<h1>playground</h1>".into()));
    assert_eq!(get(&site, "GET", "/assets/app.js").await.1, "console.log(1)");
    assert_eq!(get(&site, "GET", "/nope.js").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&site, "GET", "/../Cargo.toml").await.0, StatusCode::NOT_FOUND);
    // The API answers as without --www: no token → 401 JSON; POSTs reach it too.
    let (status, body) = get(&site, "GET", "/api/v1/analytics/overview").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("\"error\""), "{body}");
    assert_eq!(get(&site, "POST", "/api/v1/goals").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&site, "GET", "/__emulator/health").await, (StatusCode::OK, r#"{"status":"ok"}"#.into()));
    std::fs::remove_dir_all(&dir).unwrap();
}
