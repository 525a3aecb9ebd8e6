//! The deterministic demo account and its synthetic traffic.
//!
//! Everything is drawn from a seeded [`Rng`], in named forks (account, one per website,
//! run time), so the same seed gives the same ids, secrets and events on every start; only
//! the end of the traffic span ("now") moves the timestamps.

use crate::analytics::{fast_map, FastMap};
use crate::rng::{fnv1a, Rng};
use crate::state::{AccountToken, ApiKey, Dims, Event, EventDetail, EventKind, Membership, Role, Store, User, Website};
use crate::time::{self, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};
use crate::tz;
use arcstr::ArcStr;
use compact_str::CompactString;
use datafast_contract::Permission;
use serde::Serialize;
use std::sync::Arc;

/// The demo credentials, as printed at start-up and written to the tokens file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoCredentials {
    pub owner_token: String,
    pub websites: Vec<DemoWebsite>,
    /// Team members of the first website, for role tests. Not in the tokens file, whose
    /// format other tools read.
    #[serde(skip)]
    pub team: Vec<DemoTeamMember>,
}

/// A seeded non-owner on the first demo website, with a full-permission `dft_` token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoTeamMember {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemoWebsite {
    pub id: String,
    pub domain: String,
    pub name: String,
    /// The website's `df_` key.
    pub key: String,
    /// A seeded visitor with pageviews, so scripts can send goals and payments for it.
    #[serde(rename = "sampleVisitorId")]
    pub sample_visitor_id: String,
}

/// How one demo website's traffic looks.
struct SiteProfile {
    domain: &'static str,
    name: &'static str,
    timezone: &'static str,
    currency: &'static str,
    /// Visitors per 30 days of traffic.
    visitors_per_30_days: u32,
    /// Visitors active in the last few minutes (for realtime endpoints).
    live_visitors: u32,
    /// Country code whose weight is multiplied by 5 (the site's home market).
    home_country: &'static str,
    /// Per-session hostname, weighted.
    hosts: &'static [(&'static str, u32)],
    /// Hostname of `/docs*` pages half of the time.
    docs_host: Option<&'static str>,
    entry_pages: &'static [(&'static str, u32)],
    pages: &'static [(&'static str, u32)],
    /// `(goal name, chance per session, page it happens on or None = any viewed page)`.
    goals: &'static [(&'static str, f64, Option<&'static str>)],
    /// Chance that a visitor pays once (in their last session, after viewing `checkout_path`).
    payment_chance: f64,
    checkout_path: &'static str,
    prices: &'static [f64],
}

const DEMO_SITE: SiteProfile = SiteProfile {
    domain: "demo.example.com",
    name: "Demo",
    timezone: "UTC",
    currency: "USD",
    visitors_per_30_days: 3000,
    live_visitors: 14,
    home_country: "US",
    hosts: &[("demo.example.com", 94), ("www.demo.example.com", 6)],
    docs_host: Some("docs.demo.example.com"),
    entry_pages: &[
        ("/", 40),
        ("/blog/privacy-first-analytics", 8),
        ("/blog/how-we-grew-to-10k", 7),
        ("/blog/rust-and-wasm", 5),
        ("/blog/launch-announcement", 4),
        ("/docs/getting-started", 8),
        ("/docs", 5),
        ("/pricing", 8),
        ("/features", 5),
        ("/integrations/stripe", 2),
        ("/changelog", 2),
        ("/login", 6),
    ],
    pages: &[
        ("/", 14),
        ("/pricing", 12),
        ("/features", 8),
        ("/docs", 8),
        ("/docs/getting-started", 8),
        ("/docs/installation", 5),
        ("/docs/api", 5),
        ("/docs/api/authentication", 3),
        ("/docs/goals", 3),
        ("/docs/revenue", 3),
        ("/blog", 5),
        ("/blog/launch-announcement", 4),
        ("/blog/privacy-first-analytics", 4),
        ("/blog/how-we-grew-to-10k", 3),
        ("/blog/rust-and-wasm", 3),
        ("/changelog", 3),
        ("/about", 2),
        ("/contact", 2),
        ("/signup", 6),
        ("/login", 4),
        ("/integrations/stripe", 2),
    ],
    goals: &[
        ("signup", 0.07, Some("/signup")),
        ("newsletter_signup", 0.04, None),
        ("demo_request", 0.015, Some("/contact")),
        ("docs_search", 0.05, Some("/docs")),
    ],
    payment_chance: 0.02,
    checkout_path: "/pricing",
    prices: &[9.0, 19.0, 29.0, 49.0, 99.0, 199.0],
};

const SHOP_SITE: SiteProfile = SiteProfile {
    domain: "shop.example.com",
    name: "Shop",
    timezone: "Europe/Paris",
    currency: "EUR",
    visitors_per_30_days: 1800,
    live_visitors: 6,
    home_country: "FR",
    hosts: &[("shop.example.com", 95), ("www.shop.example.com", 5)],
    docs_host: None,
    entry_pages: &[
        ("/", 40),
        ("/products/coffee-beans", 10),
        ("/products/espresso-machine", 10),
        ("/collections/sale", 10),
        ("/blog/brewing-guide", 10),
        ("/products", 8),
    ],
    pages: &[
        ("/", 15),
        ("/products", 12),
        ("/products/espresso-machine", 9),
        ("/products/grinder", 8),
        ("/products/coffee-beans", 10),
        ("/products/milk-frother", 5),
        ("/collections/new", 5),
        ("/collections/sale", 6),
        ("/cart", 7),
        ("/checkout", 4),
        ("/about", 2),
        ("/contact", 2),
        ("/faq", 3),
        ("/shipping", 3),
        ("/blog/brewing-guide", 4),
    ],
    goals: &[
        ("add_to_cart", 0.12, Some("/cart")),
        ("begin_checkout", 0.05, Some("/checkout")),
        ("newsletter_signup", 0.03, None),
    ],
    payment_chance: 0.04,
    checkout_path: "/checkout",
    prices: &[12.5, 24.9, 39.0, 89.0, 249.0, 499.0],
};

