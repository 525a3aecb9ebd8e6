//! A group run without its subcommand (`datafast websites`, `datafast analytics`) opens a
//! menu of that group's commands at a terminal, as the official CLI does. The choice is
//! added to the command line, which is parsed again: what the chosen command still lacks is
//! asked for by its own pickers.

use crate::cli::Cli;
use crate::error::{CliError, Result};
use crate::prompt;
use clap::{CommandFactory, Parser};
use std::ffi::OsString;

/// The command line completed with a choice from the menu of the group it stops at, or
/// `None` when it does not stop at a group.
pub fn complete(args: &[OsString]) -> Result<Option<Vec<OsString>>> {
    let root = Cli::command();
    let mut cmd = &root;
    let mut insert_at = 1;
    for (i, arg) in args.iter().enumerate().skip(1) {
        let Some(word) = arg.to_str() else { break };
        match cmd.find_subcommand(word) {
            Some(sub) if !word.starts_with('-') => {
                cmd = sub;
                insert_at = i + 1;
            }
            _ => {}
        }
    }
    let choices: Vec<(String, String)> = if cmd.has_subcommands() {
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            .map(|s| (label(s.get_name(), s.get_about().map(|a| a.to_string())), s.get_name().to_string()))
            .collect()
    } else {
        // A group whose choice is a value (`analytics <report>`).
        match cmd.get_positionals().next() {
            Some(arg) => arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| (label(v.get_name(), v.get_help().map(|h| h.to_string())), v.get_name().to_string()))
                .collect(),
            None => Vec::new(),
        }
    };
    if choices.is_empty() || cmd.get_name() == root.get_name() {
        return Ok(None);
    }
    let picked = prompt::pick(&format!("datafast {}", cmd.get_name()), choices)?;
    let mut out = args.to_vec();
    out.insert(insert_at, picked.into());
    Ok(Some(out))
}

fn label(name: &str, about: Option<String>) -> String {
    match about {
        Some(a) if !a.is_empty() => format!("{name:<16} {a}"),
        _ => name.to_string(),
    }
}

/// Parses the command line; at a terminal, a group without its command opens its menu.
/// Usage errors are one line on stderr (exit 2); `--help` and `--version` print as usual.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let error = match Cli::try_parse_from(&args) {
        Ok(cli) => return cli,
        Err(e) => e,
    };
    use clap::error::ErrorKind::*;
    let stops_at_group =
        matches!(error.kind(), MissingSubcommand | DisplayHelpOnMissingArgumentOrSubcommand | MissingRequiredArgument);
    if stops_at_group && prompt::interactive() {
        match complete(&args) {
            Ok(Some(completed)) => return Cli::parse_from(completed),
            Ok(None) => {}
            Err(e) => exit_with(e),
        }
    }
    match error.kind() {
        DisplayHelp | DisplayVersion => error.exit(),
        MissingSubcommand | DisplayHelpOnMissingArgumentOrSubcommand => match group_commands(&args) {
            Some((group, names)) => {
                exit_with(CliError::usage(format!("`{group}` needs a command: {}", names.join(", "))))
            }
            None => error.exit(),
        },
        _ => {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or("invalid usage").trim_start_matches("error: ");
            exit_with(CliError::usage(format!("{first} (see --help)")))
        }
    }
}

/// The group the command line stops at and its commands (`None` at the top level).
fn group_commands(args: &[OsString]) -> Option<(String, Vec<String>)> {
    let root = Cli::command();
    let mut cmd = &root;
    for word in args.iter().skip(1).filter_map(|a| a.to_str()) {
        if let Some(sub) = cmd.find_subcommand(word) {
            cmd = sub;
        }
    }
    if cmd.get_name() == root.get_name() {
        return None;
    }
    let names = cmd.get_subcommands().map(|s| s.get_name().to_string()).filter(|n| n != "help").collect();
    Some((cmd.get_name().to_string(), names))
}

fn exit_with(e: CliError) -> ! {
    eprintln!("{}", e.line());
    std::process::exit(e.exit as i32)
}
