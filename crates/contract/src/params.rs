//! The inputs of every endpoint as data: which fields a call takes, their kinds and limits, and
//! the rules that tie fields together.
//!
//! One table drives three things: the client's checks before sending ([`check`]), the
//! TypeScript declarations of every method's parameters (generated in the client crate), and
//! the emulator's 400s. Path placeholders are not listed here; they are positional arguments
//! checked by [`crate::rules::object_id`] / [`crate::rules::visitor_id`].
//!
//! [`check`] is generic over [`Input`], so the client runs it on its own small value tree and
//! the emulator on `serde_json::Value`, and both enforce the same rules.

use crate::registry::EndpointId;
use crate::rules::{self, RuleResult, RuleViolation};

/// What one field accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string of `min..=max` characters (trimmed); `min: 1` means "not blank".
    Text {
        min: usize,
        max: usize,
    },
    /// One of a fixed set of strings.
    OneOf(&'static [&'static str]),
    Bool,
    /// A whole number in `min..=max`.
    Int {
        min: u32,
        max: u32,
    },
    /// A whole number ≥ 0 (offsets).
    Offset,
    /// A number from 0 to `rules::PAYMENT_AMOUNT_MAX` in major currency units (payment amounts).
    Amount,
    /// `YYYY-MM-DD` or an ISO-8601 time with `Z` or an offset.
    Date,
    /// A goal name (normalized by the API: lowercase, spaces → `_`) of at most `max` characters.
    GoalName {
        max: usize,
    },
    /// A string checked by one of the contract's [`rules`] (ids, e-mail, currency, keys…).
    Str(StrRule),
    /// Custom metadata: ≤ 10 keys `^[a-z0-9_-]+$`, string values ≤ 255.
    Metadata,
    /// Analytics filters: `{ dimension: condition }`, checked and encoded by the client.
    Filters,
    /// Response fields to return: a comma list or an array, each one of these.
    Fields(&'static [&'static str]),
    /// One value or several (a comma list or an array of strings), at most `max` values.
    Values {
        max: usize,
    },
    /// Token permission strings.
    Permissions,
    /// An array of ObjectIds.
    ObjectIds,
    /// An array of strings.
    Strings,
    /// A goal color of the palette ([`rules::GOAL_COLORS`]).
    Color,
    /// Funnel steps: 2–8 of `{ name, type: "pageview", url }` or `{ name, type: "goal", goalName }`.
    FunnelSteps,
    /// A nested object with its own fields.
    Object(&'static [Field]),
}

/// A string rule: the check from [`rules`] and the TypeScript type the value has.
#[derive(Clone, Copy, Debug)]
pub struct StrRule {
    pub check: fn(&str, &str) -> RuleResult<()>,
    pub ts: &'static str,
    /// What the string is (`objectId`, `uuid`, `email`…), for the JSON Schema catalogue
    /// (generated natively, like `doc`; not in the wasm binary).
    #[cfg(not(target_arch = "wasm32"))]
    pub format: &'static str,
}

const fn str_rule(check: fn(&str, &str) -> RuleResult<()>, ts: &'static str, _format: &'static str) -> Kind {
    Kind::Str(StrRule {
        check,
        ts,
        #[cfg(not(target_arch = "wasm32"))]
        format: _format,
    })
}

pub const OBJECT_ID: Kind = str_rule(rules::object_id, "string", "objectId");
pub const VISITOR_UUID: Kind = str_rule(rules::visitor_id, "string", "uuid");
pub const EMAIL: Kind = str_rule(|f, s| rules::email(f, s).map(drop), "string", "email");
pub const CURRENCY: Kind = str_rule(|f, s| rules::currency(f, s).map(drop), "string", "currency");
pub const TIMEZONE_NAME: Kind = str_rule(rules::timezone_name, "string", "timezone");
pub const DOMAIN: Kind = str_rule(|f, s| rules::domain(f, s).map(drop), "string", "hostname");
pub const TRANSACTION_ID: Kind = str_rule(|f, s| rules::transaction_id(f, s).map(drop), "string", "transactionId");
pub const USER_ID: Kind = str_rule(|f, s| rules::user_id(f, s).map(drop), "string", "userId");
pub const STRIPE_KEY: Kind = str_rule(rules::stripe_restricted_key, "`rk_live_${string}`", "stripeRestrictedKey");
pub const PADDLE_KEY: Kind = str_rule(rules::paddle_api_key, "`pdl_live_${string}`", "paddleApiKey");
pub const CREDENTIAL: Kind = str_rule(rules::integration_credential, "string", "credential");

/// One field of a call's input.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// `null` is a meaningful value (it clears the field), not just "absent".
    pub nullable: bool,
    /// One line for the TypeScript declaration (generated natively; not in the wasm binary).
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
}

/// A rule between fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Both or neither.
    Together(&'static str, &'static str),
    /// At least one of these (aliases of one field, or alternative filters).
    AtLeastOne(&'static [&'static str], &'static str),
    /// None of the second list when any of the first is given.
    Excludes(&'static [&'static str], &'static [&'static str]),
    /// Two spellings of one value that different server generations read: the client sends
    /// what was given under the first name under the second too (and the other way round).
    SentAs(&'static str, &'static str),
}

/// What to do with keys no [`Field`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// Refuse them: a misspelt parameter fails loudly instead of being ignored.
    Refuse,
    /// Keep them as profile fields (identify), under the metadata limits.
    Metadata,
}

