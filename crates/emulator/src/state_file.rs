//! Who may open a `--state` file, and what it may contain beyond its format: one emulator per
//! file (an exclusive lock), regular files only (a FIFO would block start-up), and no two
//! credentials sharing one secret (authentication would pick one of them silently).
//!
//! The lock is taken on a companion file, `.NAME.lock` beside the state file: every save
//! replaces the state file by a rename, so a lock on the file itself would stay on the old
//! inode. The lock file holds the owner's process id for the error message and is left in
//! place on exit (removing it would race with a new owner); the lock itself dies with the
//! process, `kill -9` included.

use crate::persist::StateError;
use crate::state::Store;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The exclusive claim on a state file, held as long as this value lives.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

/// `.NAME.lock` in the state file's directory.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.lock"))
}

impl StateLock {
    /// Takes the lock without waiting: a second emulator on the same file gets an error
    /// naming the file and the process that holds it.
    pub fn claim(path: &Path) -> Result<StateLock, StateError> {
        let lock_path = lock_path(path);
        let bad = |message: String| StateError::new(path, message);
        refuse_special(&lock_path).map_err(|kind| bad(format!("its lock file {} is {kind}", lock_path.display())))?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| bad(format!("cannot open its lock file {}: {e}", lock_path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut owner = String::new();
                let _ = file.read_to_string(&mut owner);
                let owner = owner.trim();
                let by = if owner.is_empty() { String::new() } else { format!(" (process {owner})") };
                return Err(bad(format!(
                    "is in use by another emulator{by}; stop it or use another state file (lock: {})",
                    lock_path.display()
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(bad(format!("cannot lock {}: {e}", lock_path.display())));
            }
        }
        // Best effort: the pid only improves the second emulator's message.
        let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| writeln!(file, "{}", std::process::id()));
        Ok(StateLock { _file: file })
    }
}

/// The state file's bytes; `Ok(None)` when it does not exist yet. A FIFO, socket, device or
/// directory is refused without opening it, so start-up never blocks on it.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, StateError> {
    refuse_special(path).map_err(|kind| StateError::new(path, format!("is {kind}, not a regular file")))?;
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StateError::new(path, format!("cannot be read: {e}"))),
    }
}

/// `Err(kind)` when `path` exists and is not a regular file (symbolic links are followed).
fn refuse_special(path: &Path) -> Result<(), &'static str> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(()); // missing, or unreadable: the open that follows reports it
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Err("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Err("a device");
        }
    }
    Err("a special file")
}

/// Checks a loaded store for what the format cannot express: every token and key secret
/// unique. The message names the credentials by id, never by secret.
pub fn check_loaded(store: &Store) -> Result<(), String> {
    let mut secrets: Vec<(&str, &str)> = store
        .tokens
        .iter()
        .map(|t| (t.secret.as_str(), t.id.as_str()))
        .chain(store.api_keys.iter().map(|k| (k.secret.as_str(), k.id.as_str())))
        .collect();
    secrets.sort_unstable();
    match secrets.windows(2).find(|w| w[0].0 == w[1].0) {
        Some(w) => Err(format!(
            "credentials {} and {} share one secret, so a request could not tell them apart; give each its own secret or delete one",
            w[0].1, w[1].1
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("datafast-state-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn one_claim_at_a_time_and_released_on_drop() {
        let dir = scratch("lock");
        let path = dir.join("state.json");
        let first = StateLock::claim(&path).unwrap();
        let err = StateLock::claim(&path).unwrap_err();
        assert!(err.message.contains("in use by another emulator"), "{err}");
        assert!(err.message.contains(&format!("process {}", std::process::id())), "{err}");
        drop(first);
        assert!(StateLock::claim(&path).is_ok());
        assert_eq!(lock_path(&path), dir.join(".state.json.lock"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn directories_are_refused_and_missing_files_are_none() {
        let dir = scratch("kinds");
        assert_eq!(read(&dir.join("missing.json")).unwrap(), None);
        let err = read(&dir).unwrap_err();
        assert!(err.message.contains("a directory, not a regular file"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn shared_secrets_are_refused_by_id() {
        let generator = crate::seed::Generator { seed: 1, days: 1, traffic_end_ms: 1_800_000_000_000, events: None };
        let (mut store, _) = crate::seed::demo(&generator);
        assert_eq!(check_loaded(&store), Ok(()));
        let secret = store.tokens[0].secret.clone();
        store.api_keys[0].secret.clone_from(&secret);
        let err = check_loaded(&store).unwrap_err();
        assert!(err.contains(&store.tokens[0].id) && err.contains(&store.api_keys[0].id), "{err}");
        assert!(!err.contains(&secret), "the message repeats the secret");
    }
}
