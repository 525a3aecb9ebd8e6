//! The emulator over real sockets: in-process `start()` and the `datafast-emulator` binary.

use datafast_emulator::{start, Config};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A minimal HTTP/1.1 GET (no client crate needed): returns status and body.
async fn http_get(addr: &str, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    let status: u16 = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn in_process_server_serves_and_stops() {
    let server = start(Config { rate_limit: None, ..Config::default() }, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = server.addr.to_string();
    assert_ne!(server.addr.port(), 0);
    assert_eq!(server.base_url(), format!("http://{addr}"));
    let (status, body) = http_get(&addr, "/__emulator/health", None).await;
    assert_eq!((status, body), (200, serde_json::json!({"status": "ok"})));
    let tokens = server.tokens();
    let (status, body) = http_get(&addr, "/api/v1/admin/websites", Some(&tokens.credentials.owner_token)).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    server.stop().await.unwrap();
    assert!(TcpStream::connect(&addr).await.is_err(), "still listening after stop");
}

#[tokio::test]
async fn binary_prints_address_writes_tokens_file_and_exits_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("datafast-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tokens.json");
    let _ = std::fs::remove_file(&file);
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_datafast-emulator"))
            .args(["--port", "0", "--seed", "42", "--tokens-file"])
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.strip_prefix("datafast-emulator listening on ").unwrap_or_else(|| panic!("{first}")).to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    while !file.exists() {
        assert!(started.elapsed() < Duration::from_secs(10), "tokens file never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let obj = json.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["baseUrl", "ownerToken", "websites"]);
    assert_eq!(json["baseUrl"], base.as_str());
    assert!(json["ownerToken"].as_str().unwrap().starts_with("dft_"));
    let sites = json["websites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[0]["domain"], "demo.example.com");
    assert_eq!(sites[0]["name"], "Demo");
    assert_eq!(sites[1]["domain"], "shop.example.com");
    assert_eq!(sites[1]["name"], "Shop");
    for s in sites {
        assert_eq!(
            s.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["domain", "id", "key", "name", "sampleVisitorId"]
        );
        assert!(s["key"].as_str().unwrap().starts_with("df_"));
        assert!(datafast_contract::rules::is_uuid(s["sampleVisitorId"].as_str().unwrap()));
    }
    // Same seed as the library default: same credentials.
    let lib = datafast_emulator::AppState::new(Config::default());
    assert_eq!(json["ownerToken"], lib.demo.owner_token.as_str());

    let addr = base.trim_start_matches("http://").to_string();
    let key = sites[0]["key"].as_str().unwrap();
    let (status, body) = http_get(&addr, "/api/v1/analytics/overview", Some(key)).await;
    assert_eq!(status, 200);
    assert!(body["data"][0]["visitors"].as_u64().unwrap() > 1000);

    let kill = Command::new("kill").args(["-TERM", &child.0.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.0.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Kills the emulator if an assertion fails first, so it never outlives the test (it holds
/// the test's stderr open, which would hang a piped `cargo test`).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
