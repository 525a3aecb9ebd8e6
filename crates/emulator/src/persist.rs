//! `--state FILE`: the emulator's state on disk, so that a restart resumes where it stopped.
//!
//! Two files: a snapshot (`FILE`) and a journal of the changes made since (`FILE.journal`).
//!
//! The snapshot is one JSON object:
//!
//! ```text
//! { "format": "datafast-emulator-state", "version": 1,
//!   "seed": 42, "days": 30, "trafficEndMs": 1780000000000, "firstWebsiteEvents": 1000000,
//!   "seededEvents": { "<websiteId>": { "count": 11850, "hash": "…" } },
//!   "journalSeq": 17,
//!   "store":  { …every `Store` field except `events`… },
//!   "events": { "<websiteId>": { "seeded": 11850, "added": [ …events… ] } } }
//! ```
//!
//! The synthetic events are nearly all of the data and a pure function of the generator's
//! inputs, so they are regenerated on load instead of written: for each website the file keeps
//! how many generated events still open its list (`seeded`) and the events after them
//! (`added`). `seededEvents` fingerprints what the generator produced, so a file written by an
//! emulator whose generator differs is refused rather than loaded onto other data.
//!
//! The journal has one JSON line per acknowledged write that changed something:
//! `{"seq": 18, "store": {…}, "events": {"<websiteId>": [ …appended events… ]}}`, `store`
//! only when it changed. Each line is appended and fdatasync'd before the response is sent
//! (see `router`), so a write costs what it changed (plus the store without its events, a few
//! KB), not every event held. A change to events other than an append (a delete) writes a new
//! snapshot instead, as does start-up after a journal was replayed and a journal grown past
//! [`COMPACT_BYTES`] (and past the snapshot's size): the snapshot is written atomically (temp
//! file, fsync, rename, fsync of the directory) and records the last `seq` it includes, then
//! the journal is emptied; records at or below `journalSeq` are skipped on load, so a crash
//! between the two steps loses and repeats nothing.
//!
//! A journal's last line without its newline is a write cut short by a crash, never
//! acknowledged: it is dropped. Any other line that is not a record, or a gap in `seq`, stops
//! the emulator like a corrupt snapshot does.

use crate::analytics::FastSet;
use crate::rng::fnv1a;
use crate::seed::{self, DemoCredentials, Generator};
use crate::state::{AppState, Config, Dims, DimsHashes, Event, Events, Store};
use crate::state_file::{self, StateLock};
use arcstr::ArcStr;
use datafast_contract::Permission;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const FORMAT: &str = "datafast-emulator-state";
const VERSION: u32 = 1;

/// The longest `--days` the CLI accepts; a file asking for more is not one we wrote.
const MAX_DAYS: u32 = 3650;

/// A journal longer than this (and than the snapshot) is folded into a new snapshot.
const COMPACT_BYTES: u64 = 64 << 20;

/// Saves the store to its state file and journal.
#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    journal_path: PathBuf,
    generator: Generator,
    fingerprint: BTreeMap<String, Fingerprint>,
    /// [`Event::digest`] of each generated event, per website: which generated events still
    /// head a list after a change other than an append, without keeping a copy of them.
    generated: HashMap<String, Vec<u64>>,
    saved: Mutex<Saved>,
    /// One emulator per file, for as long as this persister lives.
    _lock: StateLock,
}

/// What is on disk, to tell what a write changed. Only touched with the store's write lock
/// held (the mutex gives `&self` access; it is never contended).
#[derive(Debug, Default)]
struct Saved {
    /// The journal, open for appending; `None` until the first snapshot.
    journal: Option<File>,
    journal_bytes: u64,
    snapshot_bytes: u64,
    /// The last record written (or included in the snapshot).
    seq: u64,
    /// Digest of the store (without events) as last written.
    store_digest: u64,
    lists: HashMap<String, SavedList>,
}

