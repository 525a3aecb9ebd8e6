//! `datafast`: the DataFast command line. It drives the client core's call state machine
//! (the same one the npm package runs in wasm) over a blocking HTTP transport.

mod cli;
mod commands;
mod config;
mod context;
mod driver;
mod error;
mod input;
mod mcp;
mod menu;
mod output;
mod prompt;

use cli::{Cli, Command};
use error::Result;

fn main() {
    output::init_colors();
    prompt::handle_interrupts();
    let cli = menu::parse();
    if let Err(e) = run(cli) {
        eprintln!("{}", e.line());
        std::process::exit(e.exit as i32);
    }
}

fn run(cli: Cli) -> Result<()> {
    // Completion scripts need no configuration (and must work without a readable one).
    if let Command::Completion { shell } = cli.command {
        return commands::completion(shell);
    }
    let settings = config::Settings::load(cli.global.website.as_deref())?;
    if let Command::Mcp(args) = &cli.command {
        let options = context::call_options(cli.global.timeout, cli.global.max_retries)?;
        return mcp::run(&settings, options, mcp::Scope::new(args.read_only, &args.toolsets, args.output_schemas)?);
    }
    let out = output::Output::new(cli.global.json, cli.global.csv);
    let mut ctx = context::Ctx::new(settings, out, cli.global.timeout, cli.global.max_retries)?;
    commands::run(&mut ctx, cli.command)
}
