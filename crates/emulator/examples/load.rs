//! A tiny closed-loop load generator for the emulator (no external tool needed):
//! `cargo run --release -p datafast-emulator --example load -- ADDR PATH TOKEN [CONNECTIONS] [SECONDS] [WARMUP] [--json] [--post BODY] [--total N]`
//! e.g. `... -- 127.0.0.1:8787 /api/v1/analytics/overview df_… 8 5 1`.
//!
//! Each connection sends keep-alive HTTP/1.1 GETs (or POSTs of the JSON `BODY` with
//! `--post`) back to back for WARMUP (default 0) plus SECONDS seconds (at most 60; 3,600
//! with `--total`, which also stops every connection once N requests were sent in all, for
//! filling a data set with writes). Only responses that arrive in the SECONDS window are counted, so slow
//! requests sent during the warm-up count where they finish; requests still in flight when
//! the window closes are abandoned. The run prints requests per second, the status counts
//! and the latency (mean, p50, p90, p99, max) of the counted requests, or one JSON object
//! with `--json`. Loopback only, bounded in time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const USAGE: &str =
    "usage: load ADDR PATH TOKEN [CONNECTIONS] [SECONDS] [WARMUP_SECONDS] [--json] [--post BODY] [--total N]";

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut all: Vec<String> = std::env::args().skip(1).collect();
    let json = all.iter().any(|a| a == "--json");
    let mut option = |name: &str| {
        let i = all.iter().position(|a| a == name)?;
        let value = all.get(i + 1).cloned();
        all.drain(i..(i + 2).min(all.len()));
        value
    };
    let post = option("--post");
    let total = option("--total").and_then(|n| n.parse::<u64>().ok());
    let args: Vec<&String> = all.iter().filter(|a| *a != "--json").collect();
    if args.len() < 3 {
        eprintln!("{USAGE}");
        std::process::exit(2);
    }
    let (addr, path, token) = (args[0].as_str(), args[1].as_str(), args[2].as_str());
    let number = |i: usize, default: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let connections = number(3, 8).max(1) as usize;
    let seconds = number(4, 5).clamp(1, if total.is_some() { 3600 } else { 60 });
    let warmup = number(5, 0).min(60);
    if !(addr.starts_with("127.") || addr.starts_with("localhost") || addr.starts_with("[::1]")) {
        eprintln!("load only targets loopback addresses");
        std::process::exit(2);
    }
    let head = format!("HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n");
    let request = match &post {
        None => format!("GET {path} {head}\r\n"),
        Some(body) => {
            format!("POST {path} {head}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        }
    };
    let window = Window::starting_in(Duration::from_secs(warmup), Duration::from_secs(seconds));
    let budget = Arc::new(AtomicU64::new(total.unwrap_or(u64::MAX)));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (addr, request, budget) = (addr.to_string(), request.clone(), budget.clone());
        tasks.push(tokio::spawn(async move { connection(&addr, request.as_bytes(), window, &budget).await }));
    }
    let mut total = Tally::default();
    for t in tasks {
        total.merge(t.await.map_err(std::io::Error::other)??);
    }
    let report = Report::of(total, window, connections);
    if json {
        println!("{}", report.json());
    } else {
        println!("{}", report.text());
    }
    Ok(())
}

/// When counting starts and ends; requests are sent from the start of the warm-up.
#[derive(Clone, Copy)]
struct Window {
    from: Instant,
    until: Instant,
}

impl Window {
    fn starting_in(warmup: Duration, length: Duration) -> Window {
        let from = Instant::now() + warmup;
        Window { from, until: from + length }
    }
}

/// What one or all connections saw in the counted window.
#[derive(Default)]
struct Tally {
    ok: u64,
    other: u64,
    /// Latency of every counted request, in microseconds.
    latencies_us: Vec<u32>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.ok += other.ok;
        self.other += other.other;
        self.latencies_us.extend(other.latencies_us);
    }
}

/// One keep-alive connection until the window closes.
/// `budget` is how many requests all connections may still send.
async fn connection(addr: &str, request: &[u8], window: Window, budget: &AtomicU64) -> std::io::Result<Tally> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut tally = Tally::default();
    let until = tokio::time::Instant::from_std(window.until);
    while budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
        let t = Instant::now();
        let exchange = async {
            stream.write_all(request).await?;
            read_response(&mut stream, &mut buf).await
        };
        let Ok(status) = tokio::time::timeout_at(until, exchange).await else {
            return Ok(tally);
        };
        let status = status?;
        let done = Instant::now();
        if done < window.from {
            continue;
        }
        tally.latencies_us.push(u32::try_from((done - t).as_micros()).unwrap_or(u32::MAX));
        if (200..300).contains(&status) {
            tally.ok += 1;
        } else {
            tally.other += 1;
        }
    }
    Ok(tally)
}

/// Throughput and latency percentiles of a finished run.
struct Report {
    connections: usize,
    requests: u64,
    ok: u64,
    other: u64,
    seconds: f64,
    mean_ms: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

impl Report {
    fn of(mut tally: Tally, window: Window, connections: usize) -> Report {
        tally.latencies_us.sort_unstable();
        let sorted = &tally.latencies_us;
        // Nearest rank: the smallest sample with at least `p` of the samples at or below it.
        let pct = |p: f64| {
            let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
            sorted.get(rank - 1).map_or(0.0, |&us| f64::from(us) / 1000.0)
        };
        let requests = tally.ok + tally.other;
        let sum_us: u64 = sorted.iter().map(|&us| u64::from(us)).sum();
        Report {
            connections,
            requests,
            ok: tally.ok,
            other: tally.other,
            seconds: (window.until - window.from).as_secs_f64(),
            mean_ms: sum_us as f64 / 1000.0 / requests.max(1) as f64,
            p50_ms: pct(0.50),
            p90_ms: pct(0.90),
            p99_ms: pct(0.99),
            max_ms: pct(1.0),
        }
    }

    fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    fn text(&self) -> String {
        format!(
            "{} requests in {:.2}s over {} connections: {:.0} req/s, 2xx {}, other {}, latency mean {:.3} ms, \
             p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            self.requests,
            self.seconds,
            self.connections,
            self.per_second(),
            self.ok,
            self.other,
            self.mean_ms,
            self.p50_ms,
            self.p90_ms,
            self.p99_ms,
            self.max_ms
        )
    }

    fn json(&self) -> String {
        format!(
            "{{\"connections\":{},\"requests\":{},\"ok\":{},\"other\":{},\"seconds\":{:.3},\"perSecond\":{:.1},\
             \"meanMs\":{:.3},\"p50Ms\":{:.3},\"p90Ms\":{:.3},\"p99Ms\":{:.3},\"maxMs\":{:.3}}}",
            self.connections,
            self.requests,
            self.ok,
            self.other,
            self.seconds,
            self.per_second(),
            self.mean_ms,
            self.p50_ms,
            self.p90_ms,
            self.p99_ms,
            self.max_ms
        )
    }
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