/// One website's events as last saved.
#[derive(Clone, Copy, Debug)]
struct SavedList {
    /// [`Events::version`] then: the same version now means only appends happened since.
    version: u64,
    len: usize,
    /// How many generated events head the list.
    seeded: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Fingerprint {
    count: usize,
    /// FNV-1a over the ids and times of the generated events.
    hash: String,
}

impl Fingerprint {
    fn of(events: &[Event]) -> Fingerprint {
        let h = fnv1a(events.iter().flat_map(|e| e.id.text().into_iter().chain(e.ts.to_le_bytes())));
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
    #[serde(skip_serializing_if = "Option::is_none")]
    first_website_events: Option<u64>,
    seeded_events: &'a BTreeMap<String, Fingerprint>,
    journal_seq: u64,
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
struct FileIn<'a> {
    seed: u64,
    days: u32,
    traffic_end_ms: i64,
    /// `--events`; absent in files written without it (and before it existed).
    #[serde(default)]
    first_website_events: Option<u64>,
    seeded_events: BTreeMap<String, Fingerprint>,
    /// The last journal record included; absent in files written before the journal.
    #[serde(default)]
    journal_seq: u64,
    store: Store,
    #[serde(borrow)]
    events: BTreeMap<String, EventsIn<'a>>,
}

/// One journal line.
#[derive(Deserialize)]
struct RecordIn<'a> {
    seq: u64,
    #[serde(default)]
    store: Option<Store>,
    #[serde(borrow)]
    events: BTreeMap<String, Vec<&'a RawValue>>,
}

/// Events stay unparsed text until [`Sharing::read`] reads them one at a time.
#[derive(Deserialize)]
struct EventsIn<'a> {
    seeded: usize,
    #[serde(borrow)]
    added: Vec<&'a RawValue>,
}

/// Reads the events a file added, sharing what live events share.
///
/// Live, a goal or payment shares its pageview's visit dimensions, and events share their
/// visitor, session, hostname and path strings; a file holds copies, ~540 bytes more per
/// event when read back as they are. Parsed all at once and shared afterwards, the copies
/// were freed between the events that stay, and a restart after 100,000 added goals held
/// 88 MiB for 25 MiB of live data. Read one at a time, each copy is freed before the next
/// event is read, so the next one reuses its memory.
#[derive(Default)]
struct Sharing {
    /// The addresses of the generated events' values already taken in.
    seen: FastSet<usize>,
    dims: FastSet<Arc<Dims>>,
    texts: FastSet<ArcStr>,
}

impl Sharing {
    /// Takes in the values of generated events (shared by the generator already, so each
    /// is looked up once by address): what an added event most often repeats.
    fn take_in(&mut self, generated: &[Event]) {
        for e in generated {
            if self.seen.insert(Arc::as_ptr(&e.dims) as usize) {
                self.dims.insert(e.dims.clone());
            }
            for text in [&e.hostname, &e.path] {
                if self.seen.insert(text.as_ptr() as usize) {
                    self.texts.insert(text.clone());
                }
            }
        }
    }

    fn read(&mut self, raw: &RawValue) -> serde_json::Result<Event> {
        /// Replaces `value` by the equal one in `set`, or puts it there.
        fn share<T: Clone + Eq + std::hash::Hash>(set: &mut FastSet<T>, value: &mut T) {
            match set.get(value) {
                Some(shared) => *value = shared.clone(),
                None => {
                    set.insert(value.clone());
                }
            }
        }
        let mut e: Event = serde_json::from_str(raw.get())?;
        share(&mut self.dims, &mut e.dims);
        for text in [&mut e.visitor_id, &mut e.session_id, &mut e.hostname, &mut e.path] {
            share(&mut self.texts, text);
        }
        Ok(e)
    }
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

    /// Writes a new snapshot now and empties the journal (no-op without a state file).
    /// Changes are saved as they are acknowledged; this also catches `lastUsedAt` updates
    /// made by reads.
    pub fn save(&self) -> io::Result<()> {
        match &self.persist {
            Some(p) => p.snapshot(&self.store()),
            None => Ok(()),
        }
    }
}