/// The whole input of one endpoint.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Fields shared with other endpoints (the analytics query), stored once.
    pub shared: &'static [Field],
    pub fields: &'static [Field],
    pub rules: &'static [Rule],
    pub extra: Extra,
}

impl Params {
    /// Whether a call must pass a parameter object.
    pub fn required(&self) -> bool {
        self.all().any(|f| f.required) || self.rules.iter().any(|r| matches!(r, Rule::AtLeastOne(..)))
    }

    /// Every field, shared ones first.
    pub fn all(&self) -> impl Iterator<Item = &'static Field> {
        self.shared.iter().chain(self.fields)
    }

    pub fn is_empty(&self) -> bool {
        self.shared.is_empty() && self.fields.is_empty()
    }

    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.all().find(|f| f.name == name)
    }

    /// The values `fields` may take on this endpoint, if it has a `fields` parameter.
    pub fn valid_fields(&self) -> Option<&'static [&'static str]> {
        self.all().find_map(|f| match f.kind {
            Kind::Fields(list) => Some(list),
            _ => None,
        })
    }
}

// Docs feed the TypeScript generator, which runs natively; the wasm client never shows them,
// so they stay out of its binary.
const fn field(name: &'static str, kind: Kind, required: bool, nullable: bool, _doc: &'static str) -> Field {
    Field {
        name,
        kind,
        required,
        nullable,
        #[cfg(not(target_arch = "wasm32"))]
        doc: _doc,
    }
}
const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    field(name, kind, false, false, doc)
}
const fn req(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    field(name, kind, true, false, doc)
}
const fn nullable(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    field(name, kind, false, true, doc)
}
const fn params(fields: &'static [Field], rules: &'static [Rule]) -> Params {
    Params { shared: &[], fields, rules, extra: Extra::Refuse }
}
/// An analytics query: the shared fields plus the endpoint's own.
const fn query(shared: &'static [Field], fields: &'static [Field]) -> Params {
    Params { shared, fields, rules: DATES, extra: Extra::Refuse }
}
const NONE: Params = params(&[], &[]);

// ---- analytics queries (CONTRACT.md 3) ----

const START_AT: Field =
    opt("startAt", Kind::Date, "`YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`.");
const END_AT: Field = opt("endAt", Kind::Date, "Inclusive end, same forms as `startAt`; with `startAt`.");
const TIMEZONE: Field = opt("timezone", TIMEZONE_NAME, "IANA time zone for dates and buckets; default the website's.");
const FILTERS: Field = opt(
    "filters",
    Kind::Filters,
    "`{ country: \"US\", page: { contains: \"/docs\" } }`; several values are OR-ed, filters AND-ed.",
);
const LIMIT: Field =
    opt("limit", Kind::Int { min: 1, max: rules::BREAKDOWN_LIMIT_MAX }, "Rows per page, 1–1000 (default 100).");
const OFFSET: Field = opt("offset", Kind::Offset, "Rows to skip (default 0).");
const DATES: &[Rule] = &[Rule::Together("startAt", "endAt")];
/// Dates, time zone and filters (overview, funnel analytics).
const FILTERED: &[Field] = &[START_AT, END_AT, TIMEZONE, FILTERS];
/// The same plus paging (breakdowns, timeseries).
const PAGED: &[Field] = &[START_AT, END_AT, TIMEZONE, FILTERS, LIMIT, OFFSET];

const fn fields(list: &'static [&'static str]) -> Field {
    opt("fields", Kind::Fields(list), "Only these fields (default all).")
}

/// A breakdown (CONTRACT.md W06–W16): dates, timezone, filters, paging and `fields` = its
/// dimension keys plus the metric columns.
macro_rules! breakdown {
    ($($key:literal),*) => {
        params(
            &[START_AT, END_AT, TIMEZONE, FILTERS, LIMIT, OFFSET,
              fields(&[$($key,)* "visitors", "revenue", "payments"])],
            DATES,
        )
    };
}

pub const OVERVIEW_FIELDS: &[&str] = &[
    "visitors",
    "sessions",
    "bounce_rate",
    "avg_session_duration",
    "currency",
    "revenue",
    "payments",
    "revenue_per_visitor",
    "conversion_rate",
];
pub const TIMESERIES_FIELDS: &[&str] = &["name", "visitors", "sessions", "revenue", "payments", "conversion_rate"];
pub const TIMESERIES_INTERVALS: &[&str] = &["hour", "day", "week", "month"];
pub const METADATA_FIELDS: &[&str] = &["domain", "timezone", "name", "logo", "kpiColorScheme", "kpi", "currency"];
pub const GOALS_BREAKDOWN_FIELDS: &[&str] = &["name", "completions", "visitors"];
pub const KPI_COLOR_SCHEMES: &[&str] =
    &["red", "orange", "yellow", "green", "purple", "pink", "gray", "blue", "teal", "indigo"];
/// Visitors list: most comma-separated values one filter may carry.
pub const VISITOR_FILTER_VALUES_MAX: usize = 50;
pub const VISITORS_LIMIT_MAX: u32 = 250;
/// Free-text fields the docs give no limit for (descriptions, customer names): generous.
const TEXT_MAX: usize = 2048;

const ANY_TEXT: Kind = Kind::Text { min: 0, max: TEXT_MAX };
const NAME_TEXT: Kind = Kind::Text { min: 1, max: TEXT_MAX };
const GOAL: Kind = Kind::GoalName { max: rules::GOAL_NAME_MAX };
const VALUES: Kind = Kind::Values { max: VISITOR_FILTER_VALUES_MAX };
const DIM: &str = "Exact value(s), OR-ed; at most 50.";

