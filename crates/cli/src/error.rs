//! The CLI's one error type: a one-line message and the exit code scripts branch on.

use datafast_wasm::core::{ClientError, ErrorCode};
use std::fmt;

/// Documented exit codes (README: "Exit codes").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Any other API or server error.
    Other = 1,
    /// Bad usage or input refused by validation (before sending, or a 400 from the API).
    Usage = 2,
    /// No token, a malformed one, or the API refused it (401/403).
    Auth = 3,
    NotFound = 4,
    RateLimited = 5,
    /// No response: connection failure or timeout.
    Network = 6,
    /// Ctrl+C or the `Cancel` entry of a prompt.
    Cancelled = 130,
}

#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        CliError { exit, message: message.into() }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(Exit::Usage, message)
    }
    pub fn other(message: impl Into<String>) -> Self {
        CliError::new(Exit::Other, message)
    }
    pub fn cancelled() -> Self {
        CliError::new(Exit::Cancelled, "cancelled")
    }

    /// What `main` prints: one line on stderr, whatever the message held.
    pub fn line(&self) -> String {
        let one: Vec<&str> = self.message.split_whitespace().collect();
        format!("datafast: {}", one.join(" "))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Which exit code an error of the client core means.
pub fn exit_for(code: ErrorCode) -> Exit {
    use ErrorCode::*;
    match code {
        InvalidOptions | InvalidParams | MissingWebsiteId | BadRequest | PayloadTooLarge => Exit::Usage,
        InvalidToken | TokenNotAllowed | Unauthorized | Forbidden => Exit::Auth,
        NotFound => Exit::NotFound,
        RateLimited => Exit::RateLimited,
        Timeout | NetworkError | RequestTimeout => Exit::Network,
        Aborted => Exit::Cancelled,
        BrowserNotAllowed | ClientClosed | MethodNotAllowed | Conflict | ServerError | HttpError | InvalidResponse => {
            Exit::Other
        }
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        let mut message = e.to_string();
        if let Some(reset) = e.rate_limit.and_then(|r| r.reset).filter(|_| e.code == ErrorCode::RateLimited) {
            message.push_str(&format!("; the window resets at Unix time {reset}"));
        }
        CliError::new(exit_for(e.code), message)
    }
}

impl From<datafast_contract::rules::RuleViolation> for CliError {
    fn from(v: datafast_contract::rules::RuleViolation) -> Self {
        ClientError::from(v).into()
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::Interrupted {
            return CliError::cancelled();
        }
        CliError::other(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_an_exit_code() {
        for code in ErrorCode::ALL {
            let exit = exit_for(*code);
            assert!(exit as i32 != 0, "{code}");
        }
        assert_eq!(exit_for(ErrorCode::Forbidden), Exit::Auth);
        assert_eq!(exit_for(ErrorCode::InvalidParams), Exit::Usage);
    }

    #[test]
    fn messages_print_on_one_line() {
        let e = CliError::other("first\nsecond  third");
        assert_eq!(e.line(), "datafast: first second third");
    }
}