type Regions = &'static [(&'static str, &'static [&'static str])];

/// `(country name, ISO code, weight, regions with cities)`.
const COUNTRIES: &[(&str, &str, u32, Regions)] = &[
    (
        "United States",
        "US",
        30,
        &[
            ("California", &["San Francisco", "Los Angeles", "San Diego"]),
            ("New York", &["New York", "Brooklyn"]),
            ("Texas", &["Austin", "Houston"]),
            ("Washington", &["Seattle"]),
            ("Colorado", &["Denver"]),
            ("Illinois", &["Chicago"]),
        ],
    ),
    (
        "United Kingdom",
        "GB",
        9,
        &[("England", &["London", "Manchester", "Bristol"]), ("Scotland", &["Edinburgh", "Glasgow"])],
    ),
    ("Germany", "DE", 8, &[("Berlin", &["Berlin"]), ("Bavaria", &["Munich"]), ("Hamburg", &["Hamburg"])]),
    (
        "France",
        "FR",
        7,
        &[
            ("Île-de-France", &["Paris"]),
            ("Auvergne-Rhône-Alpes", &["Lyon"]),
            ("Provence-Alpes-Côte d'Azur", &["Marseille", "Nice"]),
        ],
    ),
    (
        "India",
        "IN",
        7,
        &[("Karnataka", &["Bengaluru"]), ("Maharashtra", &["Mumbai", "Pune"]), ("Delhi", &["New Delhi"])],
    ),
    (
        "Canada",
        "CA",
        5,
        &[("Ontario", &["Toronto", "Ottawa"]), ("Quebec", &["Montreal"]), ("British Columbia", &["Vancouver"])],
    ),
    ("Netherlands", "NL", 3, &[("North Holland", &["Amsterdam"]), ("South Holland", &["Rotterdam"])]),
    ("Brazil", "BR", 3, &[("São Paulo", &["São Paulo"]), ("Rio de Janeiro", &["Rio de Janeiro"])]),
    ("Spain", "ES", 3, &[("Madrid", &["Madrid"]), ("Catalonia", &["Barcelona"])]),
    ("Australia", "AU", 3, &[("New South Wales", &["Sydney"]), ("Victoria", &["Melbourne"])]),
    ("Japan", "JP", 2, &[("Tokyo", &["Tokyo"]), ("Osaka", &["Osaka"])]),
    ("Sweden", "SE", 2, &[("Stockholm", &["Stockholm"])]),
    ("Poland", "PL", 2, &[("Masovia", &["Warsaw"])]),
    ("Italy", "IT", 2, &[("Lombardy", &["Milan"]), ("Lazio", &["Rome"])]),
    ("Singapore", "SG", 1, &[("Singapore", &["Singapore"])]),
];

/// Approximate coordinates of the seeded cities (the realtime map's `latitude`/`longitude`).
const CITY_COORDINATES: &[(&str, f64, f64)] = &[
    ("San Francisco", 37.77, -122.42),
    ("Los Angeles", 34.05, -118.24),
    ("San Diego", 32.72, -117.16),
    ("New York", 40.71, -74.01),
    ("Brooklyn", 40.68, -73.94),
    ("Austin", 30.27, -97.74),
    ("Houston", 29.76, -95.37),
    ("Seattle", 47.61, -122.33),
    ("Denver", 39.74, -104.99),
    ("Chicago", 41.88, -87.63),
    ("London", 51.51, -0.13),
    ("Manchester", 53.48, -2.24),
    ("Bristol", 51.45, -2.59),
    ("Edinburgh", 55.95, -3.19),
    ("Glasgow", 55.86, -4.25),
    ("Berlin", 52.52, 13.40),
    ("Munich", 48.14, 11.58),
    ("Hamburg", 53.55, 9.99),
    ("Paris", 48.86, 2.35),
    ("Lyon", 45.76, 4.84),
    ("Marseille", 43.30, 5.37),
    ("Nice", 43.70, 7.27),
    ("Bengaluru", 12.97, 77.59),
    ("Mumbai", 19.08, 72.88),
    ("Pune", 18.52, 73.86),
    ("New Delhi", 28.61, 77.21),
    ("Toronto", 43.65, -79.38),
    ("Ottawa", 45.42, -75.70),
    ("Montreal", 45.50, -73.57),
    ("Vancouver", 49.28, -123.12),
    ("Amsterdam", 52.37, 4.90),
    ("Rotterdam", 51.92, 4.48),
    ("São Paulo", -23.55, -46.63),
    ("Rio de Janeiro", -22.91, -43.17),
    ("Madrid", 40.42, -3.70),
    ("Barcelona", 41.39, 2.17),
    ("Sydney", -33.87, 151.21),
    ("Melbourne", -37.81, 144.96),
    ("Tokyo", 35.68, 139.69),
    ("Osaka", 34.69, 135.50),
    ("Stockholm", 59.33, 18.07),
    ("Warsaw", 52.23, 21.01),
    ("Milan", 45.46, 9.19),
    ("Rome", 41.90, 12.50),
    ("Singapore", 1.35, 103.82),
];