const VISITOR_ID: Field = opt("datafast_visitor_id", VISITOR_UUID, "The visitor's `datafast_visitor_id` cookie.");
const VISITOR_ALIAS: Field = opt("visitorId", VISITOR_UUID, "Alias of `datafast_visitor_id`.");
const NEEDS_VISITOR: Rule = Rule::AtLeastOne(&["datafast_visitor_id", "visitorId"], "the visitor's UUID");
/// Payments name the visitor without a documented format (the docs' own example is
/// `abc123`): any non-blank id, so a payment from another tracker's cookie is not refused.
const PAYMENT_VISITOR_ID: Kind = Kind::Text { min: 1, max: rules::CUSTOMER_TEXT_MAX };
const PAYMENT_VISITOR: Field =
    opt("datafast_visitor_id", PAYMENT_VISITOR_ID, "The visitor's `datafast_visitor_id` cookie, for attribution.");
const PAYMENT_VISITOR_ALIAS: Field = opt("visitorId", PAYMENT_VISITOR_ID, "Alias of `datafast_visitor_id`.");

const fn window(name: &'static str, doc: &'static str) -> Field {
    opt(name, Kind::Date, doc)
}
/// Deletes take a window as `startAt/endAt` (older docs) or `start/end` (newer docs); the
/// client sends both spellings so either server generation reads it.
const DELETE_WINDOW: [Field; 4] = [
    window("startAt", "Window start (ISO); with `endAt`. Sent as `start` too."),
    window("endAt", "Window end (ISO); with `startAt`. Sent as `end` too."),
    window("start", "Same as `startAt`."),
    window("end", "Same as `endAt`."),
];
const DELETE_WINDOW_RULES: [Rule; 4] = [
    Rule::Together("startAt", "endAt"),
    Rule::Together("start", "end"),
    Rule::SentAs("startAt", "start"),
    Rule::SentAs("endAt", "end"),
];

const ALERT_TRIGGER: &[Field] = &[
    req("goalName", GOAL, "The goal whose completion sends the alert (lowercased and trimmed)."),
    opt("type", Kind::OneOf(&["goal"]), "Always `goal`, as alert records show it."),
];
/// Where alerts go: only e-mail to the website owner; accepted so a record read back can be sent again.
const ALERT_DESTINATION: &[Field] = &[req("type", Kind::OneOf(&["email"]), "Always `email`.")];
const ALERT_SUBJECT: Field = nullable(
    "subject",
    Kind::Text { min: 0, max: rules::ALERT_SUBJECT_MAX },
    "E-mail subject; a default when omitted.",
);
const ALERT_TEMPLATE_CREATE: &[Field] = &[
    ALERT_SUBJECT,
    req(
        "message",
        Kind::Text { min: rules::ALERT_MESSAGE_MIN, max: rules::ALERT_MESSAGE_MAX },
        "E-mail text, 10–2000 characters.",
    ),
];
const ALERT_TEMPLATE_UPDATE: &[Field] = &[
    ALERT_SUBJECT,
    opt(
        "message",
        Kind::Text { min: rules::ALERT_MESSAGE_MIN, max: rules::ALERT_MESSAGE_MAX },
        "E-mail text, 10–2000 characters.",
    ),
];
const ALERT_NAME: Kind = Kind::Text { min: 1, max: rules::ALERT_NAME_MAX };
const FUNNEL_NAME: Kind = Kind::Text { min: 1, max: rules::FUNNEL_NAME_MAX };
const STEPS_DOC: &str = "2–8 steps: `{ name, type: \"pageview\", url }` or `{ name, type: \"goal\", goalName }`.";

