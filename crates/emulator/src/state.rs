//! The in-memory store: users, websites, roles, credentials and the raw events every
//! analytics answer is computed from.
//!
//! `--state FILE` saves the whole [`Store`] with serde (see `persist`), so every type stored
//! in it needs `#[derive(Serialize, Deserialize)]`; a field added later should also get
//! `#[serde(default)]` so state files written before it still load. [`Event`] also needs
//! `PartialEq`: seeded events are not written out, and equality tells which ones changed.
//!
//! Concurrency: the store sits behind one `RwLock` in [`AppState`]. GET handlers share it
//! (they see `&Store`), every other request holds it alone, so writes are ordered and atomic.
//! The two things a read does change are kept out of the exclusive path: a credential's
//! `lastUsedAt` is an atomic ([`LastUsed`]) and the analytics indexes sit in their own cache
//! ([`IndexCache`]).

use crate::analytics::index::IndexCache;
use crate::analytics::FastMap;
use crate::faults::Faults;
use crate::persist::Persister;
use crate::ratelimit::{RateLimit, RateLimiter};
use crate::reqlog::RequestLog;
use crate::rng::Rng;
use crate::seed::{self, DemoCredentials};
use crate::time;
use arcstr::ArcStr;
use compact_str::CompactString;
use datafast_contract::Permission;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Start-up options of an emulator instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// Seeds every id, secret and synthetic event: same seed ⇒ same demo account and data.
    pub seed: u64,
    /// Days of synthetic traffic, ending at `traffic_end_ms`.
    pub days: u32,
    /// `--events N`: the first demo website's traffic is drawn until it holds N events.
    pub events: Option<u64>,
    /// Per-token limit; `None` disables rate limiting (and its headers).
    pub rate_limit: Option<RateLimit>,
    /// Where the synthetic traffic ends; `None` = the current time. Tests pin it so that the
    /// data is byte-for-byte identical across runs.
    pub traffic_end_ms: Option<i64>,
    /// `--now`: the clock starts frozen at this instant (and the traffic ends there).
    pub now_ms: Option<i64>,
    /// Log one JSON line per request to stderr, credentials redacted (see `reqlog`).
    pub verbose: bool,
}

impl Config {
    /// What the seeded data is generated from: the traffic ends at `traffic_end_ms`, else at
    /// `--now`, else now. Callers that keep the state pin `traffic_end_ms` to what this chose.
    pub fn generator(&self) -> seed::Generator {
        let end = self.traffic_end_ms.or(self.now_ms).unwrap_or_else(time::now_ms);
        seed::Generator { events: self.events, ..seed::Generator::new(self.seed, self.days, end) }
    }

    /// Traffic that never moves (ending at `traffic_end_ms`) and no rate limit: what tests
    /// start from.
    pub fn pinned(days: u32, traffic_end_ms: i64) -> Config {
        Config { days, rate_limit: None, traffic_end_ms: Some(traffic_end_ms), ..Config::default() }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            days: 30,
            events: None,
            rate_limit: Some(RateLimit::default()),
            traffic_end_ms: None,
            now_ms: None,
            verbose: false,
        }
    }
}

/// A user's role on a website (CONTRACT 2.8). Ordered by rights: `Viewer < Member < Owner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Member,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Member => "member",
            Role::Owner => "owner",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    pub email: String,
    pub image: Option<String>,
    pub has_access: bool,
    pub plan_type: Option<String>,
    pub is_free_trial_active: bool,
    pub free_trial_start_at: Option<i64>,
    pub billing_cycle_start_at: Option<i64>,
    pub billing_cycle_end_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Website {
    pub id: String,
    pub domain: String,
    pub name: Option<String>,
    pub tracking_id: String,
    /// IANA name; see `tz` for how offsets are applied.
    pub timezone: String,
    /// ISO 4217 code (`USD`); analytics answers show its symbol.
    pub currency: String,
    pub created_at: i64,
    pub settings: WebsiteSettings,
}