/// `(latitude, longitude)` of a seeded city, `None` for any other.
pub fn city_coordinates(city: &str) -> Option<(f64, f64)> {
    CITY_COORDINATES.iter().find(|(c, _, _)| *c == city).map(|(_, lat, lon)| (*lat, *lon))
}

/// ISO 3166-2 codes of the seeded regions (the contract's examples show `US-CO`, `KR-44`).
const REGION_CODES: &[(&str, &str)] = &[
    ("California", "US-CA"),
    ("New York", "US-NY"),
    ("Texas", "US-TX"),
    ("Washington", "US-WA"),
    ("Colorado", "US-CO"),
    ("Illinois", "US-IL"),
    ("England", "GB-ENG"),
    ("Scotland", "GB-SCT"),
    ("Berlin", "DE-BE"),
    ("Bavaria", "DE-BY"),
    ("Hamburg", "DE-HH"),
    ("Île-de-France", "FR-IDF"),
    ("Auvergne-Rhône-Alpes", "FR-ARA"),
    ("Provence-Alpes-Côte d'Azur", "FR-PAC"),
    ("Karnataka", "IN-KA"),
    ("Maharashtra", "IN-MH"),
    ("Delhi", "IN-DL"),
    ("Ontario", "CA-ON"),
    ("Quebec", "CA-QC"),
    ("British Columbia", "CA-BC"),
    ("North Holland", "NL-NH"),
    ("South Holland", "NL-ZH"),
    ("São Paulo", "BR-SP"),
    ("Rio de Janeiro", "BR-RJ"),
    ("Madrid", "ES-MD"),
    ("Catalonia", "ES-CT"),
    ("New South Wales", "AU-NSW"),
    ("Victoria", "AU-VIC"),
    ("Tokyo", "JP-13"),
    ("Osaka", "JP-27"),
    ("Stockholm", "SE-AB"),
    ("Masovia", "PL-14"),
    ("Lombardy", "IT-25"),
    ("Lazio", "IT-62"),
    ("Singapore", "SG-01"),
];

/// The ISO 3166-2 code of a seeded region (`California` → `US-CA`), `None` for any other.
pub fn region_code(region: &str) -> Option<&'static str> {
    REGION_CODES.iter().find(|(r, _)| *r == region).map(|(_, code)| *code)
}

/// What a seeded visitor's user agent and screen tell beyond the names: browser and OS
/// versions and the viewport. Drawn from the visitor id, so a visitor keeps them across
/// restarts and `--state` files without the event store carrying them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SystemDetails {
    pub browser_version: Option<&'static str>,
    pub os_version: Option<&'static str>,
    pub viewport: (u32, u32),
}

pub fn system_details(visitor_id: &str, browser: &str, os: &str, device: &str) -> SystemDetails {
    let hash = fnv1a(visitor_id.bytes());
    let pick = |options: &'static [&'static str], salt: u64| -> Option<&'static str> {
        let n = u64::try_from(options.len()).ok().filter(|n| *n > 0)?;
        options.get(usize::try_from((hash >> salt) % n).ok()?).copied()
    };
    let browser_version = match browser {
        "Chrome" | "Brave" => pick(&["131.0.0.0", "132.0.0.0", "133.0.0.0", "134.0.0.0"], 3),
        "Edge" => pick(&["132.0.0.0", "133.0.0.0", "134.0.0.0"], 3),
        "Firefox" => pick(&["133.0", "134.0", "135.0"], 3),
        "Safari" | "Mobile Safari" => pick(&["17.6", "18.2", "18.3"], 3),
        "Samsung Internet" => pick(&["26.0", "27.0"], 3),
        _ => None,
    };
    let os_version = match os {
        "Windows" => pick(&["10", "11"], 11),
        // Browsers freeze the macOS version in the user agent.
        "Mac OS" => Some("10.15.7"),
        "iOS" => pick(&["17.6.1", "18.2", "18.3.1"], 11),
        "Android" => pick(&["13", "14", "15"], 11),
        "Chrome OS" => pick(&["15917.71.0", "16093.68.0"], 11),
        // Linux user agents name no version.
        _ => None,
    };
    let viewports: &[(u32, u32)] = match device {
        "mobile" => &[(390, 664), (393, 727), (412, 783), (375, 553)],
        "tablet" => &[(820, 1058), (768, 920), (1024, 1262)],
        _ => &[(1920, 945), (1536, 730), (1440, 789), (1728, 998), (2560, 1305)],
    };
    let viewport = usize::try_from((hash >> 19) % viewports.len() as u64)
        .ok()
        .and_then(|i| viewports.get(i))
        .copied()
        .unwrap_or((1920, 945));
    SystemDetails { browser_version, os_version, viewport }
}

const DEVICES: &[(&str, u32)] = &[("desktop", 58), ("mobile", 36), ("tablet", 6)];
const DESKTOP_OS: &[(&str, u32)] = &[("Windows", 48), ("Mac OS", 38), ("Linux", 10), ("Chrome OS", 4)];
const MOBILE_OS: &[(&str, u32)] = &[("iOS", 45), ("Android", 55)];
const TABLET_OS: &[(&str, u32)] = &[("iOS", 70), ("Android", 30)];

