//! Where the CLI's settings come from: `~/.config/datafast/config.json` (XDG), overridden by
//! `DATAFAST_TOKEN`, `DATAFAST_SITE_KEY` and `DATAFAST_API_BASE`.

use crate::error::{CliError, Exit, Result};
use datafast_contract::DEFAULT_BASE_URL;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The config file as stored. Unknown keys are kept out; missing ones are `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_website_id: Option<String>,
}

/// `$XDG_CONFIG_HOME/datafast/config.json`, else `$HOME/.config/datafast/config.json`.
pub fn path() -> Result<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
    let base = match xdg {
        Some(dir) => dir,
        None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")).ok_or_else(|| {
            CliError::other("cannot find the config directory: neither XDG_CONFIG_HOME nor HOME is set")
        })?,
    };
    Ok(base.join("datafast").join("config.json"))
}

impl ConfigFile {
    /// The file's settings; an absent file is an empty configuration.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => return Err(CliError::other(format!("cannot read {}: {e}", path.display()))),
        };
        serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!("{} is not a valid config file ({e}); fix or delete it", path.display()))
        })
    }

    /// Writes the file readable by its owner only (it holds a token): a new file created with
    /// mode 0600 beside it, then renamed over it, so no reader sees half a file.
    pub fn save(&self, path: &Path) -> Result<()> {
        let fail = |e: std::io::Error| CliError::other(format!("cannot write {}: {e}", path.display()));
        let dir = path.parent().ok_or_else(|| CliError::other("the config path has no directory"))?;
        create_private_dir(dir).map_err(fail)?;
        let tmp = dir.join(".config.json.tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(fail)?;
        let mut text = serde_json::to_string_pretty(self).map_err(|e| CliError::other(e.to_string()))?;
        text.push('\n');
        file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Where a setting's value came from, for `config show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Env(&'static str),
    File,
    Flag,
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Env(name) => write!(f, "from {name}"),
            Source::File => f.write_str("from the config file"),
            Source::Flag => f.write_str("from --website"),
            Source::Default => f.write_str("default"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sourced {
    pub value: String,
    pub source: Source,
}

/// The effective settings: environment over file, `--website` over the default website.
#[derive(Clone, Debug)]
pub struct Settings {
    pub path: PathBuf,
    pub file: ConfigFile,
    pub token: Option<Sourced>,
    pub site_key: Option<Sourced>,
    pub api_base: Sourced,
    pub website: Option<Sourced>,
}

pub const TOKEN_ENV: &str = "DATAFAST_TOKEN";
pub const SITE_KEY_ENV: &str = "DATAFAST_SITE_KEY";
pub const API_BASE_ENV: &str = "DATAFAST_API_BASE";

impl Settings {
    pub fn load(website_flag: Option<&str>) -> Result<Settings> {
        let path = path()?;
        let file = ConfigFile::load(&path)?;
        Ok(Settings::resolve(path, file, |name| std::env::var(name).ok(), website_flag))
    }

    pub fn resolve(
        path: PathBuf,
        file: ConfigFile,
        env: impl Fn(&str) -> Option<String>,
        website_flag: Option<&str>,
    ) -> Settings {
        let pick = |var: &'static str, from_file: &Option<String>| {
            let env_value = env(var).filter(|v| !v.trim().is_empty());
            match env_value {
                Some(value) => Some(Sourced { value: value.trim().to_string(), source: Source::Env(var) }),
                None => from_file.clone().map(|value| Sourced { value, source: Source::File }),
            }
        };
        let token = pick(TOKEN_ENV, &file.token);
        let site_key = pick(SITE_KEY_ENV, &file.site_key);
        let api_base = pick(API_BASE_ENV, &file.api_base)
            .unwrap_or(Sourced { value: DEFAULT_BASE_URL.to_string(), source: Source::Default });
        let website = match website_flag {
            Some(id) => Some(Sourced { value: id.to_string(), source: Source::Flag }),
            None => file.default_website_id.clone().map(|value| Sourced { value, source: Source::File }),
        };
        Settings { path, file, token, site_key, api_base, website }
    }

    /// The credential calls use: the account token when there is one (it reaches every
    /// command), else the website key.
    pub fn credential(&self) -> Result<&Sourced> {
        self.token.as_ref().or(self.site_key.as_ref()).ok_or_else(|| {
            CliError::new(
                Exit::Auth,
                format!("not logged in: run `datafast login`, or set {TOKEN_ENV} (dft_…) or {SITE_KEY_ENV} (df_…)"),
            )
        })
    }
}

/// A token as `config show` prints it: its kind prefix and last four characters.
pub fn mask(token: &str) -> String {
    let prefix = if token.starts_with("dft_") {
        "dft_"
    } else if token.starts_with("df_") {
        "df_"
    } else {
        ""
    };
    let rest = &token[prefix.len()..];
    if rest.chars().count() < 12 {
        return format!("{prefix}****");
    }
    let tail: String = rest.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{prefix}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> ConfigFile {
        ConfigFile {
            token: Some("dft_fromfile".into()),
            site_key: Some("df_fromfile".into()),
            api_base: Some("http://file".into()),
            default_website_id: Some("aaaaaaaaaaaaaaaaaaaaaaaa".into()),
        }
    }

    #[test]
    fn environment_wins_over_the_file_and_the_flag_over_the_default() {
        let env = |name: &str| (name == TOKEN_ENV).then(|| "dft_fromenv".to_string());
        let s = Settings::resolve("x".into(), file(), env, Some("bbbbbbbbbbbbbbbbbbbbbbbb"));
        assert_eq!(s.token.unwrap(), Sourced { value: "dft_fromenv".into(), source: Source::Env(TOKEN_ENV) });
        assert_eq!(s.site_key.unwrap().source, Source::File);
        assert_eq!(s.api_base.value, "http://file");
        assert_eq!(s.website.unwrap().source, Source::Flag);
        let s = Settings::resolve("x".into(), ConfigFile::default(), |_| Some(" ".into()), None);
        assert!(s.token.is_none(), "a blank variable does not count");
        assert_eq!((s.api_base.value.as_str(), s.api_base.source), (DEFAULT_BASE_URL, Source::Default));
        assert_eq!(s.credential().unwrap_err().exit, Exit::Auth);
    }

    #[test]
    fn masks_keep_only_the_kind_and_last_four() {
        assert_eq!(mask("dft_abcdefghijklmnop1234"), "dft_****1234");
        assert_eq!(mask("df_short"), "df_****");
        assert!(!mask("df_0123456789abcdef").contains("0123"));
    }

    #[cfg(unix)]
    #[test]
    fn saved_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("datafast").join("config.json");
        file().save(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(ConfigFile::load(&path).unwrap(), file());
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(ConfigFile::load(&path).unwrap_err().exit, Exit::Usage);
    }
}
