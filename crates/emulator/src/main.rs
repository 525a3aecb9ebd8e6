//! `datafast-emulator`: the local DataFast API server (see the crate docs).

use clap::Parser;
use datafast_emulator::faults::{parse_routes, parse_rules};
use datafast_emulator::{app, router, serve_router, AppState, Config, FaultPlan, Opened, RateLimit, TokensFile};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::net::TcpListener;

const DEFAULT_SEED: u64 = 42;
const DEFAULT_DAYS: u32 = 30;

/// Local emulator of the DataFast HTTP API with a deterministic demo account.
#[derive(Parser, Debug)]
#[command(name = "datafast-emulator", version, about)]
struct Args {
    /// Port to listen on; 0 lets the OS pick a free one.
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seed of the demo account and its traffic: same seed, same tokens, ids and data
    /// [default: 42].
    #[arg(long)]
    seed: Option<u64>,
    /// Days of synthetic traffic, ending now [default: 30].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: Option<u32>,
    /// Freeze the clock at this instant (RFC 3339, e.g. 2026-06-01T12:00:00Z): the traffic ends
    /// there and every time-based answer follows it (rate-limit windows, realtime, default
    /// ranges, timestamps of created objects). Tests move it with POST /__emulator/clock
    /// {"set": "…"} or {"advance": "90s"}. Same --seed, --days and --now: the same data, byte for
    /// byte, whatever the wall clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<i64>,
    /// Size the first demo website (demo.example.com) by events instead of by days: its
    /// visitors are drawn, with their usual habits, over --days days until it holds N events
    /// (plus the few visitors on it right now). Same seed, same events; e.g. 1000000 for a
    /// large data set. The second website keeps its --days size.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=50_000_000))]
    events: Option<u64>,
    /// Keep the state in FILE: loaded if it exists, else seeded and created.
    ///
    /// Every acknowledged change is appended to FILE.journal (and synced) before its response
    /// is sent, so a crash loses nothing a client saw succeed; the journal is folded into FILE
    /// at start-up and on a clean stop. The file records the seed, the days and when
    /// the synthetic traffic ends (restarts do not move it); --seed/--days, if given, must
    /// match it. An unreadable or corrupt file stops the emulator: it is never reseeded over.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// After binding, write the base URL and demo tokens here as JSON (atomically: scripts
    /// may wait for the file to appear).
    #[arg(long)]
    tokens_file: Option<PathBuf>,
    /// Per-token rate limit: REQUESTS/SECONDS (e.g. 60/60), or `off`.
    #[arg(long, default_value = "60/60", value_parser = parse_rate_limit)]
    rate_limit: RateLimitArg,
    /// Inject failures into API responses, e.g. 500:0.1,502:0.05,503:0.05,slow=2000:0.1,drop:0.02
    ///
    /// A comma-separated list of KIND[:RATE]. KIND is 500 (JSON error envelope), 502 (HTML
    /// body, as from a proxy), 503 (JSON error envelope), slow=MS (the response is held back
    /// MS milliseconds; the request is handled) or drop (the connection is closed without a
    /// response). Only slow lets the request take effect. RATE is the probability per request,
    /// 0 to 1, default 1; at most one fault applies per request, so the rates add up to 1 or
    /// less. Draws are seeded by --seed. /__emulator/* is never faulted; tests can change
    /// the plan at run time with POST /__emulator/faults {"faults":SPEC,"routes":ROUTES}.
    #[arg(long, value_name = "SPEC", value_parser = validate_faults)]
    faults: Option<String>,
    /// Limit --faults to these routes: comma-separated registry endpoint ids or globs, e.g.
    /// analytics.overview,goals.create or analytics.*
    #[arg(long, value_name = "ROUTES", requires = "faults", value_parser = validate_routes)]
    faults_routes: Option<String>,
    /// Log each request as one JSON line on stderr (tokens and credential-like query values
    /// redacted).
    ///
    /// Fields: time, method, path, endpoint, status (null if dropped), durationMs,
    /// tokenKind, token (masked like displayKey), fault.
    #[arg(long, short, visible_alias = "log")]
    verbose: bool,
    /// Serve the static files of DIR at / (the playground: `www/dist`), on the API's origin.
    #[arg(long, value_name = "DIR")]
    www: Option<PathBuf>,
}

fn validate_faults(spec: &str) -> Result<String, String> {
    parse_rules(spec).map(|_| spec.to_string())
}

fn validate_routes(spec: &str) -> Result<String, String> {
    parse_routes(spec).map(|_| spec.to_string())
}

