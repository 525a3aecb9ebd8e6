//! `--state FILE`: the emulator's state on disk, so that a restart resumes where it stopped.
//!
//! The file is one JSON object:
//!
//! ```text
//! { "format": "datafast-emulator-state", "version": 1,
//!   "seed": 42, "days": 30, "trafficEndMs": 1780000000000,
//!   "seededEvents": { "<websiteId>": { "count": 11850, "hash": "…" } },
//!   "store":  { …every `Store` field except `events`… },
//!   "events": { "<websiteId>": { "seeded": 11850, "added": [ …events… ] } } }
//! ```
//!
//! The synthetic events are nearly all of the data and a pure function of seed, days and
//! `trafficEndMs`, so they are regenerated on load instead of written: for each website the
//! file keeps how many generated events still open its list (`seeded`) and the events after
//! them (`added`). `seededEvents` fingerprints what the generator produced, so a file written
//! by an emulator whose generator differs is refused rather than loaded onto other data.
//!
//! Every acknowledged change is saved before its response is sent (see `router`); each save
//! rewrites the file atomically: temp file in the same directory, fsync, rename, fsync of the
//! directory. A crash leaves either the previous file or the new one, never a mix.

use crate::seed::{self, DemoCredentials};
use crate::state::{AppState, Config, Event, Store};
use crate::state_file::{self, StateLock};
use crate::time;
use datafast_contract::Permission;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FORMAT: &str = "datafast-emulator-state";
const VERSION: u32 = 1;

/// The longest `--days` the CLI accepts; a file asking for more is not one we wrote.
const MAX_DAYS: u32 = 3650;

/// Saves the store to its state file.
#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    generator: Generator,
    /// The generated events per website, as the generator made them.
    seeded: HashMap<String, Vec<Event>>,
    fingerprint: BTreeMap<String, Fingerprint>,
    /// One emulator per file, for as long as this persister lives.
    _lock: StateLock,
}

/// What the synthetic data is generated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generator {
    pub seed: u64,
    pub days: u32,
    pub traffic_end_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Fingerprint {
    count: usize,
    /// FNV-1a over the ids and times of the generated events.
    hash: String,
}

impl Fingerprint {
    fn of(events: &[Event]) -> Fingerprint {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for e in events {
            for b in e.id.bytes().chain(e.ts.to_le_bytes()) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        Fingerprint { count: events.len(), hash: format!("{h:016x}") }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    seed: u64,
    days: u32,
    traffic_end_ms: i64,
    seeded_events: &'a BTreeMap<String, Fingerprint>,
    store: &'a Store,
    events: BTreeMap<&'a str, EventsOut<'a>>,
}

#[derive(Serialize)]
struct EventsOut<'a> {
    seeded: usize,
    added: &'a [Event],
}

/// Read first, so that a file of another kind or version gets a message saying so rather
/// than a field-level parse error.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileIn {
    seed: u64,
    days: u32,
    traffic_end_ms: i64,
    seeded_events: BTreeMap<String, Fingerprint>,
    store: Store,
    events: BTreeMap<String, EventsIn>,
}

#[derive(Deserialize)]
struct EventsIn {
    seeded: usize,
    added: Vec<Event>,
}

/// A state file that cannot be used. The message names the file; the emulator refuses to
/// start rather than seed over it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateError {
    pub path: PathBuf,
    pub message: String,
}