/// The settings `PUT /admin/websites/{id}` can change beyond the basics (CONTRACT A08/A09).
/// Defaults are what a freshly created website has: nothing set, nothing excluded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebsiteSettings {
    pub kpi: Option<String>,
    pub kpi_color_scheme: Option<String>,
    /// `revenue` or `mrr`.
    pub revenue_metric: Option<String>,
    pub send_weekly_reports: bool,
    pub send_viral_traffic_alerts: bool,
    pub is_public_dashboard_enabled: bool,
    pub is_public_data_enabled: bool,
    pub is_cookieless: bool,
    pub is_attack_mode_enabled: bool,
    pub include_renewal_revenue: bool,
    pub is_all_hostnames_allowed: bool,
    pub allowed_hostnames: Vec<String>,
    pub excluded_ips: Vec<String>,
    pub excluded_paths: Vec<String>,
    pub excluded_countries: Vec<String>,
    pub excluded_hostnames: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Membership {
    pub website_id: String,
    pub user_id: String,
    pub role: Role,
    /// Unix ms; `joinedAt` in the team list.
    pub joined_at: i64,
}

/// A pending team invitation (CONTRACT A29). The emulator sends no e-mail; it only
/// remembers the invite so a second one answers 409.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    pub website_id: String,
    /// Lowercased.
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub created_at: i64,
}

/// A `dft_` account token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccountToken {
    pub id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub secret: String,
    #[serde(with = "crate::persist::permission_names")]
    pub permissions: Vec<Permission>,
    /// Allow-list of website ids; empty = every website the user can reach.
    pub website_ids: Vec<String>,
    pub created_at: i64,
    pub last_used_at: LastUsed,
}

/// A `df_` website API key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub website_id: String,
    /// The user who created it; `GET /admin/account` with the key answers for this user.
    pub user_id: String,
    pub name: Option<String>,
    pub secret: String,
    pub created_at: i64,
    pub last_used_at: LastUsed,
}

/// When a credential was last used (Unix ms), settable through `&self`: every request sets
/// it, and reads must not need the store's exclusive lock for that. Saved as a plain
/// `Option<i64>`.
#[derive(Debug)]
pub struct LastUsed(AtomicI64);

/// What the atomic holds for "never used".
const NEVER: i64 = i64::MIN;

impl LastUsed {
    pub fn get(&self) -> Option<i64> {
        Some(self.0.load(Ordering::Relaxed)).filter(|&ms| ms != NEVER)
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::Relaxed);
    }
}

impl From<Option<i64>> for LastUsed {
    fn from(ms: Option<i64>) -> Self {
        LastUsed(AtomicI64::new(ms.unwrap_or(NEVER)))
    }
}

/// Never used.
impl Default for LastUsed {
    fn default() -> Self {
        None.into()
    }
}

impl Clone for LastUsed {
    fn clone(&self) -> Self {
        self.get().into()
    }
}

impl Serialize for LastUsed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for LastUsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<i64>::deserialize(d).map(LastUsed::from)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Pageview,
    Goal,
    Payment,
}

/// Who/where/how of a session; shared (`Arc`) by all events of that session, and by every
/// session with the same values when generated. `Eq` lets `Arc<Dims>` comparisons stop at
/// pointer equality. Values are [`CompactString`]s: inline, no allocation per value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dims {
    pub country: CompactString,
    /// ISO 3166-1 alpha-2 (`US`).
    pub country_code: CompactString,
    pub region: CompactString,
    pub city: CompactString,
    /// `desktop`, `mobile` or `tablet`.
    pub device: CompactString,
    pub browser: CompactString,
    pub os: CompactString,
    /// Normalized referrer name (`Google`, `Direct/None`) …
    pub referrer: CompactString,
    /// … and its domain (`google.com`; empty for direct traffic).
    pub referrer_domain: CompactString,
    pub utm_source: CompactString,
    pub utm_medium: CompactString,
    pub utm_campaign: CompactString,
    pub utm_term: CompactString,
    pub utm_content: CompactString,
    pub ref_param: CompactString,
    pub source_param: CompactString,
    pub via_param: CompactString,
}

/// One tracked event. Kept generic on purpose: every analytics endpoint (breakdowns,
/// timeseries, visitors, funnels, realtime) is a computation over these.
///
/// Sized for a million of them (72 bytes): the id is its 12 bytes ([`ObjectId`]); visitor,
/// session, hostname and path are [`ArcStr`]s, one pointer each to text the events of a
/// visitor, a session or a page share; the visit's dimensions are shared, and the
/// fields only goals and payments carry sit in a [`Detail`] box that pageviews, most
/// events, do without. `Event` derefs to that [`EventDetail`], so `e.goal_name` or
/// `e.amount` read (and assign) as the fields they were; an event without them reads an
/// empty detail.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "SavedEvent")]
pub struct Event {
    pub id: ObjectId,
    pub visitor_id: ArcStr,
    pub session_id: ArcStr,
    /// Unix milliseconds.
    pub ts: i64,
    pub kind: EventKind,
    pub hostname: ArcStr,
    pub path: ArcStr,
    pub dims: Arc<Dims>,
    pub detail: Detail,
}

