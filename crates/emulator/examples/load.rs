//! A tiny closed-loop load generator for the emulator (no external tool needed):
//! `cargo run --release -p datafast-emulator --example load -- ADDR PATH TOKEN [CONNECTIONS] [SECONDS]`
//! e.g. `... -- 127.0.0.1:8787 /api/v1/analytics/overview df_… 8 5`.
//!
//! Each connection sends keep-alive HTTP/1.1 GETs back to back; the run prints requests per
//! second, the status counts and the mean latency. Loopback only, bounded in time.

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: load ADDR PATH TOKEN [CONNECTIONS] [SECONDS]");
        std::process::exit(2);
    }
    let addr = args[0].clone();
    let path = args[1].clone();
    let token = args[2].clone();
    let connections: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(5).min(60);
    if !(addr.starts_with("127.") || addr.starts_with("localhost") || addr.starts_with("[::1]")) {
        eprintln!("load only targets loopback addresses");
        std::process::exit(2);
    }
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\r\n");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (addr, request) = (addr.clone(), request.clone());
        tasks.push(tokio::spawn(async move { connection(&addr, request.as_bytes(), deadline).await }));
    }
    let (mut ok, mut other, mut latency) = (0u64, 0u64, Duration::ZERO);
    for t in tasks {
        let (o, n, l) = t.await.map_err(std::io::Error::other)??;
        ok += o;
        other += n;
        latency += l;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = ok + other;
    println!(
        "{total} requests in {elapsed:.2}s: {:.0} req/s, 2xx {ok}, other {other}, mean latency {:.3} ms",
        total as f64 / elapsed,
        latency.as_secs_f64() * 1000.0 / total.max(1) as f64
    );
    Ok(())
}

/// One keep-alive connection until `deadline`: `(2xx count, other count, summed latency)`.
async fn connection(addr: &str, request: &[u8], deadline: Instant) -> std::io::Result<(u64, u64, Duration)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    let (mut ok, mut other, mut latency) = (0, 0, Duration::ZERO);
    while Instant::now() < deadline {
        let t = Instant::now();
        stream.write_all(request).await?;
        let status = read_response(&mut stream, &mut buf).await?;
        latency += t.elapsed();
        if (200..300).contains(&status) {
            ok += 1;
        } else {
            other += 1;
        }
    }
    Ok((ok, other, latency))
}

/// Reads one response with a `content-length` body; returns its status.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(status);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
