//! Clients that are slow, idle, oversized or malformed, over real sockets: each is answered
//! with the error envelope or disconnected within the server's limits, never held forever.

mod common;

use common::END_MS;
use datafast_emulator::{start_with_limits, AppState, Config, Limits, Server};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short limits, so the tests wait half a second instead of the defaults' 15 and 30.
const LIMITS: Limits = Limits { header_read: Duration::from_millis(500), body_read: Duration::from_millis(500) };
/// How long a test waits for what the limits promise before calling the server stuck.
const PATIENCE: Duration = Duration::from_secs(5);

async fn server(limits: Limits) -> Server {
    let config = Config::pinned(1, END_MS);
    start_with_limits(AppState::new(config), "127.0.0.1:0".parse().unwrap(), limits).await.unwrap()
}

struct Answer {
    status: u16,
    head: String,
    json: Value,
}

/// Reads one response (headers, then `Content-Length` bytes of body) from `stream`.
async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut buf)).await.expect("no answer in time").unwrap();
        assert!(n > 0, "closed without an answer: {}", String::from_utf8_lossy(&raw));
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length: ")).map_or(0, |v| v.trim().parse().unwrap());
    while raw.len() < head_end + length {
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut buf)).await.expect("body in time").unwrap();
        assert!(n > 0, "closed in the middle of the body");
        raw.extend_from_slice(&buf[..n]);
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let json = serde_json::from_slice(&raw[head_end..head_end + length]).unwrap_or(Value::Null);
    Answer { status, head, json }
}

/// Waits until the server closes `stream` (EOF or reset); fails after [`PATIENCE`].
async fn assert_closed_by_server(stream: &mut TcpStream) {
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(PATIENCE, stream.read(&mut buf)).await {
            Err(_) => panic!("the connection is still open after {PATIENCE:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return,
            Ok(Ok(_)) => {}
        }
    }
}

fn assert_envelope(a: &Answer, status: u16) {
    assert_eq!(a.status, status, "{}", a.head);
    assert_eq!(a.json["status"], "error", "{}", a.json);
    assert_eq!(a.json["error"]["code"], status, "{}", a.json);
    assert!(a.head.contains("content-type: application/json"), "{}", a.head);
}

#[tokio::test]
async fn slow_or_silent_clients_are_disconnected() {
    let s = server(LIMITS).await;
    let opened = Instant::now();
    // Half a request line, then nothing.
    let mut slow = TcpStream::connect(s.addr).await.unwrap();
    slow.write_all(b"GET /api/v1/analytics/overview HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    // Connected and silent.
    let mut silent = TcpStream::connect(s.addr).await.unwrap();
    for stream in [&mut slow, &mut silent] {
        assert_closed_by_server(stream).await;
        let after = opened.elapsed();
        assert!(after >= Duration::from_millis(400), "closed after only {after:?}");
    }
    s.stop().await.unwrap();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answers() {
    let s = server(LIMITS).await;
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    for _ in 0..2 {
        stream.write_all(b"GET /__emulator/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        assert_eq!(read_answer(&mut stream).await.status, 200);
    }
    assert_closed_by_server(&mut stream).await;
    s.stop().await.unwrap();
}

/// Sends `request` on a fresh connection: the answer is the envelope with `status`, then
/// the server closes the connection (part of the body is left unread).
async fn assert_refused_and_closed(s: &Server, request: &str, status: u16) {
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let a = read_answer(&mut stream).await;
    assert_envelope(&a, status);
    assert!(a.head.contains("connection: close"), "{}", a.head);
    assert_closed_by_server(&mut stream).await;
}

#[tokio::test]
async fn a_body_that_never_arrives_or_a_terabyte_is_refused_and_closed() {
    let s = server(LIMITS).await;
    // 10 of 100 announced bytes, then nothing: 408 after `body_read`.
    let stalled = "POST /api/v1/goals HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\":";
    assert_refused_and_closed(&s, stalled, 408).await;
    // 10^12 announced: 413 at once, without waiting for any of it.
    let huge = "POST /api/v1/goals HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n0123456789";
    assert_refused_and_closed(&s, huge, 413).await;
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_10_mb_body_written_in_full_first_gets_its_413() {
    let s = server(Limits::default()).await;
    let body = vec![b'x'; 10 << 20];
    // A route, and a path no route answers: the body limit comes before routing.
    for path in ["/api/v1/goals", "/api/v1/no-such-route"] {
        let mut stream = TcpStream::connect(s.addr).await.unwrap();
        let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len());
        // As fetch does: the whole request is written before the answer is read.
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.expect("the server reads the whole body");
        assert_envelope(&read_answer(&mut stream).await, 413);
        // The body was read to its end, so the connection carries the next request.
        stream.write_all(b"GET /__emulator/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        assert_eq!(read_answer(&mut stream).await.status, 200);
    }
    s.stop().await.unwrap();
}

/// Node's `fetch` (undici), the client the probe saw fail: it sends the whole body, and
/// reports EPIPE instead of the answer if the server closes before reading it.
#[tokio::test]
async fn fetch_receives_the_413_for_10_mb_bodies() {
    let s = server(Limits::default()).await;
    let script = r#"
        const [url, token] = process.argv.slice(1);
        const body = 'x'.repeat(10 * 1024 * 1024);
        const seen = {};
        for (let i = 0; i < 30; i++) {
            let outcome;
            try {
                const r = await fetch(url, { method: 'POST', body,
                    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
                const json = await r.json();
                outcome = `${r.status}:${json.error && json.error.code}`;
            } catch (e) {
                outcome = `error:${e.cause ? e.cause.code : e.message}`;
            }
            seen[outcome] = (seen[outcome] || 0) + 1;
        }
        console.log(JSON.stringify(seen));
    "#;
    let url = format!("{}/api/v1/goals", s.base_url());
    let token = s.tokens().credentials.websites[0].key.clone();
    let out = tokio::process::Command::new("node")
        .args(["--input-type=module", "-e", script, &url, &token])
        .output()
        .await
        .expect("node is installed (scripts/setup.sh)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen, serde_json::json!({"413:413": 30}));
    s.stop().await.unwrap();
}

#[tokio::test]
async fn oversized_request_lines_and_headers_get_the_envelope() {
    let s = server(LIMITS).await;
    let long_path = format!("GET /api/v1/analytics/overview?x={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(10_000));
    let many = format!("GET /__emulator/health HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-Filler: 1\r\n".repeat(150));
    let big = format!("GET /__emulator/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(40_000));
    for (request, status) in [(long_path, 414), (many, 431), (big, 431)] {
        let mut stream = TcpStream::connect(s.addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        assert_envelope(&read_answer(&mut stream).await, status);
    }
    s.stop().await.unwrap();
}