/// A 24-hex-digit ObjectId (the `_id` of events) as its 12 bytes: half the size of the text
/// held inline. Ordered as its text is, and written as that text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId([u8; 12]);

impl ObjectId {
    pub fn from_bytes(bytes: [u8; 12]) -> ObjectId {
        ObjectId(bytes)
    }

    /// `None` unless `text` is 24 lower-case hex digits (what [`ObjectId::text`] writes, so
    /// an id read back is written the same).
    pub fn parse(text: &str) -> Option<ObjectId> {
        fn digit(c: u8) -> Option<u8> {
            match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                _ => None,
            }
        }
        let text: &[u8; 24] = text.as_bytes().try_into().ok()?;
        let mut bytes = [0u8; 12];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            *byte = digit(*pair.first()?)? << 4 | digit(*pair.get(1)?)?;
        }
        Some(ObjectId(bytes))
    }

    /// The 24 lower-case hex digits.
    pub fn text(&self) -> [u8; 24] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 24];
        for (pair, byte) in text.chunks_exact_mut(2).zip(self.0) {
            pair.copy_from_slice(&[DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0xf)]]);
        }
        text
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.text();
        f.write_str(std::str::from_utf8(&text).map_err(|_| std::fmt::Error)?)
    }
}

/// Compares with the text, as the id is seen in answers.
impl PartialEq<&str> for ObjectId {
    fn eq(&self, text: &&str) -> bool {
        self.text() == text.as_bytes()
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        ObjectId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("event id {text:?} is not 24 lower-case hex digits")))
    }
}

/// What goal and payment events say beyond the common fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetail {
    /// Goal events: the normalized goal name, its description and custom metadata.
    pub goal_name: Option<CompactString>,
    pub description: Option<String>,
    pub metadata: Vec<(String, String)>,
    /// Payment events: amount in `currency` (the website's currency for seeded payments);
    /// negative for a refund, so summing amounts gives net revenue.
    pub amount: Option<f64>,
    pub currency: Option<CompactString>,
    /// Payment events recorded through `POST /payments`: transaction id, kind and customer.
    /// `None` for seeded payments, which are new one-off payments.
    pub payment: Option<Box<PaymentDetails>>,
}

/// An event's [`EventDetail`], allocated only when it holds something: 8 bytes in each of
/// the pageviews that have none.
#[derive(Clone, Debug, Default)]
pub struct Detail(Option<Box<EventDetail>>);

/// What an event without detail reads.
static NO_DETAIL: EventDetail = EventDetail {
    goal_name: None,
    description: None,
    metadata: Vec::new(),
    amount: None,
    currency: None,
    payment: None,
};

impl Detail {
    pub fn get(&self) -> &EventDetail {
        self.0.as_deref().unwrap_or(&NO_DETAIL)
    }

