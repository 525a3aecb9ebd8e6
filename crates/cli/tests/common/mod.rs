//! Test helpers: a fresh emulator per test (its own port and state) and a `datafast` command
//! with a private HOME, so no test sees another's configuration or writes.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::borrow::BorrowMut;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Emulator {
    child: Child,
    _dir: tempfile::TempDir,
    pub base: String,
    pub owner: String,
    pub site: String,
    pub site_key: String,
    pub other_site: String,
    pub visitor: String,
    /// A private HOME (and XDG_CONFIG_HOME) for the CLI.
    pub home: tempfile::TempDir,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The emulator binary, built once per test run (`cargo build -p datafast-emulator`).
fn emulator_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(bin) = std::env::var("EMULATOR_BIN") {
            return PathBuf::from(bin);
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "-q", "-p", "datafast-emulator"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the emulator failed");
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
        target.join("debug").join("datafast-emulator")
    })
    .clone()
}

pub fn emulator() -> Emulator {
    emulator_with(&["--rate-limit", "off"])
}

pub fn emulator_with(args: &[&str]) -> Emulator {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.json");
    let child = std::process::Command::new(emulator_bin())
        .args(["--port", "0", "--days", "7", "--tokens-file"])
        .arg(&tokens)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        if let Ok(t) = std::fs::read_to_string(&tokens) {
            if !t.is_empty() {
                break t;
            }
        }
        assert!(Instant::now() < deadline, "the emulator did not write its tokens file");
        std::thread::sleep(Duration::from_millis(20));
    };
    let t: Value = serde_json::from_str(&text).unwrap();
    let s = |v: &Value| v.as_str().unwrap().to_string();
    Emulator {
        child,
        base: s(&t["baseUrl"]),
        owner: s(&t["ownerToken"]),
        site: s(&t["websites"][0]["id"]),
        site_key: s(&t["websites"][0]["key"]),
        other_site: s(&t["websites"][1]["id"]),
        visitor: s(&t["websites"][0]["sampleVisitorId"]),
        _dir: dir,
        home: tempfile::tempdir().unwrap(),
    }
}

impl Emulator {
    /// `datafast` with no credentials of its own: only the private HOME and the API base.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("datafast").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("DATAFAST_API_BASE", &self.base)
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// `datafast` as the owner (`DATAFAST_TOKEN`) on the demo website.
    pub fn owner_cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("DATAFAST_TOKEN", &self.owner).args(["--website", &self.site]);
        cmd
    }

    pub fn config_path(&self) -> PathBuf {
        self.home.path().join(".config/datafast/config.json")
    }
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(mut cmd: impl BorrowMut<Command>, args: &[&str]) -> (i32, String, String) {
    let out = cmd.borrow_mut().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs, expects success, returns stdout.
pub fn ok(cmd: impl BorrowMut<Command>, args: &[&str]) -> String {
    let (code, out, err) = run(cmd, args);
    assert_eq!(code, 0, "datafast {args:?} failed: {err}");
    assert!(err.is_empty(), "datafast {args:?} wrote to stderr: {err}");
    out
}

/// Runs with `--json`, expects success, returns the parsed output.
pub fn ok_json(cmd: impl BorrowMut<Command>, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = ok(cmd, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("datafast {args:?} --json printed non-JSON ({e}): {out}"))
}

/// Runs, expects exit `code`, returns stderr (checked to be one line).
pub fn fails(cmd: impl BorrowMut<Command>, args: &[&str], code: i32) -> String {
    let (got, out, err) = run(cmd, args);
    assert_eq!(got, code, "datafast {args:?}: expected exit {code}, got {got}; stdout {out}; stderr {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "datafast {args:?}: error not on one line: {err}");
    err
}

pub const STEPS: &str =
    r#"[{"name":"Home","type":"pageview","url":"/"},{"name":"Signup","type":"goal","goalName":"signup"}]"#;