/// `Option<RateLimit>` behind a newtype: clap would read a bare `Option` as "flag may be
/// absent" rather than as the parsed value.
#[derive(Clone, Copy, Debug)]
struct RateLimitArg(Option<RateLimit>);

fn parse_now(s: &str) -> Result<i64, String> {
    datafast_emulator::time::parse_instant(s)
        .ok_or_else(|| format!("`{s}` is not an RFC 3339 instant such as 2026-06-01T12:00:00Z"))
}

fn parse_rate_limit(spec: &str) -> Result<RateLimitArg, String> {
    RateLimit::parse_spec(spec).map(RateLimitArg)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("datafast-emulator: {msg}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let config = Config {
        seed: args.seed.unwrap_or(DEFAULT_SEED),
        days: args.days.unwrap_or(DEFAULT_DAYS),
        events: args.events,
        rate_limit: args.rate_limit.0,
        traffic_end_ms: None,
        now_ms: args.now,
        verbose: args.verbose,
    };
    let (state, state_note) = open_state(config, &args)?;
    if let Some(spec) = &args.faults {
        state.faults.set(FaultPlan::parse(spec, args.faults_routes.as_deref())?);
    }
    let listener = TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = format!("http://{addr}");

    // The demo tokens are fake, local credentials: printing them is the point.
    let demo = &state.demo;
    println!("datafast-emulator listening on {base_url}");
    let sized = state.config.events.map_or(String::new(), |n| format!(", {n} events on the first website"));
    println!(
        "demo account (seed {}, {} days of traffic{sized}, rate limit {}):",
        state.config.seed,
        state.config.days,
        args.rate_limit.0.map_or("off".to_string(), |r| r.to_string())
    );
    println!("  owner token (dft_, all permissions): {}", demo.owner_token);
    for w in &demo.websites {
        println!("  {:<18} websiteId {}  key {}", w.domain, w.id, w.key);
    }
    if let Some(note) = state_note {
        println!("{note}");
    }
    let plan = state.faults.plan();
    if !plan.is_off() {
        println!("faults: {} on routes {}", plan.spec(), plan.routes_spec());
    }
    if args.verbose {
        println!("request log: one JSON line per request on stderr");
    }

    if let Some(path) = &args.tokens_file {
        TokensFile::new(&base_url, demo)
            .write_atomically(path)
            .map_err(|e| format!("cannot write tokens file {}: {e}", path.display()))?;
        println!("tokens written to {}", path.display());
    }

    let router = match &args.www {
        Some(dir) if !dir.join("index.html").is_file() => {
            return Err(format!("--www {}: no index.html there (build the playground first)", dir.display()))
        }
        Some(dir) => {
            println!("playground: {base_url}/ (files of {})", dir.display());
            router::with_site(app(state.clone()), dir)
        }
        None => app(state.clone()),
    };
    serve_router(listener, router, state, shutdown_signal()).await.map_err(|e| e.to_string())?;
    println!("datafast-emulator stopped");
    Ok(())
}

/// The in-memory demo state, or the one kept in `--state FILE` with a line for the banner.
fn open_state(config: Config, args: &Args) -> Result<(Arc<AppState>, Option<String>), String> {
    let Some(path) = &args.state else {
        return Ok((AppState::new(config), None));
    };
    let (state, opened) = AppState::open(config, path).map_err(|e| e.to_string())?;
    let loaded = &state.config;
    let mismatch = |flag: &str, given: String, kept: String| {
        format!(
            "{flag} {given} does not match the state file {} ({flag} {kept}); drop {flag} or use another state file",
            path.display()
        )
    };
    if let Some(seed) = args.seed.filter(|s| *s != loaded.seed) {
        return Err(mismatch("--seed", seed.to_string(), loaded.seed.to_string()));
    }
    if let Some(days) = args.days.filter(|d| *d != loaded.days) {
        return Err(mismatch("--days", days.to_string(), loaded.days.to_string()));
    }
    if let Some(events) = args.events.filter(|n| Some(*n) != loaded.events) {
        let kept = loaded.events.map_or("not given".to_string(), |n| n.to_string());
        return Err(mismatch("--events", events.to_string(), kept));
    }
    let end = loaded.traffic_end_ms.map_or_else(String::new, datafast_emulator::time::iso);
    let verb = match opened {
        Opened::Created => "created",
        Opened::Loaded => "loaded",
    };
    let note = format!("state: {verb} {} (synthetic traffic ends {end}); changes are saved there", path.display());
    Ok((state, Some(note)))
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