    /// Allocates the detail on the first change.
    pub fn get_mut(&mut self) -> &mut EventDetail {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<EventDetail> for Detail {
    fn from(detail: EventDetail) -> Detail {
        Detail((detail != NO_DETAIL).then(|| Box::new(detail)))
    }
}

/// Equal when they read the same, boxed or not.
impl PartialEq for Detail {
    fn eq(&self, other: &Detail) -> bool {
        self.get() == other.get()
    }
}

impl Deref for Event {
    type Target = EventDetail;

    fn deref(&self) -> &EventDetail {
        self.detail.get()
    }
}

impl DerefMut for Event {
    fn deref_mut(&mut self) -> &mut EventDetail {
        self.detail.get_mut()
    }
}

/// An event as a state file and the journal hold it: every field flat, as before
/// [`Detail`] existed, so files keep their format.
#[derive(Deserialize)]
struct SavedEvent {
    id: ObjectId,
    visitor_id: ArcStr,
    session_id: ArcStr,
    ts: i64,
    kind: EventKind,
    hostname: ArcStr,
    path: ArcStr,
    dims: Arc<Dims>,
    goal_name: Option<CompactString>,
    description: Option<String>,
    metadata: Vec<(String, String)>,
    amount: Option<f64>,
    currency: Option<CompactString>,
    payment: Option<Box<PaymentDetails>>,
}

impl From<SavedEvent> for Event {
    fn from(e: SavedEvent) -> Event {
        let SavedEvent {
            id,
            visitor_id,
            session_id,
            ts,
            kind,
            hostname,
            path,
            dims,
            goal_name,
            description,
            metadata,
            amount,
            currency,
            payment,
        } = e;
        let detail = EventDetail { goal_name, description, metadata, amount, currency, payment };
        Event { id, visitor_id, session_id, ts, kind, hostname, path, dims, detail: detail.into() }
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let EventDetail { goal_name, description, metadata, amount, currency, payment } = self.detail.get();
        let mut out = s.serialize_struct("Event", 14)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("visitor_id", &self.visitor_id)?;
        out.serialize_field("session_id", &self.session_id)?;
        out.serialize_field("ts", &self.ts)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("hostname", &self.hostname)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("dims", &self.dims)?;
        out.serialize_field("goal_name", goal_name)?;
        out.serialize_field("description", description)?;
        out.serialize_field("metadata", metadata)?;
        out.serialize_field("amount", amount)?;
        out.serialize_field("currency", currency)?;
        out.serialize_field("payment", payment)?;
        out.end()
    }
}

/// What a payment record says beyond its amount (CONTRACT W22).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaymentDetails {
    /// The idempotency key; unique among a website's payments.
    pub transaction_id: String,
    pub renewal: bool,
    pub refunded: bool,
    /// Sent as `is_free_trial`, or inferred from an amount of 0.
    pub is_free_trial: bool,
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    pub customer_id: Option<String>,
}

/// The kinds of payment record, as revenue reports split them (`revenueBreakdown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentKind {
    New,
    Renewal,
    Refund,
    FreeTrial,
}

impl PaymentKind {
    /// The automatic goal a payment record completes (CONTRACT W19 `completedGoals`); refunds
    /// complete none.
    pub fn goal_name(self) -> Option<&'static str> {
        match self {
            PaymentKind::New => Some("payment"),
            PaymentKind::Renewal => Some("subscription_renewed"),
            PaymentKind::FreeTrial => Some("free_trial"),
            PaymentKind::Refund => None,
        }
    }
}

impl Event {
    /// `None` unless this is a payment event. A refund (flagged, or a negative amount) wins
    /// over the other flags, then free trial, then renewal.
    pub fn payment_kind(&self) -> Option<PaymentKind> {
        if self.kind != EventKind::Payment {
            return None;
        }
        let details = self.payment.as_deref();
        Some(if details.is_some_and(|p| p.refunded) || self.amount.is_some_and(|a| a < 0.0) {
            PaymentKind::Refund
        } else if details.is_some_and(|p| p.is_free_trial) {
            PaymentKind::FreeTrial
        } else if details.is_some_and(|p| p.renewal) {
            PaymentKind::Renewal
        } else {
            PaymentKind::New
        })
    }

    /// The event's effect on revenue: the (signed) amount of a payment or refund, 0 for free
    /// trials and every other event.
    pub fn revenue(&self) -> f64 {
        match self.payment_kind() {
            Some(PaymentKind::FreeTrial) | None => 0.0,
            Some(_) => self.amount.unwrap_or(0.0),
        }
    }

    /// A 64-bit digest of every field: equal events have equal digests, and different ones
    /// almost surely not. Lets `persist` tell which generated events are unchanged without
    /// keeping a copy of them. `dims_hashes` hashes each shared [`Dims`] once per pass.
    pub fn digest<'a>(&'a self, dims_hashes: &mut DimsHashes<'a>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        // Destructured so that a new field cannot be forgotten here.
        let Event { id, visitor_id, session_id, ts, kind, hostname, path, dims, detail } = self;
        let EventDetail { goal_name, description, metadata, amount, currency, payment } = detail.get();
        let mut h = foldhash::fast::FixedState::default().build_hasher();
        (id, visitor_id, session_id, ts, kind, hostname, path).hash(&mut h);
        let dims = dims_hashes.of(dims);
        (dims, goal_name, description, metadata, amount.map(f64::to_bits), currency, payment).hash(&mut h);
        h.finish()
    }

    /// The `transaction_id` of a payment recorded through the API.
    pub fn transaction_id(&self) -> Option<&str> {
        self.payment.as_deref().map(|p| p.transaction_id.as_str())
    }
}

