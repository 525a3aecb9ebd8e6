//! Interaction: pickers, confirmations and the token prompt, only when both stdin and stdout
//! are terminals. Elsewhere (CI, agents, pipes) a missing value is a one-line usage error,
//! never a prompt that waits forever.

use crate::error::{CliError, Result};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use std::io::IsTerminal;

pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

fn theme() -> Box<dyn Theme> {
    if console::colors_enabled_stderr() {
        Box::new(ColorfulTheme::default())
    } else {
        Box::new(SimpleTheme)
    }
}

fn prompt_error(e: dialoguer::Error) -> CliError {
    let dialoguer::Error::IO(io) = e;
    CliError::from(io)
}

/// Lets the user choose one of `choices` (label, value), or Cancel (exit 130).
pub fn pick(title: &str, choices: Vec<(String, String)>) -> Result<String> {
    if choices.is_empty() {
        return Err(CliError::usage(format!("nothing to choose from: {title}")));
    }
    let mut labels: Vec<&str> = choices.iter().map(|(label, _)| label.as_str()).collect();
    labels.push("Cancel");
    let theme = theme();
    let index = dialoguer::Select::with_theme(theme.as_ref())
        .with_prompt(title)
        .items(&labels)
        .default(0)
        .interact_opt()
        .map_err(prompt_error)?;
    match index {
        Some(i) if i < choices.len() => Ok(choices[i].1.clone()),
        _ => Err(CliError::cancelled()),
    }
}

/// Asks yes/no; `false` unless the user says yes.
pub fn confirm(question: &str) -> Result<bool> {
    let theme = theme();
    let answer = dialoguer::Confirm::with_theme(theme.as_ref())
        .with_prompt(question)
        .default(false)
        .interact_opt()
        .map_err(prompt_error)?;
    Ok(answer == Some(true))
}

/// Reads a line of text.
pub fn text(label: &str) -> Result<String> {
    let theme = theme();
    dialoguer::Input::<String>::with_theme(theme.as_ref()).with_prompt(label).interact_text().map_err(prompt_error)
}

/// Reads a secret without echoing it.
pub fn secret(label: &str) -> Result<String> {
    let theme = theme();
    dialoguer::Password::with_theme(theme.as_ref()).with_prompt(label).interact().map_err(prompt_error)
}

/// A required value: given, asked for on a terminal, or a usage error that says how to pass it.
pub fn require(given: Option<String>, label: &str, how: &str) -> Result<String> {
    match given {
        Some(v) => Ok(v),
        None if interactive() => text(label),
        None => Err(CliError::usage(format!("missing {how}"))),
    }
}

/// Deletes need `--yes`, or a yes at a terminal.
pub fn confirm_delete(yes: bool, what: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !interactive() {
        return Err(CliError::usage(format!("deleting {what} needs --yes when not at a terminal")));
    }
    if confirm(&format!("Delete {what}?"))? {
        Ok(())
    } else {
        Err(CliError::cancelled())
    }
}

/// Ctrl+C at a prompt or during a request: put the terminal back (echo, cursor) and exit 130.
pub fn handle_interrupts() {
    #[cfg(unix)]
    let saved = saved_terminal();
    let _ = ctrlc::set_handler(move || {
        #[cfg(unix)]
        if let Some(t) = saved {
            // SAFETY: restores the attributes read from the same descriptor at start-up.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) };
        }
        let _ = console::Term::stderr().show_cursor();
        eprintln!();
        std::process::exit(crate::error::Exit::Cancelled as i32);
    });
}

/// The terminal's attributes at start-up, so a prompt that turned echo off can be undone.
#[cfg(unix)]
fn saved_terminal() -> Option<libc::termios> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr fills the struct when it returns 0.
    let ok = unsafe { libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) } == 0;
    ok.then(|| unsafe { t.assume_init() })
}