fn browsers_for(os: &str, device: &str) -> &'static [(&'static str, u32)] {
    match (os, device) {
        ("Mac OS", _) => &[("Chrome", 55), ("Safari", 30), ("Firefox", 8), ("Edge", 3), ("Brave", 4)],
        ("Windows", _) => &[("Chrome", 65), ("Edge", 22), ("Firefox", 11), ("Brave", 2)],
        ("Linux", _) => &[("Chrome", 55), ("Firefox", 40), ("Brave", 5)],
        ("iOS", "tablet") => &[("Mobile Safari", 85), ("Chrome", 15)],
        ("iOS", _) => &[("Mobile Safari", 75), ("Chrome", 20), ("Firefox", 5)],
        ("Android", _) => &[("Chrome", 80), ("Samsung Internet", 15), ("Firefox", 5)],
        _ => &[("Chrome", 1)],
    }
}

/// `(normalized name, domain, weight)`.
const REFERRERS: &[((&str, &str), u32)] = &[
    (("Direct/None", ""), 34),
    (("Google", "google.com"), 27),
    (("X", "x.com"), 7),
    (("GitHub", "github.com"), 6),
    (("Hacker News", "news.ycombinator.com"), 5),
    (("Reddit", "reddit.com"), 5),
    (("LinkedIn", "linkedin.com"), 3),
    (("Bing", "bing.com"), 3),
    (("DuckDuckGo", "duckduckgo.com"), 2),
    (("Product Hunt", "producthunt.com"), 2),
    (("Facebook", "facebook.com"), 2),
    (("dev.to", "dev.to"), 2),
    (("indiepage.com", "indiepage.com"), 2),
];

/// `(utm_source, utm_medium, utm_campaign, utm_term, utm_content)`.
type Utm = (&'static str, &'static str, &'static str, &'static str, &'static str);
const CAMPAIGNS: &[(Utm, u32)] = &[
    (("newsletter", "email", "spring_launch", "", ""), 4),
    (("twitter", "social", "launch_week", "", "thread"), 3),
    (("google", "cpc", "brand_search", "web analytics", "ad_a"), 2),
    (("google", "cpc", "brand_search", "privacy analytics", "ad_b"), 2),
    (("producthunt", "referral", "ph_launch", "", ""), 1),
];

/// Relative traffic per local hour of day (quiet nights, busy afternoons), out of 10.
const HOUR_WEIGHTS: [u32; 24] = [2, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 10, 10, 9, 9, 8, 7, 7, 6, 5, 4, 3];

/// What the synthetic data is generated from: same inputs, same data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generator {
    pub seed: u64,
    pub days: u32,
    pub traffic_end_ms: i64,
    /// `--events N`: the first website's traffic is drawn until it holds N events (plus the
    /// visitors on it right now), instead of the visitors `days` gives it.
    pub events: Option<u64>,
}

impl Generator {
    /// Traffic sized by `days` alone.
    pub fn new(seed: u64, days: u32, traffic_end_ms: i64) -> Generator {
        Generator { seed, days, traffic_end_ms, events: None }
    }
}

/// Builds the demo store: one owner, two websites with a key each, traffic ending at
/// `traffic_end_ms`.
pub fn demo(g: &Generator) -> (Store, DemoCredentials) {
    let (seed, days, end_ms) = (g.seed, g.days, g.traffic_end_ms);
    let root = Rng::new(seed);
    let mut acct = root.fork("account");
    let mut store = Store::new(root.fork("runtime"));
    let days = days.max(1);
    // On the traffic's day frame: the same on every start of one day (see `traffic`).
    let account_created = day_frame_end(end_ms) - (i64::from(days) + 91) * MS_PER_DAY;

    let (y, m, _) = time::civil_from_days(end_ms.div_euclid(MS_PER_DAY));
    let cycle_start = time::days_from_civil(y, m, 1) * MS_PER_DAY;
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let cycle_end = time::days_from_civil(ny, nm, 1) * MS_PER_DAY;
    let user_id = acct.object_id();
    store.users.push(User {
        id: user_id.clone(),
        name: Some("Demo Owner".into()),
        email: "owner@demo.example.com".into(),
        image: None,
        has_access: true,
        plan_type: Some("pro".into()),
        is_free_trial_active: false,
        free_trial_start_at: None,
        billing_cycle_start_at: Some(cycle_start),
        billing_cycle_end_at: Some(cycle_end),
        created_at: account_created,
    });

    let owner_token = acct.alnum(32);
    store.tokens.push(AccountToken {
        id: acct.object_id(),
        user_id: user_id.clone(),
        name: Some("Demo owner token".into()),
        secret: format!("dft_{owner_token}"),
        permissions: vec![Permission::All],
        website_ids: Vec::new(),
        created_at: account_created,
        last_used_at: Default::default(),
    });

    let mut websites = Vec::new();
    for (i, profile) in [&DEMO_SITE, &SHOP_SITE].into_iter().enumerate() {
        let website_id = acct.object_id();
        let key = format!("df_{}", acct.alnum(32));
        let tracking_id = format!("dfid_{}", acct.alnum(16));
        store.websites.push(Website {
            id: website_id.clone(),
            domain: profile.domain.into(),
            name: Some(profile.name.into()),
            tracking_id,
            timezone: profile.timezone.into(),
            currency: profile.currency.into(),
            created_at: account_created,
            settings: Default::default(),
        });
        store.memberships.push(Membership {
            website_id: website_id.clone(),
            user_id: user_id.clone(),
            role: Role::Owner,
            joined_at: account_created,
        });
        store.api_keys.push(ApiKey {
            id: acct.object_id(),
            website_id: website_id.clone(),
            user_id: user_id.clone(),
            name: Some("Demo key".into()),
            secret: key.clone(),
            created_at: account_created,
            last_used_at: Default::default(),
        });
        let mut rng = root.fork(&format!("traffic:{}", profile.domain));
        let size = match g.events {
            Some(n) if i == 0 => Size::Events(usize::try_from(n).unwrap_or(usize::MAX)),
            _ => Size::Days,
        };
        let events = traffic(&mut rng, profile, days, end_ms, size);
        let sample_visitor_id =
            events.iter().find(|e| e.kind == EventKind::Pageview).map(|e| e.visitor_id.to_string()).unwrap_or_default();
        store.events.insert(website_id.clone(), events.into());
        websites.push(DemoWebsite {
            id: website_id,
            domain: profile.domain.into(),
            name: profile.name.into(),
            key,
            sample_visitor_id,
        });
    }

    // Its own fork, drawn last: the owner's ids, keys and traffic stay what they were.
    let team = demo_team(&mut store, &mut root.fork("team"), &websites[0].id, account_created);
    (store, DemoCredentials { owner_token: format!("dft_{owner_token}"), websites, team })
}