/// The hashes of visit dimensions by `Arc` address, for one pass of [`Event::digest`] over
/// events that borrow them (an address is not reused while its `Arc` lives). The events of a
/// session share one [`Dims`], whose 17 strings were most of what a digest hashed (start-up
/// with `--state --events 1000000`: 750 → 705 ms).
#[derive(Default)]
pub struct DimsHashes<'a> {
    by_address: FastMap<usize, u64>,
    borrowed: std::marker::PhantomData<&'a Dims>,
}

impl<'a> DimsHashes<'a> {
    fn of(&mut self, dims: &'a Arc<Dims>) -> u64 {
        use std::hash::BuildHasher;
        *self
            .by_address
            .entry(Arc::as_ptr(dims) as usize)
            .or_insert_with(|| foldhash::fast::FixedState::default().hash_one(&**dims))
    }
}

/// One website's events, which tells appends apart from every other change.
///
/// `push` appends; any other change goes through a mutable borrow of the list
/// (`DerefMut`), which gives the list a new [`Events::version`]. Whoever keeps something
/// derived from the events (the analytics index, the state journal) remembers the version
/// and the length it saw: same version and more events means only appends happened since,
/// so only the new tail needs work; another version means anything may have changed.
#[derive(Debug)]
pub struct Events {
    list: Vec<Event>,
    version: u64,
}

/// Versions are unique across all lists of the process, so that a list replaced by another
/// (or a clone) never passes for the one an index was built from.
fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Events {
    pub fn push(&mut self, event: Event) {
        self.list.push(event);
    }

    /// Changes whenever the list may have changed other than by `push`.
    pub fn version(&self) -> u64 {
        self.version
    }
}

impl From<Vec<Event>> for Events {
    fn from(list: Vec<Event>) -> Self {
        Events { list, version: next_version() }
    }
}

impl From<Events> for Vec<Event> {
    fn from(events: Events) -> Self {
        events.list
    }
}

impl Default for Events {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl Clone for Events {
    fn clone(&self) -> Self {
        self.list.clone().into()
    }
}

impl PartialEq for Events {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Deref for Events {
    type Target = Vec<Event>;

    fn deref(&self) -> &Vec<Event> {
        &self.list
    }
}

impl DerefMut for Events {
    fn deref_mut(&mut self) -> &mut Vec<Event> {
        self.version = next_version();
        &mut self.list
    }
}

/// An identified user of a website (`POST /identify`, CONTRACT W24): one per `user_id`,
/// linked to every visitor identified as that user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub website_id: String,
    pub user_id: String,
    /// Custom fields, shallow-merged across identify calls; new keys are appended.
    pub metadata: Vec<(String, String)>,
    /// Linked visitor ids and when each was first identified as this user (Unix ms).
    pub visitors: Vec<(String, i64)>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An identified visitor: the profile and when the visitor was identified (W19 `profile`).
#[derive(Clone, Debug)]
pub struct VisitorProfile<'a> {
    pub profile: &'a Profile,
    pub identified_at: i64,
}

/// A connected payment provider of a website (CONTRACT A31–A41). Credentials are checked,
/// never kept: no route reads them back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationConnection {
    pub website_id: String,
    /// The provider's path segment: `stripe`, `lemonsqueezy`, `polar`, `paddle`, `shopify`,
    /// `woocommerce`.
    pub provider: String,
    pub connected_at: i64,
    /// Paddle only: when the connected API key expires.
    pub key_expires_at: Option<i64>,
}

/// One step of a funnel: a page visit or a goal (CONTRACT A19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub id: String,
    pub name: String,
    /// `pageview` or `goal`.
    pub kind: String,
    pub url: Option<String>,
    pub goal_name: Option<String>,
}

/// A funnel definition. Deleting one only clears `is_active` (soft delete).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub id: String,
    pub website_id: String,
    pub name: String,
    pub slug: String,
    pub steps: Vec<FunnelStep>,
    pub is_active: bool,
    pub created_at: i64,
}

/// Display-only metadata of one goal (CONTRACT A16–A18).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalCustomization {
    pub website_id: String,
    pub goal_name: String,
    pub display_name: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
    pub updated_at: i64,
}

