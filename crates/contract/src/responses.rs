//! What every endpoint answers, declared once: the client's TypeScript result types are
//! generated from these declarations (`src/typescript.rs` → `src/wasm/results.d.ts`) and the
//! emulator's tests check every success they receive against them ([`check`]).
//!
//! Native only: the wasm client hands response bodies to JS untouched (DESIGN.md) and never
//! reads a declaration.

use crate::registry::{Endpoint, EndpointId, ResultShape};
use serde_json::Value;

/// A value's type, in the terms TypeScript needs.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Str,
    Num,
    Bool,
    /// Anything (`unknown`).
    Unknown,
    /// One of these strings.
    Lit(&'static [&'static str]),
    /// A named interface.
    Ref(&'static Interface),
    /// An object written in place.
    Obj(&'static [Prop]),
    Arr(&'static Ty),
    /// `Record<string, T>`.
    Map(&'static Ty),
    /// `T | null`.
    Null(&'static Ty),
    /// A type alias declared elsewhere (`Permission`), checked as the given type.
    Alias(&'static str, &'static Ty),
    /// One of several (`{ name } | string | null`).
    Either(&'static [Ty]),
    /// The request never succeeds (`never`).
    Never,
}

/// One property of an object.
#[derive(Clone, Copy, Debug)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    /// May be absent.
    pub optional: bool,
    pub doc: &'static str,
}

/// A named object type (`export interface Name`).
#[derive(Debug)]
pub struct Interface {
    pub name: &'static str,
    pub doc: &'static str,
    /// Properties it inherits from another interface.
    pub extends: Option<&'static Interface>,
    /// A page: `Page<row>` (the client's page type) plus these siblings of `data`.
    pub page_of: Option<&'static Interface>,
    pub props: &'static [Prop],
    /// Keys beyond `props` are expected (the API may add keys and documents some loosely).
    pub open: bool,
    /// The request's `fields` narrows it: any property may be absent.
    pub narrowed: bool,
}

/// What a successful call hands back (the client's result), per endpoint.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// One object.
    One(Ty),
    /// An array.
    List(Ty),
    /// A page of rows: `Page<Row>`, or an interface extending it with siblings.
    Page(&'static Interface),
    /// The body itself (an envelope with siblings, or a bare body).
    Body(&'static Interface),
    Never,
}

const fn p(name: &'static str, ty: Ty) -> Prop {
    Prop { name, ty, optional: false, doc: "" }
}
const fn opt(name: &'static str, ty: Ty) -> Prop {
    Prop { name, ty, optional: true, doc: "" }
}
const fn doc(mut prop: Prop, doc: &'static str) -> Prop {
    prop.doc = doc;
    prop
}
const fn interface(name: &'static str, props: &'static [Prop]) -> Interface {
    Interface { name, doc: "", extends: None, page_of: None, props, open: false, narrowed: false }
}
/// A row or object whose properties `fields` picks.
const fn narrowed(name: &'static str, props: &'static [Prop]) -> Interface {
    Interface { narrowed: true, ..interface(name, props) }
}
/// `props` on top of `base`'s.
const fn extending(name: &'static str, base: &'static Interface, props: &'static [Prop]) -> Interface {
    Interface { extends: Some(base), ..interface(name, props) }
}
/// A page of `row`s with `props` beside `data`.
const fn page_of(name: &'static str, row: &'static Interface, props: &'static [Prop]) -> Interface {
    Interface { page_of: Some(row), ..interface(name, props) }
}
/// Keys beyond `props` expected.
const fn open(interface: Interface) -> Interface {
    Interface { open: true, ..interface }
}
const fn described(interface: Interface, doc: &'static str) -> Interface {
    Interface { doc, ..interface }
}

use Ty::*;

const STR_OR_NULL: Ty = Null(&Str);
const NUM_OR_NULL: Ty = Null(&Num);

// ---- Website API ----

pub static OVERVIEW: Interface = narrowed(
    "Overview",
    &[
        p("visitors", Num),
        p("sessions", Num),
        doc(p("bounce_rate", Num), "Percent (65.32 = 65.32 %)."),
        doc(p("avg_session_duration", Num), "Milliseconds."),
        doc(p("currency", Str), "Currency symbol (`$`)."),
        p("revenue", Num),
        doc(p("payments", Num), "Number of payments."),
        p("revenue_per_visitor", Num),
        doc(p("conversion_rate", Num), "Percent."),
    ],
);
pub static REVENUE_BREAKDOWN: Interface =
    interface("RevenueBreakdown", &[p("new", Num), p("renewal", Num), p("refund", Num)]);
const TIMESERIES_METRICS: [Prop; 6] = [
    opt("visitors", Num),
    opt("sessions", Num),
    opt("revenue", Num),
    opt("payments", Num),
    opt("conversion_rate", Num),
    doc(opt("revenueBreakdown", Ref(&REVENUE_BREAKDOWN)), "Present when `revenue` was requested."),
];
pub static TIMESERIES_TOTALS: Interface = narrowed("TimeseriesTotals", &TIMESERIES_METRICS);
pub static TIMESERIES_ROW: Interface = extending(
    "TimeseriesRow",
    &TIMESERIES_TOTALS,
    &[
        doc(opt("name", Str), "Bucket label (`\"17 Dec\"`)."),
        doc(p("timestamp", Str), "Bucket start, ISO with offset."),
    ],
);
pub static TIMESERIES_PAGE: Interface = page_of(
    "TimeseriesPage",
    &TIMESERIES_ROW,
    &[
        p("fields", Arr(&Str)),
        p("interval", Lit(&["hour", "day", "week", "month"])),
        p("timezone", Str),
        doc(p("currency", STR_OR_NULL), "Currency symbol, or null."),
        p("totals", Ref(&TIMESERIES_TOTALS)),
    ],
);
pub static REALTIME: Interface =
    interface("Realtime", &[doc(p("visitors", Num), "Visitors active in the last 10 minutes.")]);
const NAME_OBJ: Ty = Obj(&[p("name", Str)]);
const TYPE_OBJ: Ty = Obj(&[p("type", Str)]);
pub static REALTIME_VISITOR: Interface = open(interface(
    "RealtimeVisitor",
    &[
        p("visitorId", Str),
        p("location", Obj(&[p("city", STR_OR_NULL), p("region", STR_OR_NULL), p("countryCode", STR_OR_NULL)])),
        doc(
            p(
                "system",
                Obj(&[
                    p("browser", Null(&Either(&[NAME_OBJ, Str]))),
                    p("os", Null(&Either(&[NAME_OBJ, Str]))),
                    p("device", Null(&Either(&[TYPE_OBJ, Str]))),
                ]),
            ),
            "Older servers send plain strings instead of `{ name }` / `{ type }`.",
        ),
        p("currentUrl", STR_OR_NULL),
        p("referrer", STR_OR_NULL),
        p("isCustomer", Bool),
        p(
            "conversionLikelihood",
            Null(&Obj(&[
                p("score", Num),
                p("confidence", Num),
                p("isBaseline", Bool),
                doc(p("dimensionMatches", Arr(&Str)), "Names of the dimensions that matched (`country`, `device`…)."),
                p("raw", Obj(&[p("conversionRate", Num), p("averageValue", Num), p("expectedValue", Num)])),
            ])),
        ),
    ],
));
pub static REALTIME_MAP: Interface = interface(
    "RealtimeMap",
    &[
        p("count", Num),
        p("visitors", Arr(&Ref(&REALTIME_VISITOR))),
        p("hasConversionPredictions", Bool),
        opt("conversionMetrics", Obj(&[p("baselineConversionRate", Num), p("baselineAverageValue", Num)])),
        p("recentEvents", Arr(&Map(&Unknown))),
        p("recentPayments", Arr(&Map(&Unknown))),
    ],
);
pub static WEBSITE_METADATA: Interface = narrowed(
    "WebsiteMetadata",
    &[
        p("domain", Str),
        p("timezone", Str),
        p("name", STR_OR_NULL),
        p("logo", STR_OR_NULL),
        p("kpiColorScheme", Str),
        p("kpi", STR_OR_NULL),
        doc(p("currency", Str), "ISO code."),
    ],
);
pub static METRICS: Interface = narrowed("Metrics", &[p("visitors", Num), p("revenue", Num), p("payments", Num)]);
const fn row(name: &'static str, props: &'static [Prop]) -> Interface {
    Interface { narrowed: true, ..extending(name, &METRICS, props) }
}
pub static PAGE_ROW: Interface = row("PageRow", &[p("hostname", Str), p("path", Str)]);
pub static REFERRER_ROW: Interface =
    row("ReferrerRow", &[doc(p("referrer", Str), "`Google`, `Direct/None` or a domain.")]);
pub static COUNTRY_ROW: Interface = row("CountryRow", &[p("country", Str), doc(p("image", Str), "Flag SVG URL.")]);
pub static REGION_ROW: Interface = row("RegionRow", &[p("region", Str)]);
pub static CITY_ROW: Interface = row("CityRow", &[p("city", Str)]);
pub static DEVICE_ROW: Interface = row("DeviceRow", &[p("device", Str)]);
pub static BROWSER_ROW: Interface = row("BrowserRow", &[p("browser", Str)]);
pub static OPERATING_SYSTEM_ROW: Interface = row("OperatingSystemRow", &[p("operating_system", Str)]);
pub static HOSTNAME_ROW: Interface = row("HostnameRow", &[p("hostname", Str)]);
/// `fields` naming campaign keys narrows this object too.
pub static CAMPAIGN: Interface = narrowed(
    "Campaign",
    &[
        p("utm_source", Str),
        p("utm_medium", Str),
        p("utm_campaign", Str),
        p("utm_term", Str),
        p("utm_content", Str),
        p("ref", Str),
        p("source", Str),
        p("via", Str),
    ],
);
pub static CAMPAIGN_ROW: Interface =
    row("CampaignRow", &[doc(p("campaign", Ref(&CAMPAIGN)), "Empty strings where a parameter was absent.")]);
pub static GOAL_ROW: Interface = narrowed("GoalRow", &[p("goal", Str), p("completions", Num), p("visitors", Num)]);
pub static FUNNEL_REPORT_STEP: Interface = interface(
    "FunnelReportStep",
    &[
        p("id", Str),
        p("name", Str),
        p("type", Lit(&["pageview", "goal"])),
        opt("url", Str),
        opt("goalName", Str),
        p("visitors", Num),
        doc(p("conversionRate", Num), "Percent of the first step."),
        p("dropOff", Num),
        p("revenue", Num),
    ],
);
pub static FUNNEL_REPORT: Interface = described(
    open(interface(
        "FunnelReport",
        &[
            p("funnelId", Str),
            p("name", Str),
            p("steps", Arr(&Ref(&FUNNEL_REPORT_STEP))),
            p("conversionRate", Num),
            p("totalVisitors", Num),
        ],
    )),
    "Funnel analytics. The docs describe it only in words: parse leniently.",
);
pub static VISITOR_ROW: Interface = interface(
    "VisitorRow",
    &[
        p("visitorId", Str),
        p("lastSeenAt", Str),
        doc(p("currentUrl", Str), "Host and path (`datafa.st/pricing`)."),
        p(
            "identity",
            Obj(&[
                p("country", Str),
                p("region", Str),
                p("city", Str),
                p("browser", Str),
                p("os", Str),
                p("device", Str),
            ]),
        ),
        p("acquisition", Map(&STR_OR_NULL)),
        opt("isCustomer", Bool),
    ],
);
pub static COMPLETED_GOAL: Interface = interface(
    "CompletedGoal",
    &[
        p("name", Str),
        p("description", STR_OR_NULL),
        p("isServer", Bool),
        p("origin", Lit(&["manual", "payment_provider"])),
        p("timestamp", Str),
    ],
);
pub static VISITOR_DETAIL: Interface = interface(
    "VisitorDetail",
    &[
        p("visitorId", Str),
        p(
            "identity",
            Obj(&[
                p("country", STR_OR_NULL),
                p("countryCode", STR_OR_NULL),
                p("region", STR_OR_NULL),
                p("city", STR_OR_NULL),
                p("params", Map(&STR_OR_NULL)),
                p("adClickIds", Map(&Str)),
                p("browser", Obj(&[p("name", STR_OR_NULL), p("version", STR_OR_NULL)])),
                p("os", Obj(&[p("name", STR_OR_NULL), p("version", STR_OR_NULL)])),
                p("device", Obj(&[p("type", STR_OR_NULL), p("vendor", STR_OR_NULL), p("model", STR_OR_NULL)])),
                p("viewport", Obj(&[p("width", NUM_OR_NULL), p("height", NUM_OR_NULL)])),
            ]),
        ),
        p(
            "activity",
            Obj(&[
                p("visitCount", Num),
                p("pageViewCount", Num),
                p("timeSinceFirstVisit", Num),
                p("timeSinceCurrentVisit", Num),
                p("firstVisitAt", STR_OR_NULL),
                p("lastVisitAt", STR_OR_NULL),
                p("currentUrl", STR_OR_NULL),
                p("visitedPages", Arr(&Obj(&[p("url", Str), p("timestamp", Str)]))),
                p("completedGoals", Arr(&Ref(&COMPLETED_GOAL))),
                doc(
                    opt("completedCustomGoals", Arr(&Ref(&COMPLETED_GOAL))),
                    "The older docs' name of `completedGoals` (same list), where a server still sends it.",
                ),
            ]),
        ),
        doc(
            opt("profile", Obj(&[p("userId", Str), p("metadata", Map(&Unknown)), p("identifiedAt", Str)])),
            "Present once the visitor was identified.",
        ),
        p(
            "prediction",
            Null(&Obj(&[p("score", Num), p("conversionRate", Num), p("expectedValue", Num), p("confidence", Num)])),
        ),
    ],
);
pub static GOAL_CREATED: Interface = interface("GoalCreated", &[p("message", Str), p("eventId", Str)]);
pub static TIME_RANGE: Interface = interface("TimeRange", &[p("start", Str), p("end", Str)]);
pub static DELETED: Interface = interface(
    "Deleted",
    &[
        p("message", Str),
        opt("goal_name", Str),
        opt("transaction_id", Str),
        opt("datafast_visitor_id", Str),
        opt("timeRange", Ref(&TIME_RANGE)),
    ],
);
pub static PAYMENT_RECORDED: Interface = described(
    interface("PaymentRecorded", &[p("message", Str), p("transaction_id", Str)]),
    "`POST /payments` answers without the envelope; a repeated `transaction_id` says so in `message`.",
);
pub static IDENTIFIED: Interface = interface(
    "Identified",
    &[p("message", Str), p("profileId", STR_OR_NULL), opt("action", Lit(&["created", "updated", "unchanged"]))],
);

// ---- Account API ----

pub static MESSAGE: Interface = interface("Message", &[p("message", Str)]);
pub static ACCOUNT: Interface = interface(
    "Account",
    &[
        p("_id", Str),
        p("name", STR_OR_NULL),
        p("email", Str),
        p("image", STR_OR_NULL),
        p("hasAccess", Bool),
        p("planType", STR_OR_NULL),
        p("isFreeTrialActive", Bool),
        p("freeTrialStartAt", STR_OR_NULL),
        p("billingCycleStartAt", STR_OR_NULL),
        p("billingCycleEndAt", STR_OR_NULL),
        doc(opt("websiteId", Str), "Present when the client uses a `df_` key."),
        doc(opt("createdAt", Str), "Shown by one example of the docs."),
    ],
);
pub static ACCOUNT_UPDATED: Interface =
    interface("AccountUpdated", &[p("_id", Str), p("name", Str), p("email", Str), p("image", STR_OR_NULL)]);
const PERMISSION: Ty = Alias("Permission", &Str);
pub static ACCESS_TOKEN: Interface = interface(
    "AccessToken",
    &[
        p("_id", Str),
        p("name", STR_OR_NULL),
        doc(p("displayKey", Str), "Masked (`dft_ab1...xyz9`)."),
        p("scope", Lit(&["user"])),
        doc(p("permissions", Arr(&PERMISSION)), "`[\"*\"]` = every permission."),
        doc(p("websiteIds", Arr(&Str)), "`[]` = every website the user can reach."),
        opt("lastUsedAt", STR_OR_NULL),
        opt("createdAt", Str),
    ],
);
pub static ACCESS_TOKEN_CREATED: Interface = extending(
    "AccessTokenCreated",
    &ACCESS_TOKEN,
    &[doc(p("key", Str), "The full `dft_` token, returned only this once.")],
);
const ROLE: Ty = Lit(&["owner", "member", "viewer"]);
pub static WEBSITE: Interface = interface(
    "Website",
    &[
        p("_id", Str),
        p("domain", Str),
        p("name", STR_OR_NULL),
        p("trackingId", Str),
        p("timezone", Str),
        p("currency", Str),
        p("role", ROLE),
    ],
);
pub static WEBSITE_CREATED: Interface =
    interface("WebsiteCreated", &[p("websiteId", Str), p("domain", Str), p("trackingId", Str)]);
pub static WEBSITE_SETTINGS: Interface = open(interface(
    "WebsiteSettings",
    &[
        p("_id", Str),
        p("domain", Str),
        p("name", STR_OR_NULL),
        p("trackingId", Str),
        p("timezone", Str),
        p("currency", Str),
        p("kpi", STR_OR_NULL),
        p("kpiColorScheme", STR_OR_NULL),
        p("revenueMetric", Null(&Lit(&["revenue", "mrr"]))),
        p("isCookieless", Bool),
        p("includeRenewalRevenue", Bool),
        p("allowedHostnames", Arr(&Str)),
        p("excludedIps", Arr(&Str)),
        p("excludedPaths", Arr(&Str)),
        p("excludedCountries", Arr(&Str)),
        p("excludedHostnames", Arr(&Str)),
    ],
));
pub static API_KEY: Interface = interface(
    "ApiKey",
    &[
        p("_id", Str),
        p("name", STR_OR_NULL),
        doc(p("displayKey", Str), "Masked (`df_ab12...xyz9`)."),
        p("websiteId", Str),
        p("lastUsedAt", STR_OR_NULL),
        p("createdAt", Str),
    ],
);
pub static API_KEY_CREATED: Interface =
    extending("ApiKeyCreated", &API_KEY, &[doc(p("key", Str), "The full `df_` key, returned only this once.")]);
pub static TRACKED_GOAL: Interface = interface(
    "TrackedGoal",
    &[
        p("name", Str),
        p("total", Num),
        doc(p("uv", Num), "Unique visitors."),
        doc(p("conversionRate", Num), "Percent."),
        p("eventType", Str),
    ],
);
pub static GOAL_CUSTOMIZATION: Interface = interface(
    "GoalCustomization",
    &[
        p("goalName", Str),
        p("displayName", STR_OR_NULL),
        p("color", STR_OR_NULL),
        p("description", STR_OR_NULL),
        p("updatedAt", STR_OR_NULL),
    ],
);
pub static PALETTE_COLOR: Interface = interface("PaletteColor", &[p("color", Str), p("label", Str), p("family", Str)]);
pub static GOAL_CUSTOMIZATIONS: Interface = interface(
    "GoalCustomizations",
    &[
        p("data", Arr(&Ref(&GOAL_CUSTOMIZATION))),
        doc(p("colors", Arr(&Ref(&PALETTE_COLOR))), "The colors `color` may take."),
    ],
);
pub static FUNNEL_STEP: Interface = interface(
    "FunnelStep",
    &[p("id", Str), p("name", Str), p("type", Lit(&["pageview", "goal"])), opt("url", Str), opt("goalName", Str)],
);
pub static FUNNEL: Interface = interface(
    "Funnel",
    &[
        p("_id", Str),
        p("websiteId", Str),
        p("name", Str),
        p("slug", Str),
        p("steps", Arr(&Ref(&FUNNEL_STEP))),
        p("isActive", Bool),
        p("createdAt", Str),
    ],
);
pub static ALERT_HISTORY_ENTRY: Interface = interface(
    "AlertHistoryEntry",
    &[
        p("alertId", Str),
        p("alertName", Str),
        p("goalName", Str),
        p("status", Lit(&["sent", "failed"])),
        p("error", STR_OR_NULL),
        p("visitorId", STR_OR_NULL),
        p("triggeredAt", Str),
    ],
);
pub static ALERT: Interface = interface(
    "Alert",
    &[
        p("_id", Str),
        p("websiteId", Str),
        p("name", Str),
        p("trigger", Obj(&[p("type", Lit(&["goal"])), p("goalName", Str)])),
        p("destination", Obj(&[p("type", Lit(&["email"]))])),
        p("template", Obj(&[p("subject", STR_OR_NULL), p("message", Str)])),
        p("isEnabled", Bool),
        p("recentLogs", Arr(&Ref(&ALERT_HISTORY_ENTRY))),
    ],
);
pub static ALERT_HISTORY: Interface = described(
    page_of(
        "AlertHistory",
        &ALERT_HISTORY_ENTRY,
        &[p("counts", Obj(&[p("sent", Num), p("failed", Num), p("total", Num)]))],
    ),
    "Alert history: newest first; `counts` are computed before `limit` applies.",
);
pub static TEAM_MEMBER: Interface = interface(
    "TeamMember",
    &[
        p("userId", Str),
        p("name", STR_OR_NULL),
        p("email", Str),
        p("image", STR_OR_NULL),
        p("role", ROLE),
        p("joinedAt", Str),
    ],
);
pub static INVITATION: Interface = interface(
    "Invitation",
    &[p("message", Str), p("invitationId", Str), p("email", Str), p("role", Lit(&["viewer", "member"]))],
);
const CONNECTED: Ty = Obj(&[p("connected", Bool)]);
pub static INTEGRATIONS: Interface = interface(
    "Integrations",
    &[
        p("stripe", CONNECTED),
        p("lemonsqueezy", CONNECTED),
        p("polar", CONNECTED),
        p("paddle", Obj(&[p("connected", Bool), p("keyExpiresAt", STR_OR_NULL)])),
        p("shopify", CONNECTED),
        p("woocommerce", CONNECTED),
        p("currency", Str),
    ],
);
pub static INTEGRATION_CONNECTED: Interface =
    interface("IntegrationConnected", &[p("message", Str), opt("currency", Str)]);
pub static PAGINATION: Interface = interface(
    "Pagination",
    &[
        p("limit", Num),
        p("offset", Num),
        doc(opt("total", Num), "Rows available (breakdowns, timeseries)."),
        doc(opt("hasMore", Bool), "Whether more rows follow (visitors list)."),
    ],
);

/// Every declared interface, in the order the TypeScript file lists them.
pub static INTERFACES: &[&Interface] = &[
    &OVERVIEW,
    &REVENUE_BREAKDOWN,
    &TIMESERIES_TOTALS,
    &TIMESERIES_ROW,
    &TIMESERIES_PAGE,
    &REALTIME,
    &REALTIME_VISITOR,
    &REALTIME_MAP,
    &WEBSITE_METADATA,
    &METRICS,
    &PAGE_ROW,
    &REFERRER_ROW,
    &COUNTRY_ROW,
    &REGION_ROW,
    &CITY_ROW,
    &DEVICE_ROW,
    &BROWSER_ROW,
    &OPERATING_SYSTEM_ROW,
    &HOSTNAME_ROW,
    &CAMPAIGN,
    &CAMPAIGN_ROW,
    &GOAL_ROW,
    &FUNNEL_REPORT_STEP,
    &FUNNEL_REPORT,
    &VISITOR_ROW,
    &COMPLETED_GOAL,
    &VISITOR_DETAIL,
    &GOAL_CREATED,
    &TIME_RANGE,
    &DELETED,
    &PAYMENT_RECORDED,
    &IDENTIFIED,
    &MESSAGE,
    &ACCOUNT,
    &ACCOUNT_UPDATED,
    &ACCESS_TOKEN,
    &ACCESS_TOKEN_CREATED,
    &WEBSITE,
    &WEBSITE_CREATED,
    &WEBSITE_SETTINGS,
    &API_KEY,
    &API_KEY_CREATED,
    &TRACKED_GOAL,
    &GOAL_CUSTOMIZATION,
    &PALETTE_COLOR,
    &GOAL_CUSTOMIZATIONS,
    &FUNNEL_STEP,
    &FUNNEL,
    &ALERT_HISTORY_ENTRY,
    &ALERT,
    &ALERT_HISTORY,
    &TEAM_MEMBER,
    &INVITATION,
    &INTEGRATIONS,
    &INTEGRATION_CONNECTED,
    &PAGINATION,
];

const DELETED_FLAG: Ty = Obj(&[p("deleted", Bool)]);
const CUSTOMIZATION_DELETED: Ty = Obj(&[p("deleted", Bool), p("goalName", Str)]);

/// What each endpoint hands back: a `match` without a default arm, so a new route does not
/// compile until its result is declared.
pub fn of(key: EndpointId) -> Answer {
    use Answer::{Body, List, One, Page};
    use EndpointId::*;
    match key {
        AnalyticsOverview => One(Ref(&OVERVIEW)),
        AnalyticsTimeseries => Page(&TIMESERIES_PAGE),
        AnalyticsRealtime => One(Ref(&REALTIME)),
        AnalyticsRealtimeMap => One(Ref(&REALTIME_MAP)),
        AnalyticsMetadata => One(Ref(&WEBSITE_METADATA)),
        AnalyticsPages => Page(&PAGE_ROW),
        AnalyticsReferrers => Page(&REFERRER_ROW),
        AnalyticsCountries => Page(&COUNTRY_ROW),
        AnalyticsRegions => Page(&REGION_ROW),
        AnalyticsCities => Page(&CITY_ROW),
        AnalyticsDevices => Page(&DEVICE_ROW),
        AnalyticsBrowsers => Page(&BROWSER_ROW),
        AnalyticsOperatingSystems => Page(&OPERATING_SYSTEM_ROW),
        AnalyticsCampaigns => Page(&CAMPAIGN_ROW),
        AnalyticsHostnames => Page(&HOSTNAME_ROW),
        AnalyticsGoals => Page(&GOAL_ROW),
        AnalyticsFunnel => One(Ref(&FUNNEL_REPORT)),
        VisitorsList => Page(&VISITOR_ROW),
        VisitorsGet => One(Ref(&VISITOR_DETAIL)),
        GoalsCreate => One(Ref(&GOAL_CREATED)),
        GoalsDelete | PaymentsDelete => One(Ref(&DELETED)),
        PaymentsCreate => Body(&PAYMENT_RECORDED),
        Identify => One(Ref(&IDENTIFIED)),
        AdminAccountGet => One(Ref(&ACCOUNT)),
        AdminAccountUpdate => One(Ref(&ACCOUNT_UPDATED)),
        AdminTokensList => List(Ref(&ACCESS_TOKEN)),
        AdminTokensCreate => One(Ref(&ACCESS_TOKEN_CREATED)),
        AdminWebsitesList => List(Ref(&WEBSITE)),
        AdminWebsitesCreate => One(Ref(&WEBSITE_CREATED)),
        AdminWebsitesGet | AdminWebsitesUpdate => One(Ref(&WEBSITE_SETTINGS)),
        // The API refuses it every time (CONTRACT.md 2.3): the promise always rejects.
        AdminWebsitesDelete => Answer::Never,
        AdminApikeysList => List(Ref(&API_KEY)),
        AdminApikeysCreate | AdminApikeysRoll => One(Ref(&API_KEY_CREATED)),
        AdminApikeysDelete => One(DELETED_FLAG),
        AdminGoalsTracked => List(Ref(&TRACKED_GOAL)),
        AdminGoalsCustomizationsList => Body(&GOAL_CUSTOMIZATIONS),
        AdminGoalsCustomizationsUpdate => One(Ref(&GOAL_CUSTOMIZATION)),
        AdminGoalsCustomizationsDelete => One(CUSTOMIZATION_DELETED),
        AdminFunnelsList => List(Ref(&FUNNEL)),
        AdminFunnelsCreate | AdminFunnelsUpdate => One(Ref(&FUNNEL)),
        AdminAlertsList => List(Ref(&ALERT)),
        AdminAlertsCreate | AdminAlertsUpdate => One(Ref(&ALERT)),
        AdminAlertsHistory => Page(&ALERT_HISTORY),
        AdminTeamList => List(Ref(&TEAM_MEMBER)),
        AdminTeamInvite => One(Ref(&INVITATION)),
        AdminIntegrationsGet => One(Ref(&INTEGRATIONS)),
        AdminIntegrationsStripeConnect
        | AdminIntegrationsLemonsqueezyConnect
        | AdminIntegrationsPolarConnect
        | AdminIntegrationsPaddleConnect => One(Ref(&INTEGRATION_CONNECTED)),
        AdminTokensDelete
        | AdminFunnelsDelete
        | AdminAlertsDelete
        | AdminTeamRemove
        | AdminIntegrationsStripeDisconnect
        | AdminIntegrationsLemonsqueezyDisconnect
        | AdminIntegrationsPolarDisconnect
        | AdminIntegrationsPaddleDisconnect
        | AdminIntegrationsShopifyDisconnect
        | AdminIntegrationsWoocommerceDisconnect => One(Ref(&MESSAGE)),
    }
}

// ---- checking a response against its declaration ----

/// Checks a success body of `endpoint` against its declaration; the error names the JSON path
/// (`data[0].identity.region`) and what was expected there.
pub fn check(endpoint: &Endpoint, body: &Value) -> Result<(), String> {
    let data = || body.get("data").ok_or_else(|| "`data` is missing".to_string());
    match of(endpoint.key) {
        Answer::Never => Err("this route never succeeds".into()),
        Answer::One(ty) => {
            let data = data()?;
            // `data[0]`, or `data` itself where the API sends an object.
            match data {
                Value::Array(items) if items.len() == 1 => {
                    check_ty("data[0]", ty, items.first().unwrap_or(&Value::Null))
                }
                Value::Array(items) => Err(format!("`data` holds {} items, expected one", items.len())),
                other => check_ty("data", ty, other),
            }
        }
        Answer::List(ty) => check_items("data", ty, data()?),
        Answer::Page(page) => {
            let row = page.page_of.unwrap_or(page);
            check_items("data", Ref(row), data()?)?;
            // Alert history is one page: no `pagination`.
            if endpoint.shape == ResultShape::Page && endpoint.key != EndpointId::AdminAlertsHistory {
                check_ty("pagination", Ref(&PAGINATION), body.get("pagination").unwrap_or(&Value::Null))?;
            }
            if page.page_of.is_some() {
                check_props("", page, body, &["status", "data", "pagination"])?;
            }
            Ok(())
        }
        Answer::Body(interface) => check_props("", interface, body, &["status"]),
    }
}

fn check_ty(path: &str, ty: Ty, v: &Value) -> Result<(), String> {
    let wrong = |expected: &str| Err(format!("`{path}` must be {expected}, got {v}"));
    match ty {
        Str | Alias(_, Str) => {
            if v.is_string() {
                Ok(())
            } else {
                wrong("a string")
            }
        }
        Num => {
            if v.is_number() {
                Ok(())
            } else {
                wrong("a number")
            }
        }
        Bool => {
            if v.is_boolean() {
                Ok(())
            } else {
                wrong("a boolean")
            }
        }
        Unknown => Ok(()),
        Lit(options) => match v.as_str() {
            Some(s) if options.contains(&s) => Ok(()),
            _ => wrong(&format!("one of {}", options.join(", "))),
        },
        Ref(interface) => check_props(path, interface, v, &[]),
        Obj(props) => check_props(path, &interface("", props), v, &[]),
        Arr(item) => check_items(path, *item, v),
        Map(value) => match v.as_object() {
            Some(map) => map.iter().try_for_each(|(k, x)| check_ty(&format!("{path}.{k}"), *value, x)),
            None => wrong("an object"),
        },
        Null(inner) => {
            if v.is_null() {
                Ok(())
            } else {
                check_ty(path, *inner, v)
            }
        }
        Alias(_, inner) => check_ty(path, *inner, v),
        Either(options) => {
            if options.iter().any(|t| check_ty(path, *t, v).is_ok()) {
                Ok(())
            } else {
                wrong("one of its declared forms")
            }
        }
        Never => wrong("absent"),
    }
}

fn check_items(path: &str, item: Ty, v: &Value) -> Result<(), String> {
    match v.as_array() {
        Some(items) => items.iter().enumerate().try_for_each(|(i, x)| check_ty(&format!("{path}[{i}]"), item, x)),
        None => Err(format!("`{path}` must be an array, got {v}")),
    }
}

/// The properties of `interface` (and what it extends) on object `v`; unknown keys are an
/// error unless the interface is open or the key is in `envelope`.
fn check_props(path: &str, interface: &Interface, v: &Value, envelope: &[&str]) -> Result<(), String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("`{path}` must be an object ({}), got {v}", interface.name));
    };
    let at = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    let mut props: Vec<&Prop> = interface.props.iter().collect();
    let mut narrowed = interface.narrowed;
    let mut base = interface.extends;
    while let Some(b) = base {
        props.extend(b.props);
        narrowed |= b.narrowed;
        base = b.extends;
    }
    for prop in &props {
        match obj.get(prop.name) {
            None if prop.optional || narrowed => {}
            None => return Err(format!("`{}` is missing", at(prop.name))),
            Some(x) => check_ty(&at(prop.name), prop.ty, x)?,
        }
    }
    if !interface.open {
        if let Some(extra) = obj.keys().find(|k| !props.iter().any(|p| p.name == *k) && !envelope.contains(&k.as_str()))
        {
            return Err(format!(
                "`{}` is not declared in {}",
                at(extra),
                if interface.name.is_empty() { "its type" } else { interface.name }
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;
    use serde_json::json;

    fn check_of(id: &str, body: Value) -> Result<(), String> {
        check(find(id).unwrap(), &body)
    }

    #[test]
    fn a_declared_answer_passes_and_each_difference_is_named() {
        let ok = json!({"status": "success", "data": [{"message": "Funnel deleted successfully"}]});
        assert_eq!(check_of("admin.funnels.delete", ok), Ok(()));
        let missing = check_of("admin.funnels.delete", json!({"data": [{}]})).unwrap_err();
        assert!(missing.contains("`data[0].message` is missing"), "{missing}");
        let typed = check_of("admin.funnels.delete", json!({"data": [{"message": 3}]})).unwrap_err();
        assert!(typed.contains("`data[0].message` must be a string"), "{typed}");
        let extra = check_of("admin.funnels.delete", json!({"data": [{"message": "x", "more": 1}]})).unwrap_err();
        assert!(extra.contains("`data[0].more` is not declared in Message"), "{extra}");
        assert!(check_of("admin.websites.delete", json!({"data": []})).is_err(), "never succeeds");
    }

    #[test]
    fn pages_bodies_and_narrowed_rows() {
        let page = json!({"status": "success", "data": [{"path": "/", "visitors": 3}],
            "pagination": {"limit": 100, "offset": 0, "total": 1}});
        assert_eq!(check_of("analytics.pages", page), Ok(()), "`fields` may narrow a row");
        let no_paging = json!({"status": "success", "data": []});
        assert!(check_of("analytics.pages", no_paging).unwrap_err().contains("pagination"));
        let bare = json!({"message": "Payment recorded", "transaction_id": "tx_1"});
        assert_eq!(check_of("payments.create", bare), Ok(()));
        let history = json!({"status": "success", "data": [], "counts": {"sent": 0, "failed": 0}});
        assert!(check_of("admin.alerts.history", history).unwrap_err().contains("`counts.total` is missing"));
        let realtime = json!({"data": {"count": 0, "visitors": [], "hasConversionPredictions": false,
            "recentEvents": [], "recentPayments": []}});
        assert_eq!(check_of("analytics.realtime_map", realtime), Ok(()), "an object `data`");
    }
}