/// A member and a viewer on `website_id`, each with a `*` token, so the role rules of
/// CONTRACT 2.8 can be exercised.
fn demo_team(store: &mut Store, rng: &mut Rng, website_id: &str, at: i64) -> Vec<DemoTeamMember> {
    let mut team = Vec::new();
    for (name, email, role) in [
        ("Demo Member", "member@demo.example.com", Role::Member),
        ("Demo Viewer", "viewer@demo.example.com", Role::Viewer),
    ] {
        let user_id = rng.object_id();
        let token = format!("dft_{}", rng.alnum(32));
        store.users.push(User {
            id: user_id.clone(),
            name: Some(name.into()),
            email: email.into(),
            image: None,
            has_access: true,
            plan_type: Some("pro".into()),
            is_free_trial_active: false,
            free_trial_start_at: None,
            billing_cycle_start_at: None,
            billing_cycle_end_at: None,
            created_at: at,
        });
        store.memberships.push(Membership {
            website_id: website_id.into(),
            user_id: user_id.clone(),
            role,
            joined_at: at,
        });
        store.tokens.push(AccountToken {
            id: rng.object_id(),
            user_id: user_id.clone(),
            name: Some(format!("{name} token")),
            secret: token.clone(),
            permissions: vec![Permission::All],
            website_ids: Vec::new(),
            created_at: at,
            last_used_at: Default::default(),
        });
        team.push(DemoTeamMember { user_id, email: email.into(), role, token });
    }
    team
}

/// How much traffic a website gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Size {
    /// The site's visitors per 30 days, for `days` (capped at 180 days for start-up time).
    Days,
    /// Visitors until this many events; the last visitor's surplus is dropped.
    Events(usize),
}

/// The first UTC midnight at or after `ms`: the frame the seeded traffic is drawn in.
pub fn day_frame_end(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY) * MS_PER_DAY + if ms.rem_euclid(MS_PER_DAY) == 0 { 0 } else { MS_PER_DAY }
}

/// Builds the events of one website, sorted by time, all before `now`.
///
/// Traffic sized by days is drawn in a frame ending at the next UTC midnight, whatever the
/// time of day: two starts on one day draw the same events, and a later day shifts them all
/// by whole days (the same local hours), so only "now" decides which of them have happened
/// yet; the rest of today is dropped. The visitors on the site right now are drawn after, at
/// `now`. Traffic sized by events ends at `now` (its count is what matters).
fn traffic(rng: &mut Rng, p: &SiteProfile, days: u32, now: i64, size: Size) -> Vec<Event> {
    let end = match size {
        Size::Days => day_frame_end(now),
        Size::Events(_) => now,
    };
    let start = end - i64::from(days) * MS_PER_DAY;
    let zone = tz::Zone::get(p.timezone).unwrap_or_default();
    // Keep the daily density constant: more days, more visitors.
    let visitors = (u64::from(p.visitors_per_30_days) * u64::from(days.min(180)) / 30).max(50);
    let countries: Vec<(usize, u32)> =
        COUNTRIES.iter().enumerate().map(|(i, c)| (i, if c.1 == p.home_country { c.2 * 5 } else { c.2 })).collect();
    let capacity = match size {
        Size::Days => visitors as usize * 6,
        Size::Events(n) => n.saturating_add(64),
    };
    let mut gen = Gen { rng, p, end, events: Vec::with_capacity(capacity), dims: fast_map(4096), texts: fast_map(64) };

    let mut drawn = 0u64;
    loop {
        match size {
            Size::Days if drawn >= visitors => break,
            Size::Events(n) if gen.events.len() >= n => {
                gen.events.truncate(n);
                break;
            }
            _ => drawn += 1,
        }
        let visitor = gen.new_visitor(&countries);
        let sessions = *gen.rng.weighted(&[(1u32, 65), (2, 20), (3, 9), (4, 4), (6, 2)]);
        let paid = gen.rng.chance(p.payment_chance);
        let mut t = gen.sample_time(start, &zone);
        for s in 0..sessions {
            if t >= end {
                break;
            }
            let last_session = s + 1 == sessions;
            let checkout = (paid && last_session).then_some(p.checkout_path);
            let last_ts = gen.session(&visitor, t, checkout);
            if paid && last_session {
                gen.payment(&visitor, last_ts);
            }
            t = last_ts + gen.rng.range(MS_PER_HOUR, 5 * MS_PER_DAY);
        }
    }
    // Visitors on the site right now, so realtime answers are never empty.
    for _ in 0..p.live_visitors {
        let visitor = gen.new_visitor(&countries);
        let t = now - gen.rng.range(20_000, 8 * MS_PER_MINUTE);
        gen.session(&visitor, t, None);
    }
    // What the frame holds after now has not happened yet.
    gen.events.retain(|e| e.ts < now);

    sort_by_time(gen.events)
}