impl StateError {
    pub(crate) fn new(path: &Path, message: impl Into<String>) -> StateError {
        StateError { path: path.to_path_buf(), message: message.into() }
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state file {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for StateError {}

/// Whether [`AppState::open`] found a state file or started a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    Created,
    Loaded,
}

impl AppState {
    /// An emulator backed by the state file `path`: loaded if it exists (its seed, days and
    /// traffic end replace `config`'s), else seeded from `config` and written at once.
    pub fn open(config: Config, path: &Path) -> Result<(Arc<AppState>, Opened), StateError> {
        let lock = StateLock::claim(path)?;
        match state_file::read(path)? {
            Some(bytes) => load(config, path, &bytes, lock).map(|s| (s, Opened::Loaded)),
            None => create(config, path, lock).map(|s| (s, Opened::Created)),
        }
    }

    /// Writes the state file now (no-op without one). Changes are saved as they are
    /// acknowledged; this also catches `lastUsedAt` updates made by reads.
    pub fn save(&self) -> io::Result<()> {
        match &self.persist {
            Some(p) => p.save(&self.store()),
            None => Ok(()),
        }
    }
}

fn create(mut config: Config, path: &Path, lock: StateLock) -> Result<Arc<AppState>, StateError> {
    let end = config.traffic_end_ms.unwrap_or_else(time::now_ms);
    config.traffic_end_ms = Some(end);
    let generator = Generator { seed: config.seed, days: config.days, traffic_end_ms: end };
    let (store, demo) = seed::demo(generator.seed, generator.days, end);
    let persister = Persister::new(path, generator, &store, lock);
    let state = AppState::assemble(config, store, demo, Some(persister));
    state.save().map_err(|e| StateError::new(path, format!("cannot be created: {e}")))?;
    Ok(state)
}

fn load(mut config: Config, path: &Path, bytes: &[u8], lock: StateLock) -> Result<Arc<AppState>, StateError> {
    let bad = |message: String| StateError::new(path, message);
    let header: Header = serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("is not valid JSON ({e}); repair or delete it to start over")))?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(bad(format!("is not a datafast-emulator state file (no \"format\": \"{FORMAT}\")")));
    }
    if header.version != Some(VERSION.into()) {
        let found = header.version.map_or("none".to_string(), |v| v.to_string());
        return Err(bad(format!("has format version {found}; this emulator reads version {VERSION}")));
    }
    let file: FileIn = serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("does not match the state format ({e}); repair or delete it to start over")))?;
    if !(1..=MAX_DAYS).contains(&file.days) {
        return Err(bad(format!("has days {}; it must be between 1 and {MAX_DAYS}", file.days)));
    }

    let generator = Generator { seed: file.seed, days: file.days, traffic_end_ms: file.traffic_end_ms };
    let (seeded_store, demo) = seed::demo(generator.seed, generator.days, generator.traffic_end_ms);
    let persister = Persister::new(path, generator, &seeded_store, lock);
    if persister.fingerprint != file.seeded_events {
        return Err(bad(format!(
            "was written by an emulator that generates other synthetic data for seed {}, {} days; \
             delete it to start over, or run the emulator version that wrote it",
            generator.seed, generator.days
        )));
    }

    let mut store = file.store;
    state_file::check_loaded(&store).map_err(bad)?;
    for (website_id, EventsIn { seeded, added }) in file.events {
        let generated = persister.seeded.get(&website_id).map_or(&[][..], Vec::as_slice);
        let head = generated.get(..seeded).ok_or_else(|| {
            bad(format!(
                "keeps {seeded} generated events of website {website_id}, but only {} were generated",
                generated.len()
            ))
        })?;
        let mut events = Vec::with_capacity(seeded + added.len());
        events.extend_from_slice(head);
        events.extend(added);
        store.events.insert(website_id, events);
    }

    let demo = current_demo(demo, &seeded_store, &store);
    config.seed = generator.seed;
    config.days = generator.days;
    config.traffic_end_ms = Some(generator.traffic_end_ms);
    Ok(AppState::assemble(config, store, demo, Some(persister)))
}

/// The seeded demo credentials with their current secrets (a rolled demo key shows its new
/// secret in the banner and the tokens file), matched by credential id.
fn current_demo(mut demo: DemoCredentials, seeded: &Store, now: &Store) -> DemoCredentials {
    let token = |secret: &mut String| {
        let id = seeded.tokens.iter().find(|t| t.secret == *secret).map(|t| &t.id);
        if let Some(t) = id.and_then(|id| now.tokens.iter().find(|t| t.id == *id)) {
            secret.clone_from(&t.secret);
        }
    };
    let key = |secret: &mut String| {
        let id = seeded.api_keys.iter().find(|k| k.secret == *secret).map(|k| &k.id);
        if let Some(k) = id.and_then(|id| now.api_keys.iter().find(|k| k.id == *id)) {
            secret.clone_from(&k.secret);
        }
    };
    token(&mut demo.owner_token);
    demo.team.iter_mut().for_each(|m| token(&mut m.token));
    demo.websites.iter_mut().for_each(|w| key(&mut w.key));
    demo
}

impl Persister {
    /// `seeded` is the store as generated, before any change.
    fn new(path: &Path, generator: Generator, seeded: &Store, lock: StateLock) -> Persister {
        let fingerprint = seeded.events.iter().map(|(id, events)| (id.clone(), Fingerprint::of(events))).collect();
        Persister { path: path.to_path_buf(), generator, seeded: seeded.events.clone(), fingerprint, _lock: lock }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn generator(&self) -> Generator {
        self.generator
    }

    /// Writes `store` to the file, atomically. The caller holds the store lock, which also
    /// orders concurrent saves.
    pub fn save(&self, store: &Store) -> io::Result<()> {
        let events = store
            .events
            .iter()
            .map(|(website_id, events)| {
                let generated = self.seeded.get(website_id).map_or(&[][..], Vec::as_slice);
                let seeded = generated.iter().zip(events).take_while(|(g, e)| g == e).count();
                let (_, added) = events.split_at(seeded);
                (website_id.as_str(), EventsOut { seeded, added })
            })
            .collect();
        let file = FileOut {
            format: FORMAT,
            version: VERSION,
            seed: self.generator.seed,
            days: self.generator.days,
            traffic_end_ms: self.generator.traffic_end_ms,
            seeded_events: &self.fingerprint,
            store,
            events,
        };
        let mut bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        bytes.push(b'\n');
        write_atomically(&self.path, &bytes)
    }
}

/// Replaces `path` with `bytes` so that readers, and a crash at any point, see either the
/// old content or the new one: temp file beside it, fsync, rename, fsync of the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{} has no file name", path.display())))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    sync_dir(dir)
}

/// Makes the rename itself durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// `Vec<Permission>` as the permission strings (`["analytics:read"]`).
pub mod permission_names {
    use super::Permission;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(permissions: &[Permission], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(permissions.iter().map(|p| p.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Permission>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|name| Permission::parse(name).ok_or_else(|| D::Error::custom(format!("unknown permission `{name}`"))))
            .collect()
    }
}