/// The input of every endpoint: a `match` without a default arm, so a route added to the
/// registry without its parameters does not compile.
pub fn of_endpoint(key: EndpointId) -> &'static Params {
    /// A `'static` reference to a table entry built by `const fn`s.
    macro_rules! table {
        ($params:expr) => {{
            const PARAMS: Params = $params;
            &PARAMS
        }};
    }
    use EndpointId::*;
    match key {
        AnalyticsOverview => table!(query(FILTERED, &[fields(OVERVIEW_FIELDS)])),
        AnalyticsTimeseries => table!(query(
            PAGED,
            &[
                req("fields", Kind::Fields(TIMESERIES_FIELDS), "Metrics per bucket (`revenue` adds `payments`)."),
                req("interval", Kind::OneOf(TIMESERIES_INTERVALS), "Bucket size; a one-day range becomes `hour`."),
            ],
        )),
        AnalyticsRealtime => table!(params(&[fields(&["visitors"])], &[])),
        AnalyticsRealtimeMap => &NONE,
        AnalyticsMetadata => table!(params(&[fields(METADATA_FIELDS)], &[])),
        AnalyticsPages => table!(breakdown!("hostname", "path")),
        AnalyticsReferrers => table!(breakdown!("referrer")),
        AnalyticsCountries => table!(breakdown!("country", "image")),
        AnalyticsRegions => table!(breakdown!("region")),
        AnalyticsCities => table!(breakdown!("city")),
        AnalyticsDevices => table!(breakdown!("device")),
        AnalyticsBrowsers => table!(breakdown!("browser")),
        AnalyticsOperatingSystems => table!(breakdown!("operating_system")),
        AnalyticsCampaigns => table!(breakdown!(
            "campaign",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content",
            "ref",
            "source",
            "via"
        )),
        AnalyticsHostnames => table!(breakdown!("hostname")),
        AnalyticsGoals => table!(query(PAGED, &[fields(GOALS_BREAKDOWN_FIELDS)])),
        AnalyticsFunnel => table!(query(FILTERED, &[])),
        VisitorsList => table!(params(
            &[
                START_AT,
                END_AT,
                TIMEZONE,
                opt("limit", Kind::Int { min: 1, max: VISITORS_LIMIT_MAX }, "Rows per page, 1–250 (default 100)."),
                OFFSET,
                opt("visitedPage", VALUES, "Visited this exact path (several OR-ed; alias `page`)."),
                opt("page", VALUES, "Alias of `visitedPage`."),
                opt("visitedPageContains", NAME_TEXT, "Visited a path containing this (alias `pageContains`)."),
                opt("pageContains", NAME_TEXT, "Alias of `visitedPageContains`."),
                opt("completedGoal", GOAL, "Completed this goal (alias `goal`); not with `isCustomer`."),
                opt("goal", GOAL, "Alias of `completedGoal`."),
                opt("isCustomer", Kind::Bool, "With (true) or without (false) payments (alias `hasRevenue`)."),
                opt("hasRevenue", Kind::Bool, "Alias of `isCustomer`."),
                opt("country", VALUES, "Country name(s) or ISO code(s), OR-ed; at most 50."),
                opt("region", VALUES, DIM),
                opt("city", VALUES, DIM),
                opt("browser", VALUES, DIM),
                opt("os", VALUES, DIM),
                opt("device", VALUES, "`desktop`, `mobile` or `tablet` (several OR-ed)."),
                opt("referrer", VALUES, DIM),
                opt("hostname", VALUES, DIM),
                opt("utm_source", VALUES, DIM),
                opt("utm_medium", VALUES, DIM),
                opt("utm_campaign", VALUES, DIM),
                opt("utm_term", VALUES, DIM),
                opt("utm_content", VALUES, DIM),
                opt("ref", VALUES, DIM),
                opt("source", VALUES, DIM),
                opt("via", VALUES, DIM),
            ],
            &[
                Rule::Together("startAt", "endAt"),
                Rule::Excludes(&["completedGoal", "goal"], &["isCustomer", "hasRevenue"]),
            ],
        )),
        VisitorsGet => &NONE,
        GoalsCreate => table!(params(
            &[
                VISITOR_ID,
                VISITOR_ALIAS,
                req("name", GOAL, "Lowercase a–z, 0–9, `_`, `-`, `:`; ≤ 64; spaces become `_`; not `identify`."),
                opt("description", ANY_TEXT, "Stored with the event."),
                opt("metadata", Kind::Metadata, "≤ 10 keys matching `^[a-z0-9_-]+$`; string values ≤ 255 characters."),
            ],
            &[NEEDS_VISITOR],
        )),
        GoalsDelete => table!(params(
            &[
                VISITOR_ID,
                VISITOR_ALIAS,
                opt("name", GOAL, "Delete goals of this name."),
                DELETE_WINDOW[0],
                DELETE_WINDOW[1],
                DELETE_WINDOW[2],
                DELETE_WINDOW[3],
            ],
            &[
                DELETE_WINDOW_RULES[0],
                DELETE_WINDOW_RULES[1],
                DELETE_WINDOW_RULES[2],
                DELETE_WINDOW_RULES[3],
                Rule::AtLeastOne(
                    &["datafast_visitor_id", "visitorId", "name", "startAt", "start"],
                    "a visitor, a goal name or a window",
                ),
            ],
        )),
        PaymentsCreate => table!(params(
            &[
                req("amount", Kind::Amount, "Major units (29.99); 0 records a free trial."),
                req("currency", CURRENCY, "ISO 4217 code (`USD`)."),
                req("transaction_id", TRANSACTION_ID, "Idempotency key: posting it again records nothing new."),
                PAYMENT_VISITOR,
                PAYMENT_VISITOR_ALIAS,
                opt("email", EMAIL, "Customer e-mail."),
                opt("customer_email", EMAIL, "Alias of `email`."),
                opt("name", ANY_TEXT, "Customer name."),
                opt("customer_name", ANY_TEXT, "Alias of `name`."),
                opt("customer_id", ANY_TEXT, "Your customer id."),
                opt("renewal", Kind::Bool, "A subscription renewal (default false)."),
                opt("refunded", Kind::Bool, "A refund (default false)."),
                opt("is_free_trial", Kind::Bool, "A free trial (also implied by amount 0)."),
                opt("timestamp", Kind::Date, "When it happened (ISO); default now."),
            ],
            &[],
        )),
        PaymentsDelete => table!(params(
            &[
                opt("transaction_id", TRANSACTION_ID, "Delete this one payment (other parameters are then ignored)."),
                opt("tx_id", TRANSACTION_ID, "Alias of `transaction_id`."),
                PAYMENT_VISITOR,
                PAYMENT_VISITOR_ALIAS,
                DELETE_WINDOW[0],
                DELETE_WINDOW[1],
                DELETE_WINDOW[2],
                DELETE_WINDOW[3],
            ],
            &[
                DELETE_WINDOW_RULES[0],
                DELETE_WINDOW_RULES[1],
                DELETE_WINDOW_RULES[2],
                DELETE_WINDOW_RULES[3],
                Rule::AtLeastOne(
                    &["transaction_id", "tx_id", "datafast_visitor_id", "visitorId", "startAt", "start"],
                    "a transaction, a visitor or a window",
                ),
            ],
        )),
        Identify => table!(Params {
            shared: &[],
            fields: &[req("user_id", USER_ID, "Your user id, 1–255 characters."), VISITOR_ID, VISITOR_ALIAS],
            rules: &[NEEDS_VISITOR],
            extra: Extra::Metadata,
        }),
        AdminAccountGet => &NONE,
        AdminAccountUpdate => table!(params(
            &[req("name", Kind::Text { min: 1, max: rules::ACCOUNT_NAME_MAX }, "1–100 characters.")],
            &[]
        )),
        AdminTokensList => &NONE,
        AdminTokensCreate => table!(params(
            &[
                nullable("name", ANY_TEXT, "A label."),
                opt("permissions", Kind::Permissions, "Default `[\"*\"]`; at most the caller's own."),
                opt("websiteIds", Kind::ObjectIds, "Allowed websites; `[]` (default) = all the caller can reach."),
            ],
            &[],
        )),
        AdminTokensDelete => &NONE,
        AdminWebsitesList => &NONE,
        AdminWebsitesCreate => table!(params(
            &[
                req("domain", DOMAIN, "Bare domain such as `example.com`, no scheme."),
                req("timezone", TIMEZONE_NAME, "IANA time zone."),
                opt("name", ANY_TEXT, "Display name."),
            ],
            &[],
        )),
        AdminWebsitesGet => &NONE,
        AdminWebsitesUpdate => table!(params(
            &[
                opt("domain", DOMAIN, "Bare domain."),
                nullable("name", ANY_TEXT, "Display name; null clears it."),
                opt("timezone", TIMEZONE_NAME, "IANA time zone."),
                opt("currency", CURRENCY, "ISO 4217 code."),
                nullable("kpi", ANY_TEXT, "A tracked goal name."),
                opt("kpiColorScheme", Kind::OneOf(KPI_COLOR_SCHEMES), "Dashboard color."),
                opt("revenueMetric", Kind::OneOf(&["revenue", "mrr"]), "Revenue shown as total or MRR."),
                opt("sendWeeklyReports", Kind::Bool, ""),
                opt("sendViralTrafficAlerts", Kind::Bool, ""),
                opt("isPublicDashboardEnabled", Kind::Bool, ""),
                opt("isPublicDataEnabled", Kind::Bool, ""),
                opt("isCookieless", Kind::Bool, ""),
                opt("isAttackModeEnabled", Kind::Bool, ""),
                opt("includeRenewalRevenue", Kind::Bool, ""),
                opt("isAllHostnamesAllowed", Kind::Bool, ""),
                opt("allowedHostnames", Kind::Strings, ""),
                opt("excludedIps", Kind::Strings, ""),
                opt("excludedPaths", Kind::Strings, ""),
                opt("excludedCountries", Kind::Strings, ""),
                opt("excludedHostnames", Kind::Strings, ""),
            ],
            &[],
        )),
        AdminWebsitesDelete => &NONE,
        AdminApikeysList => &NONE,
        AdminApikeysCreate => table!(params(&[nullable("name", ANY_TEXT, "A label.")], &[])),
        AdminApikeysRoll => &NONE,
        AdminApikeysDelete => &NONE,
        AdminGoalsTracked => &NONE,
        AdminGoalsCustomizationsList => {
            table!(params(&[opt("goalName", GOAL, "Only this goal's customization.")], &[]))
        }
        AdminGoalsCustomizationsUpdate => table!(params(
            &[
                req("goalName", GOAL, "The goal to customize."),
                nullable("displayName", Kind::Text { min: 0, max: rules::GOAL_DISPLAY_NAME_MAX }, "≤ 80; null clears."),
                nullable("color", Kind::Color, "A palette color (see `colors` of the list); null clears."),
                nullable("description", Kind::Text { min: 0, max: rules::GOAL_DESCRIPTION_MAX }, "≤ 300; null clears."),
            ],
            &[Rule::AtLeastOne(&["displayName", "color", "description"], "something to change")],
        )),
        AdminGoalsCustomizationsDelete => {
            table!(params(&[req("goalName", GOAL, "The goal whose customization to delete.")], &[]))
        }
        AdminFunnelsList => &NONE,
        AdminFunnelsCreate => table!(params(
            &[req("name", FUNNEL_NAME, "Unique per website."), req("steps", Kind::FunnelSteps, STEPS_DOC)],
            &[]
        )),
        AdminFunnelsUpdate => table!(params(
            &[
                opt("name", FUNNEL_NAME, "Unique per website."),
                opt("steps", Kind::FunnelSteps, STEPS_DOC),
                opt("isActive", Kind::Bool, "false hides the funnel, true brings it back."),
            ],
            &[],
        )),
        AdminFunnelsDelete => &NONE,
        AdminAlertsList => &NONE,
        AdminAlertsCreate => table!(params(
            &[
                req("name", ALERT_NAME, "1–100 characters."),
                req("trigger", Kind::Object(ALERT_TRIGGER), "`{ goalName }`."),
                req("template", Kind::Object(ALERT_TEMPLATE_CREATE), "`{ subject?, message }`."),
                opt("isEnabled", Kind::Bool, "Default true."),
                opt("destination", Kind::Object(ALERT_DESTINATION), "`{ type: \"email\" }` (the only one)."),
            ],
            &[],
        )),
        AdminAlertsUpdate => table!(params(
            &[
                opt("name", ALERT_NAME, "1–100 characters."),
                opt("trigger", Kind::Object(ALERT_TRIGGER), "`{ goalName }`."),
                opt("template", Kind::Object(ALERT_TEMPLATE_UPDATE), "`{ subject?, message? }`."),
                opt("isEnabled", Kind::Bool, ""),
                opt("destination", Kind::Object(ALERT_DESTINATION), "`{ type: \"email\" }` (the only one)."),
            ],
            &[],
        )),
        AdminAlertsDelete => &NONE,
        AdminAlertsHistory => table!(params(
            &[
                opt("alertId", OBJECT_ID, "Only this alert's history."),
                opt("limit", Kind::Int { min: 1, max: rules::ALERT_HISTORY_LIMIT_MAX }, "Entries, 1–100 (default 50)."),
            ],
            &[],
        )),
        AdminTeamList => &NONE,
        AdminTeamInvite => table!(params(
            &[
                req("email", EMAIL, "Who to invite."),
                opt("role", Kind::OneOf(&["viewer", "member"]), "Default `viewer`."),
            ],
            &[],
        )),
        AdminTeamRemove => table!(params(&[req("userId", OBJECT_ID, "A member's `userId` from the team list.")], &[])),
        AdminIntegrationsGet => &NONE,
        AdminIntegrationsStripeConnect => table!(params(
            &[req("stripeRak", STRIPE_KEY, "A live Stripe restricted key (`rk_live_…`); never echoed back.")],
            &[]
        )),
        AdminIntegrationsStripeDisconnect => &NONE,
        AdminIntegrationsLemonsqueezyConnect => table!(params(
            &[
                req("lemonsqueezyApiKey", CREDENTIAL, "Lemon Squeezy API key; never echoed back."),
                req("lemonsqueezyStoreId", CREDENTIAL, "Store id."),
            ],
            &[],
        )),
        AdminIntegrationsLemonsqueezyDisconnect => &NONE,
        AdminIntegrationsPolarConnect => table!(params(
            &[
                req("polarAccessToken", CREDENTIAL, "Polar access token; never echoed back."),
                req("polarOrgId", CREDENTIAL, "Organization id."),
            ],
            &[],
        )),
        AdminIntegrationsPolarDisconnect => &NONE,
        AdminIntegrationsPaddleConnect => {
            table!(params(&[req("paddleApiKey", PADDLE_KEY, "A live Paddle API key (`pdl_live_…`).")], &[]))
        }
        AdminIntegrationsPaddleDisconnect => &NONE,
        AdminIntegrationsShopifyDisconnect => &NONE,
        AdminIntegrationsWoocommerceDisconnect => &NONE,
    }
}