fn create(mut config: Config, path: &Path, lock: StateLock) -> Result<Arc<AppState>, StateError> {
    let generator = config.generator();
    config.traffic_end_ms = Some(generator.traffic_end_ms);
    let (store, demo) = seed::demo(&generator);
    let persister = Persister::new(path, generator, &store, lock);
    persister.remember(&store, |id| store.events(id).len());
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

    let generator = Generator {
        seed: file.seed,
        days: file.days,
        traffic_end_ms: file.traffic_end_ms,
        events: file.first_website_events,
    };
    let (mut generated, demo) = seed::demo(&generator);
    let persister = Persister::new(path, generator, &generated, lock);
    if persister.fingerprint != file.seeded_events {
        return Err(bad(format!(
            "was written by an emulator that generates other synthetic data for seed {}, {} days; \
             delete it to start over, or run the emulator version that wrote it",
            generator.seed, generator.days
        )));
    }

    let mut store = file.store;
    let mut seeded_counts = HashMap::new();
    let mut sharing = Sharing::default();
    let journal = read_journal(&persister.journal_path).map_err(bad)?;
    for (website_id, EventsIn { seeded, added }) in file.events {
        let count = generated.events(&website_id).len();
        if seeded > count {
            return Err(bad(format!(
                "keeps {seeded} generated events of website {website_id}, but only {count} were generated"
            )));
        }
        // The generated events are moved, not copied: the seeded store is only kept for
        // its credentials below.
        let mut events: Vec<Event> = generated.events.remove(&website_id).map(Vec::from).unwrap_or_default();
        events.truncate(seeded);
        if !added.is_empty() || !journal.is_empty() {
            sharing.take_in(&events);
        }
        events.reserve_exact(added.len());
        for raw in added {
            let event = sharing.read(raw).map_err(|e| {
                bad(format!("has an event of website {website_id} that does not match the state format ({e}); repair or delete it to start over"))
            })?;
            events.push(event);
        }
        store.events.insert(website_id.clone(), events.into());
        seeded_counts.insert(website_id, seeded);
    }
    persister.saved().seq =
        replay_journal(&persister.journal_path, &journal, file.journal_seq, &mut store, &mut sharing).map_err(bad)?;
    // Anything at all (records, or a line cut short) is folded into a new snapshot below.
    let journal_held_anything = !journal.is_empty();
    drop(journal);
    // The credentials as the snapshot and its journal leave them.
    state_file::check_loaded(&store).map_err(bad)?;

    let demo = current_demo(demo, &generated, &store);
    config.seed = generator.seed;
    config.days = generator.days;
    config.traffic_end_ms = Some(generator.traffic_end_ms);
    config.events = generator.events;
    persister.remember(&store, |id| seeded_counts.get(id).copied().unwrap_or(0));
    let state = AppState::assemble(config, store, demo, Some(persister));
    // A journal with anything in it is folded into a new snapshot, which also drops a line
    // cut short; an empty one is only opened for appends.
    let opened = match (&state.persist, journal_held_anything) {
        (Some(p), false) => p.resume(&state.store(), bytes.len()),
        _ => state.save(),
    };
    opened.map_err(|e| bad(format!("cannot be written after loading it: {e}")))?;
    Ok(state)
}

/// The journal's bytes; none when there is no journal.
fn read_journal(path: &Path) -> Result<Vec<u8>, String> {
    match fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("has a journal {} that cannot be read: {e}", path.display())),
    }
}