/// Sorts events by time, equal times keeping their order (as a stable sort). A stable sort
/// of a million events moved each ~20 times over the whole list (most of the seeding time);
/// this deals them into buckets of nearby times in one pass (a counting sort: ~1,000 events
/// per bucket, so each bucket sorts in cache), then sorts each bucket.
fn sort_by_time(events: Vec<Event>) -> Vec<Event> {
    let (Some(first), Some(last)) = (events.iter().map(|e| e.ts).min(), events.iter().map(|e| e.ts).max()) else {
        return events;
    };
    let buckets = (events.len() / 1024).clamp(1, 1 << 16);
    let width = (last.abs_diff(first) / buckets as u64).saturating_add(1);
    let bucket = |ts: i64| ((ts.abs_diff(first) / width) as usize).min(buckets - 1);
    // Where each bucket starts in the output.
    let mut next = vec![0usize; buckets + 1];
    for e in &events {
        next[bucket(e.ts) + 1] += 1;
    }
    for b in 1..=buckets {
        next[b] += next[b - 1];
    }
    let starts = next.clone();
    let mut dealt: Vec<Option<Event>> = Vec::new();
    dealt.resize_with(events.len(), || None);
    for e in events {
        let at = &mut next[bucket(e.ts)];
        dealt[*at] = Some(e);
        *at += 1;
    }
    for b in 0..buckets {
        dealt[starts[b]..starts[b + 1]].sort_by_key(|e| e.as_ref().map(|e| e.ts));
    }
    dealt.into_iter().flatten().collect()
}

/// Per-visitor constants: who they are and what they browse with.
struct Visitor {
    id: ArcStr,
    country: usize,
    region: &'static str,
    city: &'static str,
    device: &'static str,
    os: &'static str,
    browser: &'static str,
}

/// The shared parts of one session's events.
struct Visit {
    visitor: ArcStr,
    session: ArcStr,
    dims: Arc<Dims>,
}

struct Gen<'a> {
    rng: &'a mut Rng,
    p: &'a SiteProfile,
    end: i64,
    events: Vec<Event>,
    /// Every distinct set of visit dimensions drawn, by the addresses of its values, shared
    /// by the sessions that drew it: a few thousand sets serve a million events (one per
    /// session was most of the memory).
    dims: FastMap<[usize; 11], Arc<Dims>>,
    /// Hostnames and paths, one shared copy of each constant's text by its address and length.
    texts: FastMap<(usize, usize), ArcStr>,
}