/// The input of the endpoint with the dotted id `id` (no fields for an id the registry does
/// not have: callers that hold an [`crate::Endpoint`] use [`crate::Endpoint::params`]).
pub fn of(id: &str) -> &'static Params {
    crate::registry::find(id).map_or(&NONE, |ep| ep.params())
}

// ---- checking ----

/// A read-only view of a JSON-like input, so the same checks run on the client's value tree
/// and on `serde_json::Value` in the emulator.
pub trait Input: Sized {
    fn is_null(&self) -> bool;
    fn as_str(&self) -> Option<&str>;
    fn as_f64(&self) -> Option<f64>;
    fn as_bool(&self) -> Option<bool>;
    fn items(&self) -> Option<Vec<&Self>>;
    fn entries(&self) -> Option<Vec<(&str, &Self)>>;
    /// "a string", "an array", … for messages.
    fn type_name(&self) -> &'static str;
}

/// The emulator's view: request bodies as `serde_json` parses them (native only; the wasm
/// client has its own value tree).
#[cfg(not(target_arch = "wasm32"))]
impl Input for serde_json::Value {
    fn is_null(&self) -> bool {
        self.is_null()
    }
    fn as_str(&self) -> Option<&str> {
        self.as_str()
    }
    fn as_f64(&self) -> Option<f64> {
        self.as_f64()
    }
    fn as_bool(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<Vec<&Self>> {
        self.as_array().map(|items| items.iter().collect())
    }
    fn entries(&self) -> Option<Vec<(&str, &Self)>> {
        self.as_object().map(|map| map.iter().map(|(k, v)| (k.as_str(), v)).collect())
    }
    fn type_name(&self) -> &'static str {
        match self {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        }
    }
}