/// An e-mail alert fired by a goal (CONTRACT A23–A27).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub website_id: String,
    pub name: String,
    pub goal_name: String,
    pub subject: Option<String>,
    pub message: String,
    pub is_enabled: bool,
    pub created_at: i64,
}

/// One firing of an alert. The emulator sends no e-mail; every firing is `sent`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertLog {
    pub alert_id: String,
    pub website_id: String,
    pub alert_name: String,
    pub goal_name: String,
    pub status: String,
    pub error: Option<String>,
    pub visitor_id: Option<String>,
    pub triggered_at: i64,
}

/// Everything the API can read or change. Guarded by one `RwLock` in [`AppState`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Store {
    pub users: Vec<User>,
    pub websites: Vec<Website>,
    pub memberships: Vec<Membership>,
    pub tokens: Vec<AccountToken>,
    pub api_keys: Vec<ApiKey>,
    pub invitations: Vec<Invitation>,
    pub funnels: Vec<Funnel>,
    pub goal_customizations: Vec<GoalCustomization>,
    pub alerts: Vec<Alert>,
    /// Alert firings in the order they happened (oldest first).
    pub alert_logs: Vec<AlertLog>,
    /// Events per website id, in time order for seeded data (appended ones come last).
    /// Saved apart from the rest (see `persist`): seeded events are regenerated, not stored.
    #[serde(skip)]
    pub events: HashMap<String, Events>,
    /// The analytics index of each website's events, kept between requests (see
    /// `analytics::index`). Not state: rebuilt on demand.
    #[serde(skip)]
    pub(crate) indexes: IndexCache,
    /// Identified users (`POST /identify`).
    pub profiles: Vec<Profile>,
    /// Connected payment providers.
    pub integrations: Vec<IntegrationConnection>,
    /// Ids and secrets minted at run time; seeded too, so a replayed session is repeatable.
    pub(crate) rng: Rng,
}

/// What a field missing from a state file falls back to (`#[serde(default)]`).
impl Default for Store {
    fn default() -> Self {
        Store::new(Rng::new(0))
    }
}

impl Store {
    pub fn new(rng: Rng) -> Store {
        Store {
            users: Vec::new(),
            websites: Vec::new(),
            memberships: Vec::new(),
            tokens: Vec::new(),
            api_keys: Vec::new(),
            invitations: Vec::new(),
            funnels: Vec::new(),
            goal_customizations: Vec::new(),
            alerts: Vec::new(),
            alert_logs: Vec::new(),
            events: HashMap::new(),
            indexes: IndexCache::default(),
            profiles: Vec::new(),
            integrations: Vec::new(),
            rng,
        }
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn website(&self, id: &str) -> Option<&Website> {
        self.websites.iter().find(|w| w.id == id)
    }

    pub fn role_of(&self, user_id: &str, website_id: &str) -> Option<Role> {
        self.memberships.iter().find(|m| m.user_id == user_id && m.website_id == website_id).map(|m| m.role)
    }

    pub fn events(&self, website_id: &str) -> &[Event] {
        self.events.get(website_id).map_or(&[], |e| e.as_slice())
    }

    /// A website's events with their analytics index, brought up to date.
    pub fn indexed(&self, website_id: &str) -> crate::analytics::Indexed<'_> {
        let events = self.events.get(website_id);
        let index = self.indexes.index_of(website_id, events);
        crate::analytics::Indexed::new(self.events(website_id), index)
    }

    /// The profile a visitor was identified as on a website, if any (for the visitor detail).
    pub fn visitor_profile(&self, website_id: &str, visitor_id: &str) -> Option<VisitorProfile<'_>> {
        self.profiles.iter().filter(|p| p.website_id == website_id).find_map(|profile| {
            let (_, at) = profile.visitors.iter().find(|(v, _)| v.eq_ignore_ascii_case(visitor_id))?;
            Some(VisitorProfile { profile, identified_at: *at })
        })
    }

    pub fn new_object_id(&mut self) -> String {
        self.rng.object_id()
    }

    pub fn new_event_id(&mut self) -> ObjectId {
        self.rng.event_id()
    }

    pub fn new_secret(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", self.rng.alnum(32))
    }

    pub fn new_tracking_id(&mut self) -> String {
        format!("dfid_{}", self.rng.alnum(16))
    }
}