impl Gen<'_> {
    fn new_visitor(&mut self, countries: &[(usize, u32)]) -> Visitor {
        let id: ArcStr = self.rng.uuid_v4().into();
        let country = *self.rng.weighted(countries);
        let (region, cities) = *self.rng.pick(COUNTRIES[country].3);
        let city = *self.rng.pick(cities);
        let device = *self.rng.weighted(DEVICES);
        let os = *self.rng.weighted(match device {
            "mobile" => MOBILE_OS,
            "tablet" => TABLET_OS,
            _ => DESKTOP_OS,
        });
        let browser = *self.rng.weighted(browsers_for(os, device));
        Visitor { id, country, region, city, device, os, browser }
    }

    /// A time in `[start, end)`, denser in the website's local daytime.
    fn sample_time(&mut self, start: i64, zone: &tz::Zone) -> i64 {
        let mut t = self.rng.range(start, self.end);
        for _ in 0..8 {
            let hour = zone.to_local(t).rem_euclid(MS_PER_DAY) / MS_PER_HOUR;
            if self.rng.below(10) < u64::from(HOUR_WEIGHTS[hour as usize]) {
                break;
            }
            t = self.rng.range(start, self.end);
        }
        t
    }

    /// The visit dimensions of a new session of `v`, shared with every earlier session that
    /// drew the same values (see [`Gen::dims`]).
    fn session_dims(&mut self, v: &Visitor) -> Arc<Dims> {
        let referrer = self.rng.weighted(REFERRERS);
        let campaign = self.rng.chance(0.14).then(|| self.rng.weighted(CAMPAIGNS));
        let ref_param = self.rng.chance(0.04).then(|| *self.rng.pick(&["indiepage", "betalist", "saashub"]));
        let source_param = self.rng.chance(0.02).then(|| *self.rng.pick(&["newsletter", "podcast"]));
        let via_param = self.rng.chance(0.02).then(|| *self.rng.pick(&["alex", "partner_jane"]));
        // Every value drawn is a `'static` constant: their addresses tell the sets apart.
        fn at<T: ?Sized>(value: Option<&T>) -> usize {
            value.map_or(0, |v| v as *const T as *const u8 as usize)
        }
        let key = [
            v.country,
            at(Some(v.region)),
            at(Some(v.city)),
            at(Some(v.device)),
            at(Some(v.browser)),
            at(Some(v.os)),
            at(Some(referrer)),
            at(campaign),
            at(ref_param),
            at(source_param),
            at(via_param),
        ];
        if let Some(shared) = self.dims.get(&key) {
            return shared.clone();
        }
        let (country, code, _, _) = COUNTRIES[v.country];
        let &(referrer, referrer_domain) = referrer;
        let mut dims = Dims {
            country: country.into(),
            country_code: code.into(),
            region: v.region.into(),
            city: v.city.into(),
            device: v.device.into(),
            browser: v.browser.into(),
            os: v.os.into(),
            referrer: referrer.into(),
            referrer_domain: referrer_domain.into(),
            ref_param: ref_param.unwrap_or_default().into(),
            source_param: source_param.unwrap_or_default().into(),
            via_param: via_param.unwrap_or_default().into(),
            ..Dims::default()
        };
        if let Some(&(source, medium, campaign, term, content)) = campaign {
            dims.utm_source = source.into();
            dims.utm_medium = medium.into();
            dims.utm_campaign = campaign.into();
            dims.utm_term = term.into();
            dims.utm_content = content.into();
        }
        let dims = Arc::new(dims);
        self.dims.insert(key, dims.clone());
        dims
    }

    /// The shared copy of a constant hostname or path.
    fn text(&mut self, constant: &'static str) -> ArcStr {
        self.texts.entry((constant.as_ptr() as usize, constant.len())).or_insert_with(|| constant.into()).clone()
    }

    fn event(&mut self, visit: &Visit, ts: i64, kind: EventKind, host: ArcStr, path: ArcStr) -> Event {
        Event {
            id: self.rng.event_id(),
            visitor_id: visit.visitor.clone(),
            session_id: visit.session.clone(),
            ts,
            kind,
            hostname: host,
            path,
            dims: visit.dims.clone(),
            detail: Default::default(),
        }
    }

    /// One session starting at `t`; `checkout` forces a last pageview of that path.
    /// Returns the time of its last event.
    fn session(&mut self, v: &Visitor, mut t: i64, checkout: Option<&'static str>) -> i64 {
        let session: ArcStr = format!("s_{:016x}", self.rng.next_u64()).into();
        let visit = Visit { visitor: v.id.clone(), session, dims: self.session_dims(v) };
        let host = *self.rng.weighted(self.p.hosts);
        let count = *self.rng.weighted(&[(1u32, 45), (2, 20), (3, 14), (4, 9), (5, 6), (7, 4), (10, 2)]);
        let mut paths: Vec<&'static str> = vec![*self.rng.weighted(self.p.entry_pages)];
        for _ in 1..count {
            paths.push(*self.rng.weighted(self.p.pages));
        }
        if let Some(path) = checkout {
            paths.push(path);
        }
        let mut viewed: Vec<(i64, &'static str)> = Vec::with_capacity(paths.len());
        for path in paths {
            if t >= self.end {
                break;
            }
            let on_docs_host = path.starts_with("/docs") && self.p.docs_host.is_some() && self.rng.chance(0.5);
            let h = if on_docs_host { self.p.docs_host.unwrap_or(host) } else { host };
            let (h, path_text) = (self.text(h), self.text(path));
            let e = self.event(&visit, t, EventKind::Pageview, h, path_text);
            self.events.push(e);
            viewed.push((t, path));
            t += self.rng.range(5_000, 180_000);
        }
        let Some(&(mut last, _)) = viewed.last() else {
            return t;
        };
        for &(goal, chance, on_page) in self.p.goals {
            if !self.rng.chance(chance) {
                continue;
            }
            let (pv_ts, path) = match on_page {
                // The goal happens on its page, or on a random page of the session if the
                // visitor did not reach that page this time.
                Some(page) => *viewed.iter().find(|(_, p)| *p == page).unwrap_or(self.rng.pick(&viewed)),
                None => *self.rng.pick(&viewed),
            };
            let ts = (pv_ts + self.rng.range(2_000, 30_000)).min(self.end - 1);
            let host = *self.rng.weighted(self.p.hosts);
            let (host, path) = (self.text(host), self.text(path));
            let mut e = self.event(&visit, ts, EventKind::Goal, host, path);
            e.detail = EventDetail { goal_name: Some(CompactString::const_new(goal)), ..EventDetail::default() }.into();
            self.events.push(e);
            last = last.max(ts);
        }
        last
    }

    /// A payment shortly after the visitor's last event, attributed to that session.
    fn payment(&mut self, v: &Visitor, after: i64) {
        let Some(last_pv) = self.events.iter().rev().find(|e| e.visitor_id == v.id && e.kind == EventKind::Pageview)
        else {
            return;
        };
        let visit = Visit { visitor: v.id.clone(), session: last_pv.session_id.clone(), dims: last_pv.dims.clone() };
        let (host, path) = (last_pv.hostname.clone(), last_pv.path.clone());
        let ts = after + self.rng.range(5_000, 60_000);
        if ts >= self.end {
            return;
        }
        let amount = *self.rng.pick(self.p.prices);
        let mut e = self.event(&visit, ts, EventKind::Payment, host, path);
        e.detail = EventDetail {
            amount: Some(amount),
            currency: Some(CompactString::const_new(self.p.currency)),
            ..EventDetail::default()
        }
        .into();
        self.events.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const END: i64 = 1_780_000_000_000;

    #[test]
    fn sorting_by_time_keeps_the_order_of_equal_times() {
        let (store, creds) = demo(&Generator::new(5, 2, END));
        let mut events: Vec<Event> = store.events(&creds.websites[0].id).to_vec();
        // Few distinct times, so most events tie; ids tell the order of the ties.
        let mut rng = Rng::new(9);
        events.iter_mut().for_each(|e| e.ts = rng.range(0, 7));
        let mut expected = events.clone();
        expected.sort_by_key(|e| e.ts);
        assert!(sort_by_time(events) == expected);
        assert!(sort_by_time(Vec::new()).is_empty());
        // Times far apart: most buckets stay empty.
        let spread: Vec<Event> = expected
            .iter()
            .cloned()
            .zip([i64::MIN / 2, 5, i64::MAX / 2, 5])
            .map(|(mut e, ts)| {
                e.ts = ts;
                e
            })
            .collect();
        let sorted: Vec<i64> = sort_by_time(spread.clone()).iter().map(|e| e.ts).collect();
        assert_eq!(sorted, [i64::MIN / 2, 5, 5, i64::MAX / 2]);
    }

    #[test]
    fn deterministic_and_shaped() {
        let (a, creds_a) = demo(&Generator::new(42, 30, END));
        let (b, creds_b) = demo(&Generator::new(42, 30, END));
        assert_eq!(creds_a, creds_b);
        let (_, creds_c) = demo(&Generator::new(43, 30, END));
        assert_ne!(creds_a.owner_token, creds_c.owner_token);
        assert!(creds_a.owner_token.starts_with("dft_") && creds_a.owner_token.len() == 36);
        for w in &creds_a.websites {
            assert!(w.key.starts_with("df_") && w.key.len() == 35);
            assert!(datafast_contract::rules::is_object_id(&w.id));
            let ea = a.events(&w.id);
            let eb = b.events(&w.id);
            assert_eq!(ea.len(), eb.len());
            assert!(ea.iter().zip(eb).all(|(x, y)| x.id == y.id && x.ts == y.ts && x.path == y.path));
            assert!(ea.windows(2).all(|p| p[0].ts <= p[1].ts));
            assert!(ea.iter().all(|e| e.ts < END && e.ts >= END - 31 * MS_PER_DAY));
        }
        let demo_events = a.events(&creds_a.websites[0].id);
        let visitors: HashSet<&str> = demo_events.iter().map(|e| &*e.visitor_id).collect();
        assert!(visitors.len() >= 3000, "{}", visitors.len());
        let paths: HashSet<&str> = demo_events.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.len() >= 15);
        assert!(demo_events.iter().any(|e| e.kind == EventKind::Payment));
        assert!(demo_events.iter().any(|e| e.goal_name.as_deref() == Some("signup")));
        assert!(demo_events.iter().any(|e| e.ts > END - 10 * MS_PER_MINUTE), "live visitors");
        assert!(visitors.iter().all(|v| datafast_contract::rules::is_uuid(v)));
        for (_, country_code, _, regions) in COUNTRIES {
            for (region, cities) in *regions {
                assert!(cities.iter().all(|c| city_coordinates(c).is_some()), "{cities:?}");
                let code = region_code(region).unwrap_or_else(|| panic!("{region} has no ISO 3166-2 code"));
                assert!(code.starts_with(&format!("{country_code}-")), "{region}: {code}");
            }
        }
    }

    /// Starts at two times of one day draw the same events (those that have happened by the
    /// later one); a start a day later draws them a whole day later.
    #[test]
    fn traffic_moves_with_now_by_whole_days_only() {
        let morning = day_frame_end(END) - 20 * MS_PER_HOUR;
        let evening = morning + 9 * MS_PER_HOUR + 17 * MS_PER_MINUTE;
        let (a, creds) = demo(&Generator::new(42, 30, morning));
        let (b, _) = demo(&Generator::new(42, 30, evening));
        let (c, _) = demo(&Generator::new(42, 30, morning + MS_PER_DAY));
        let site = &creds.websites[0].id;
        // Leave out the visitors drawn at "now" (the last ten minutes of each).
        let past = |events: &[Event], now: i64| -> Vec<(String, i64, String)> {
            events
                .iter()
                .filter(|e| e.ts < now - 10 * MS_PER_MINUTE && e.ts < morning - 10 * MS_PER_MINUTE)
                .map(|e| (e.id.to_string(), e.ts, e.path.to_string()))
                .collect()
        };
        let (pa, pb) = (past(a.events(site), morning), past(b.events(site), evening));
        assert!(pa.len() > 10_000);
        assert_eq!(pa, pb, "one day, two starts: the same events");
        let shifted: Vec<(String, i64, String)> = past(c.events(site), morning + MS_PER_DAY)
            .into_iter()
            .map(|(id, ts, path)| (id, ts - MS_PER_DAY, path))
            .collect();
        assert_eq!(shifted.get(..1000), pa.get(..1000), "a day later: the same events, a day later");
        assert!(b.events(site).iter().all(|e| e.ts < evening) && a.events(site).iter().all(|e| e.ts < morning));
        assert_eq!(a.users[0].created_at, c.users[0].created_at - MS_PER_DAY);
    }

    #[test]
    fn events_sizes_the_first_website_only() {
        let g = Generator { events: Some(25_000), ..Generator::new(42, 30, END) };
        let (a, creds) = demo(&g);
        let (b, _) = demo(&g);
        let (plain, _) = demo(&Generator::new(42, 30, END));
        let (first, second) = (&creds.websites[0].id, &creds.websites[1].id);
        // 25,000 drawn, plus the visitors on the site right now.
        assert!((25_000..25_200).contains(&a.events(first).len()), "{}", a.events(first).len());
        assert!(a.events(first).iter().zip(b.events(first)).all(|(x, y)| x == y), "deterministic");
        assert!(a.events(first).windows(2).all(|p| p[0].ts <= p[1].ts));
        assert!(a.events(first).iter().all(|e| e.ts >= END - 31 * MS_PER_DAY));
        assert!(a.events(second) == plain.events(second), "the second website keeps its --days size");
    }
}