fn present<'a, I: Input>(entries: &[(&str, &'a I)], name: &str) -> Option<&'a I> {
    entries.iter().find(|(k, v)| *k == name && !v.is_null()).map(|(_, v)| *v)
}

fn must_be<I: Input>(field: &str, expected: &str, got: &I) -> RuleViolation {
    RuleViolation::new(field, format!("must be {expected}, got {}", got.type_name()))
}

/// Checks a call's input against the endpoint's [`Params`]; `input` is `None` when the caller
/// passed nothing. The first broken rule is returned, naming its field.
pub fn check<I: Input>(endpoint_id: &str, spec: &Params, input: Option<&I>) -> RuleResult<()> {
    let entries = match input {
        None => Vec::new(),
        Some(v) if v.is_null() => Vec::new(),
        Some(v) => v.entries().ok_or_else(|| must_be("params", "an object", v))?,
    };
    check_object(endpoint_id, "", &[spec.shared, spec.fields], spec.extra, &entries)?;
    for rule in spec.rules {
        check_rule(rule, spec, &entries)?;
    }
    Ok(())
}

fn check_object<I: Input>(
    endpoint_id: &str,
    prefix: &str,
    groups: &[&[Field]],
    extra: Extra,
    entries: &[(&str, &I)],
) -> RuleResult<()> {
    let fields = || groups.iter().flat_map(|g| g.iter());
    let path = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
    let mut extras = Vec::new();
    for (key, value) in entries {
        match fields().find(|f| f.name == *key) {
            Some(field) if value.is_null() => {
                if field.required {
                    return Err(RuleViolation::new(path(key), "is required (got null)"));
                }
            }
            Some(field) => check_kind(&path(key), field.kind, *value)?,
            // Numbers and booleans are stored as text; their length never matters.
            None if extra == Extra::Metadata && prefix.is_empty() => {
                let scalar = value.as_f64().is_some() || value.as_bool().is_some();
                extras.push((*key, if scalar { Some("") } else { value.as_str() }))
            }
            None if *key == "websiteId" && prefix.is_empty() => {
                return Err(RuleViolation::new(
                    "websiteId",
                    "is not a call parameter: pass it once in the client options (`websiteId`)",
                ))
            }
            None => {
                let known: Vec<&str> = fields().map(|f| f.name).collect();
                let rule = if known.is_empty() {
                    format!("is not a parameter of {endpoint_id}, which takes none")
                } else {
                    format!("is not a parameter of {endpoint_id}; expected one of {}", known.join(", "))
                };
                return Err(RuleViolation::new(path(key), rule));
            }
        }
    }
    if !extras.is_empty() {
        rules::identify_fields(extras)?;
    }
    for field in fields().filter(|f| f.required) {
        if present(entries, field.name).is_none() {
            return Err(RuleViolation::new(path(field.name), "is required"));
        }
    }
    Ok(())
}

