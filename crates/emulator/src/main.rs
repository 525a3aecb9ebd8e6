//! `datafast-emulator`: the local DataFast API server (see the crate docs).

use clap::Parser;
use datafast_emulator::{serve, AppState, Config, RateLimit, TokensFile};
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::net::TcpListener;

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
    /// Seed of the demo account and its traffic: same seed, same tokens, ids and data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Days of synthetic traffic, ending now.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// After binding, write the base URL and demo tokens here as JSON (atomically: scripts
    /// may wait for the file to appear).
    #[arg(long)]
    tokens_file: Option<PathBuf>,
    /// Per-token rate limit: REQUESTS/SECONDS (e.g. 60/60), or `off`.
    #[arg(long, default_value = "60/60", value_parser = parse_rate_limit)]
    rate_limit: RateLimitArg,
    /// Log one line per request (method, path, status) to stderr.
    #[arg(long, short)]
    verbose: bool,
}

/// `Option<RateLimit>` behind a newtype: clap would read a bare `Option` as "flag may be
/// absent" rather than as the parsed value.
#[derive(Clone, Copy, Debug)]
struct RateLimitArg(Option<RateLimit>);

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
        seed: args.seed,
        days: args.days,
        rate_limit: args.rate_limit.0,
        traffic_end_ms: None,
        verbose: args.verbose,
    };
    let state = AppState::new(config);
    let listener = TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = format!("http://{addr}");

    // The demo tokens are fake, local credentials: printing them is the point.
    let demo = &state.demo;
    println!("datafast-emulator listening on {base_url}");
    println!(
        "demo account (seed {}, {} days of traffic, rate limit {}):",
        args.seed,
        args.days,
        args.rate_limit.0.map_or("off".to_string(), |r| r.to_string())
    );
    println!("  owner token (dft_, all permissions): {}", demo.owner_token);
    for w in &demo.websites {
        println!("  {:<18} websiteId {}  key {}", w.domain, w.id, w.key);
    }

    if let Some(path) = &args.tokens_file {
        TokensFile::new(&base_url, demo)
            .write_atomically(path)
            .map_err(|e| format!("cannot write tokens file {}: {e}", path.display()))?;
        println!("tokens written to {}", path.display());
    }

    serve(listener, state, shutdown_signal()).await.map_err(|e| e.to_string())?;
    println!("datafast-emulator stopped");
    Ok(())
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