/// One running emulator: its store, its rate limiter and how it was started.
#[derive(Debug)]
pub struct AppState {
    store: RwLock<Store>,
    pub limiter: RateLimiter,
    pub config: Config,
    /// The seeded demo credentials (what the tokens file and the start-up banner show).
    pub demo: DemoCredentials,
    /// `--state FILE`: where acknowledged changes are saved; `None` = memory only.
    pub persist: Option<Persister>,
    /// `--faults`: failures injected into API responses (none unless configured).
    pub faults: Faults,
    /// The emulator's "now" (`--now`, `POST /__emulator/clock`).
    pub clock: time::Clock,
    /// The last API requests, for `GET /__emulator/requests`.
    pub requests: RequestLog,
}

impl AppState {
    /// Builds the seeded demo account and its traffic.
    pub fn new(mut config: Config) -> Arc<AppState> {
        let generator = config.generator();
        config.traffic_end_ms = Some(generator.traffic_end_ms);
        let (store, demo) = seed::demo(&generator);
        AppState::assemble(config, store, demo, None)
    }

    /// `POST /__emulator/reset`: the seeded data again (same seed, days and traffic end),
    /// rate-limit windows emptied. With `--state` only when `discard_state` says so: the file
    /// is then rewritten to the seeded data, and what was added is gone for good.
    pub fn reset(&self, discard_state: bool) -> Result<(), String> {
        if let (Some(persist), false) = (&self.persist, discard_state) {
            return Err(format!(
                "the emulator keeps its state in {}; a reset would discard what it holds: send \
                 {{\"discardState\": true}} to do that",
                persist.path().display()
            ));
        }
        let (seeded, _) = seed::demo(&self.config.generator());
        let mut store = self.store();
        *store = seeded;
        if let Some(persist) = &self.persist {
            persist
                .snapshot(&store)
                .map_err(|e| format!("the seeded data could not be written to {}: {e}", persist.path().display()))?;
        }
        drop(store);
        self.limiter.clear();
        Ok(())
    }

    pub(crate) fn assemble(
        config: Config,
        store: Store,
        demo: DemoCredentials,
        persist: Option<Persister>,
    ) -> Arc<AppState> {
        Arc::new(AppState {
            store: RwLock::new(store),
            limiter: RateLimiter::new(config.rate_limit),
            faults: Faults::new(config.seed),
            clock: time::Clock::new(config.now_ms),
            requests: RequestLog::default(),
            config,
            demo,
            persist,
        })
    }

    /// The store, shared with other readers: what GET requests hold for their whole
    /// (synchronous) handling.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        // A panic while holding the lock must not take the whole emulator down with it.
        self.store.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store, alone: what every other request holds from authentication to the save
    /// that precedes its answer, so writes are atomic and ordered.
    pub fn store(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_read_and_write_as_their_text() {
        let text = "65a1f0c2e4b0d1a2b3c4d5e6";
        let id = ObjectId::parse(text).expect("24 lower-case hex digits");
        assert_eq!(id.to_string(), text);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<ObjectId>(&format!("\"{text}\"")).unwrap(), id);
        assert!(id == text);
        // Only what `text` writes is read, so a file's id is written back unchanged.
        for bad in [
            "65A1F0C2E4B0D1A2B3C4D5E6",
            "65a1f0c2e4b0d1a2b3c4d5e",
            "65a1f0c2e4b0d1a2b3c4d5e6f",
            "65a1f0c2e4b0d1a2b3c4d5eg",
            "",
        ] {
            assert_eq!(ObjectId::parse(bad), None, "{bad:?}");
        }
        let err = serde_json::from_str::<ObjectId>("\"evt-1\"").unwrap_err().to_string();
        assert!(err.contains("not 24 lower-case hex digits"), "{err}");
        // Ordered as the text: what sorts events with equal times.
        let mut rng = Rng::new(7);
        let ids: Vec<ObjectId> = (0..50).map(|_| rng.event_id()).collect();
        for pair in ids.windows(2) {
            assert_eq!(pair[0].cmp(&pair[1]), pair[0].to_string().cmp(&pair[1].to_string()));
        }
    }

    #[test]
    fn an_event_stays_compact() {
        // A million of them: each byte here is a MB (bench/README.md, "Emulator").
        assert!(std::mem::size_of::<Event>() <= 72, "{} bytes", std::mem::size_of::<Event>());
    }
}