fn check_rule<I: Input>(rule: &Rule, spec: &Params, entries: &[(&str, &I)]) -> RuleResult<()> {
    let has = |name: &str| present(entries, name).is_some();
    // For "at least one", an explicit `null` on a nullable field counts: it clears that field.
    let given = |name: &str| {
        has(name) || (spec.field(name).is_some_and(|f| f.nullable) && entries.iter().any(|(k, _)| *k == name))
    };
    match *rule {
        Rule::Together(a, b) => match (has(a), has(b)) {
            (true, false) => Err(RuleViolation::new(b, format!("is required when {a} is given"))),
            (false, true) => Err(RuleViolation::new(a, format!("is required when {b} is given"))),
            _ => Ok(()),
        },
        Rule::AtLeastOne(names, what) => {
            if names.iter().any(|n| given(n)) {
                Ok(())
            } else {
                let first = names.first().copied().unwrap_or("params");
                Err(RuleViolation::new(first, format!("is required: give {what} ({})", names.join(" or "))))
            }
        }
        // What the client adds; a server reads either spelling.
        Rule::SentAs(..) => Ok(()),
        Rule::Excludes(these, others) => {
            let given = these.iter().find(|n| has(n));
            let clash = others.iter().find(|n| has(n));
            match (given, clash) {
                (Some(g), Some(c)) => Err(RuleViolation::new(*c, format!("cannot be combined with {g}"))),
                _ => Ok(()),
            }
        }
    }
}

fn text<'v, I: Input>(field: &str, v: &'v I) -> RuleResult<&'v str> {
    v.as_str().ok_or_else(|| must_be(field, "a string", v))
}

fn whole_number<I: Input>(field: &str, v: &I) -> RuleResult<f64> {
    v.as_f64().ok_or_else(|| must_be(field, "a number", v))
}

/// A list given as an array of strings or as one comma-separated string.
fn list_items<'v, I: Input>(field: &str, v: &'v I) -> RuleResult<Vec<&'v str>> {
    if let Some(s) = v.as_str() {
        return Ok(s.split(',').map(str::trim).collect());
    }
    let items = v.items().ok_or_else(|| must_be(field, "a string or an array of strings", v))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| item.as_str().ok_or_else(|| must_be(&format!("{field}[{i}]"), "a string", *item)))
        .collect()
}

fn array_of_strings<'v, I: Input>(field: &str, v: &'v I) -> RuleResult<Vec<&'v str>> {
    if v.items().is_none() {
        return Err(must_be(field, "an array of strings", v));
    }
    list_items(field, v)
}