/// Applies the records newer than `snapshot_seq` of the journal at `path` (read as `text`) to
/// `store`, and answers the last record's `seq` (the snapshot's when none is newer).
fn replay_journal(
    path: &Path,
    text: &[u8],
    snapshot_seq: u64,
    store: &mut Store,
    sharing: &mut Sharing,
) -> Result<u64, String> {
    let journal = path.display();
    // The last line without its newline was cut short by a crash before it was acknowledged.
    let complete = text.iter().rposition(|&b| b == b'\n').map_or(&[][..], |end| &text[..end]);
    let mut seq = snapshot_seq;
    for (i, line) in complete.split(|&b| b == b'\n').enumerate().filter(|(_, l)| !l.is_empty()) {
        let record: RecordIn = serde_json::from_slice(line).map_err(|e| {
            format!("has a journal {journal} whose line {} is not a record ({e}); repair or delete both files to start over", i + 1)
        })?;
        if record.seq <= snapshot_seq {
            continue;
        }
        if record.seq != seq + 1 {
            return Err(format!(
                "has a journal {journal} that jumps from record {seq} to {} at line {}; repair or delete both files to start over",
                record.seq,
                i + 1
            ));
        }
        seq = record.seq;
        if let Some(mut saved) = record.store {
            saved.events = std::mem::take(&mut store.events);
            *store = saved;
        }
        for (website_id, added) in record.events {
            let list = store.events.entry(website_id).or_default();
            for raw in added {
                list.push(sharing.read(raw).map_err(|e| {
                    format!("has a journal {journal} whose line {} is not a record ({e}); repair or delete both files to start over", i + 1)
                })?);
            }
        }
    }
    Ok(seq)
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
    /// `generated` is the store as generated, before any change.
    fn new(path: &Path, generator: Generator, generated: &Store, lock: StateLock) -> Persister {
        let fingerprint = generated.events.iter().map(|(id, events)| (id.clone(), Fingerprint::of(events))).collect();
        let digests = generated.events.iter().map(|(id, events)| {
            let mut dims = DimsHashes::default();
            (id.clone(), events.iter().map(|e| e.digest(&mut dims)).collect())
        });
        let mut journal_path = OsString::from(path.as_os_str());
        journal_path.push(".journal");
        Persister {
            path: path.to_path_buf(),
            journal_path: journal_path.into(),
            generator,
            fingerprint,
            generated: digests.collect(),
            saved: Mutex::new(Saved::default()),
            _lock: lock,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn generator(&self) -> Generator {
        self.generator
    }

    fn saved(&self) -> std::sync::MutexGuard<'_, Saved> {
        self.saved.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the store's event lists as saved, with how many generated events head each.
    fn remember(&self, store: &Store, seeded: impl Fn(&str) -> usize) {
        let lists = store
            .events
            .iter()
            .map(|(id, e)| (id.clone(), SavedList { version: e.version(), len: e.len(), seeded: seeded(id) }))
            .collect();
        self.saved().lists = lists;
    }

    /// How many generated events head `events` now.
    fn seeded_head(&self, website_id: &str, events: &Events, saved: Option<&SavedList>) -> usize {
        match saved {
            Some(s) if s.version == events.version() => s.seeded,
            _ => {
                let generated = self.generated.get(website_id).map_or(&[][..], Vec::as_slice);
                let mut dims = DimsHashes::default();
                generated.iter().zip(events.iter()).take_while(|(g, e)| **g == e.digest(&mut dims)).count()
            }
        }
    }

    /// Saves what an acknowledged write changed: one journal record for appends and store
    /// changes, or a new snapshot when events changed otherwise (or the journal grew long).
    /// The caller holds the store's write lock, which orders saves.
    pub fn record(&self, store: &Store) -> io::Result<()> {
        let mut saved = self.saved();
        let mut appended: BTreeMap<&str, &[Event]> = BTreeMap::new();
        let mut rewritten = saved.lists.keys().any(|id| !store.events.contains_key(id));
        for (id, events) in &store.events {
            match saved.lists.get(id.as_str()) {
                Some(s) if s.version == events.version() && s.len == events.len() => {}
                Some(s) if s.version == events.version() => {
                    appended.insert(id, events.get(s.len..).unwrap_or_default());
                }
                // A list the last save did not have: written from its first event.
                None if self.generated.get(id.as_str()).is_none_or(Vec::is_empty) => {
                    appended.insert(id, events.as_slice());
                }
                _ => rewritten = true,
            }
        }
        if rewritten || saved.journal.is_none() {
            drop(saved);
            return self.snapshot(store);
        }
        let meta = serde_json::to_vec(store).map_err(io::Error::other)?;
        let digest = digest(&meta);
        if appended.is_empty() && digest == saved.store_digest {
            return Ok(());
        }
        let seq = saved.seq + 1;
        let mut line = format!("{{\"seq\":{seq}").into_bytes();
        if digest != saved.store_digest {
            line.extend_from_slice(b",\"store\":");
            line.extend_from_slice(&meta);
        }
        line.extend_from_slice(b",\"events\":");
        serde_json::to_writer(&mut line, &appended).map_err(io::Error::other)?;
        line.extend_from_slice(b"}\n");
        let kept = saved.journal_bytes;
        if let Some(journal) = saved.journal.as_mut() {
            let appended = journal.write_all(&line).and_then(|()| journal.sync_data());
            if let Err(e) = appended {
                // Cut a partial line off, so the next record does not follow garbage (which
                // would make the journal unreadable); the write is answered as not saved.
                let _ = journal.set_len(kept);
                return Err(e);
            }
        }
        saved.seq = seq;
        saved.store_digest = digest;
        saved.journal_bytes += line.len() as u64;
        for id in appended.into_keys() {
            let seeded = saved.lists.get(id).map_or(0, |s| s.seeded);
            if let Some(events) = store.events.get(id) {
                saved.lists.insert(id.to_string(), SavedList { version: events.version(), len: events.len(), seeded });
            }
        }
        if saved.journal_bytes > COMPACT_BYTES.max(saved.snapshot_bytes) {
            drop(saved);
            return self.snapshot(store);
        }
        Ok(())
    }

    /// Opens the (empty) journal for appends after loading a snapshot of `snapshot_bytes`.
    fn resume(&self, store: &Store, snapshot_bytes: usize) -> io::Result<()> {
        let mut saved = self.saved();
        saved.journal = Some(OpenOptions::new().create(true).append(true).open(&self.journal_path)?);
        saved.snapshot_bytes = snapshot_bytes as u64;
        saved.store_digest = digest(&serde_json::to_vec(store).map_err(io::Error::other)?);
        Ok(())
    }

    /// Writes the whole store as a new snapshot (atomically), then empties the journal.
    pub fn snapshot(&self, store: &Store) -> io::Result<()> {
        let mut saved = self.saved();
        let mut lists = HashMap::with_capacity(store.events.len());
        let events = store
            .events
            .iter()
            .map(|(website_id, events)| {
                let seeded = self.seeded_head(website_id, events, saved.lists.get(website_id));
                lists.insert(website_id.clone(), SavedList { version: events.version(), len: events.len(), seeded });
                (website_id.as_str(), EventsOut { seeded, added: events.get(seeded..).unwrap_or_default() })
            })
            .collect();
        let file = FileOut {
            format: FORMAT,
            version: VERSION,
            seed: self.generator.seed,
            days: self.generator.days,
            traffic_end_ms: self.generator.traffic_end_ms,
            first_website_events: self.generator.events,
            seeded_events: &self.fingerprint,
            journal_seq: saved.seq,
            store,
            events,
        };
        let mut bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        bytes.push(b'\n');
        write_atomically(&self.path, &bytes)?;
        let journal = match saved.journal.take() {
            Some(j) => j,
            None => OpenOptions::new().create(true).append(true).open(&self.journal_path)?,
        };
        journal.set_len(0)?;
        journal.sync_all()?;
        saved.journal = Some(journal);
        saved.journal_bytes = 0;
        saved.snapshot_bytes = bytes.len() as u64;
        saved.store_digest = digest(&serde_json::to_vec(store).map_err(io::Error::other)?);
        saved.lists = lists;
        Ok(())
    }
}

/// A digest of bytes, to tell whether the store changed since it was last written.
fn digest(bytes: &[u8]) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    h.write(bytes);
    h.finish()
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