fn check_kind<I: Input>(field: &str, kind: Kind, v: &I) -> RuleResult<()> {
    match kind {
        Kind::Text { min, max } => {
            let n = text(field, v)?.trim().chars().count();
            if n < min {
                return Err(RuleViolation::new(
                    field,
                    if min == 1 {
                        "must not be empty".to_string()
                    } else {
                        format!("must be at least {min} characters")
                    },
                ));
            }
            if n > max {
                return Err(RuleViolation::new(field, format!("must be at most {max} characters")));
            }
        }
        Kind::OneOf(options) => {
            let s = text(field, v)?;
            if !options.contains(&s) {
                return Err(RuleViolation::new(field, format!("must be one of {}", options.join(", "))));
            }
        }
        Kind::Bool => {
            v.as_bool().ok_or_else(|| must_be(field, "a boolean", v))?;
        }
        Kind::Int { min, max } => {
            let n = whole_number(field, v)?;
            if n.fract() != 0.0 || n < f64::from(min) || n > f64::from(max) {
                return Err(RuleViolation::new(field, format!("must be a whole number from {min} to {max}")));
            }
        }
        Kind::Offset => {
            rules::offset(field, whole_number(field, v)?)?;
        }
        Kind::Amount => {
            rules::payment_amount(field, whole_number(field, v)?)?;
        }
        Kind::Date => rules::date(field, text(field, v)?)?,
        Kind::GoalName { max } => {
            rules::goal_name(field, text(field, v)?, max)?;
        }
        Kind::Str(rule) => (rule.check)(field, text(field, v)?)?,
        Kind::Metadata => {
            let entries = v.entries().ok_or_else(|| must_be(field, "an object", v))?;
            rules::metadata(field, entries.iter().map(|(k, v)| (*k, v.as_str())))?;
        }
        Kind::Filters => {
            // Dimensions and operators are checked where the client encodes them.
            v.entries().ok_or_else(|| must_be(field, "an object of filter conditions", v))?;
        }
        Kind::Fields(valid) => {
            let items = list_items(field, v)?;
            if items.is_empty() || items.iter().any(|s| s.is_empty()) {
                return Err(RuleViolation::new(field, "must name at least one field"));
            }
            if let Some(bad) = items.iter().find(|s| !valid.contains(s)) {
                return Err(RuleViolation::new(
                    field,
                    format!("has unknown field `{bad}`; valid: {}", valid.join(", ")),
                ));
            }
        }
        Kind::Values { max } => {
            let items = if v.as_f64().is_some() || v.as_bool().is_some() { Vec::new() } else { list_items(field, v)? };
            if items.iter().any(|s| s.is_empty()) {
                return Err(RuleViolation::new(field, "must not contain empty values"));
            }
            if items.len() > max {
                return Err(RuleViolation::new(field, format!("may list at most {max} values")));
            }
        }
        Kind::Permissions => {
            rules::permissions(field, array_of_strings(field, v)?)?;
        }
        Kind::ObjectIds => {
            for (i, id) in array_of_strings(field, v)?.into_iter().enumerate() {
                rules::object_id(&format!("{field}[{i}]"), id)?;
            }
        }
        Kind::Strings => {
            array_of_strings(field, v)?;
        }
        Kind::Color => {
            rules::goal_color(field, text(field, v)?)?;
        }
        Kind::FunnelSteps => {
            let steps = v.items().ok_or_else(|| must_be(field, "an array of steps", v))?;
            rules::funnel_step_count(field, steps.len())?;
            for (i, step) in steps.iter().enumerate() {
                check_funnel_step(&format!("{field}[{i}]"), *step)?;
            }
        }
        Kind::Object(fields) => {
            let entries = v.entries().ok_or_else(|| must_be(field, "an object", v))?;
            check_object("", field, &[fields], Extra::Refuse, &entries)?;
        }
    }
    Ok(())
}

const PAGEVIEW_STEP: &[Field] = &[
    req("name", FUNNEL_NAME, ""),
    req("type", Kind::OneOf(&["pageview", "goal"]), ""),
    req("url", NAME_TEXT, ""),
    opt("id", ANY_TEXT, ""),
];
const GOAL_STEP: &[Field] = &[
    req("name", FUNNEL_NAME, ""),
    req("type", Kind::OneOf(&["pageview", "goal"]), ""),
    req("goalName", Kind::GoalName { max: rules::FUNNEL_STEP_GOAL_NAME_MAX }, ""),
    opt("id", ANY_TEXT, ""),
];

/// A funnel step: its `type` decides whether `url` or `goalName` is required.
fn check_funnel_step<I: Input>(field: &str, step: &I) -> RuleResult<()> {
    let entries = step.entries().ok_or_else(|| must_be(field, "an object", step))?;
    let kind = match present(&entries, "type") {
        None => return Err(RuleViolation::new(format!("{field}.type"), "is required (pageview or goal)")),
        Some(t) => text(&format!("{field}.type"), t)?,
    };
    let fields = match kind {
        "pageview" => PAGEVIEW_STEP,
        "goal" => GOAL_STEP,
        _ => return Err(RuleViolation::new(format!("{field}.type"), "must be one of pageview, goal")),
    };
    check_object("", field, &[fields], Extra::Refuse, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ENDPOINTS;

    #[test]
    fn bodies_of_writes_are_described() {
        // A POST/PUT/PATCH without fields is one that takes no body: say so explicitly.
        let no_body = ["admin.apikeys.roll"];
        for ep in ENDPOINTS.iter().filter(|e| e.has_body() && !no_body.contains(&e.id)) {
            assert!(!of(ep.id).is_empty(), "{} takes a body but lists no fields", ep.id);
        }
    }

    #[test]
    fn rules_name_declared_fields() {
        for ep in ENDPOINTS {
            let (id, p) = (ep.id, ep.params());
            let names: Vec<&str> = p.all().map(|f| f.name).collect();
            for rule in p.rules {
                let used: Vec<&str> = match *rule {
                    Rule::Together(a, b) => vec![a, b],
                    Rule::AtLeastOne(n, _) => n.to_vec(),
                    Rule::Excludes(a, b) => a.iter().chain(b).copied().collect(),
                    Rule::SentAs(a, b) => vec![a, b],
                };
                for n in used {
                    assert!(names.contains(&n), "{id}: rule names undeclared field {n}");
                }
            }
        }
    }
}
