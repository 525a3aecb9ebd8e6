//! The command tree (clap derive). What each command does is in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "datafast",
    version,
    about = "DataFast analytics from the terminal",
    after_help = "Exit codes: 0 ok, 1 API or server error, 2 usage or validation, 3 authentication or \
                  permission, 4 not found, 5 rate limited, 6 network or timeout, 130 cancelled.\n\
                  Environment: DATAFAST_TOKEN, DATAFAST_SITE_KEY, DATAFAST_API_BASE (win over the config file)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Website id to act on (default: `datafast config set-website`).
    #[arg(long, global = true, visible_alias = "website-id", value_name = "ID")]
    pub website: Option<String>,
    /// Print the API's data as JSON.
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print rows as CSV (lists, breakdowns, timeseries).
    #[arg(long, global = true)]
    pub csv: bool,
    /// Time budget of each call, retries included, in milliseconds (default 30000).
    #[arg(long, global = true, value_name = "MS")]
    pub timeout: Option<f64>,
    /// Retries of transient failures (default 2).
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Save a token (dft_ account token or df_ website key) after checking it.
    Login(LoginArgs),
    /// Remove the saved token and website key.
    Logout,
    /// Show the account behind the token.
    Whoami,
    /// Show or change the local configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Analytics reports: overview, timeseries, realtime, breakdowns.
    Analytics(Box<AnalyticsCmd>),
    /// Visitors: list with filters, or one visitor's profile.
    #[command(subcommand)]
    Visitors(VisitorsCmd),
    /// Websites and their settings, keys and team (account token).
    #[command(subcommand, visible_alias = "website")]
    Websites(WebsitesCmd),
    /// Account access tokens (account token).
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// Funnels: list, view their analytics, create, update, delete.
    #[command(subcommand)]
    Funnels(FunnelsCmd),
    /// Goal alerts: list, get, create, update, delete, history.
    #[command(subcommand)]
    Alerts(AlertsCmd),
    /// Tracked goals and their display customizations.
    #[command(subcommand)]
    Goals(GoalsCmd),
    /// Print a shell completion script.
    Completion {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Call any endpoint by its registry id; without an id, list them all.
    Api(ApiArgs),
    /// Serve DataFast as MCP tools on stdin/stdout, for AI agents and editors.
    Mcp(McpArgs),
}

#[derive(Args, Debug)]
pub struct McpArgs {
    /// List only tools that read (no creates, updates or deletes).
    #[arg(long)]
    pub read_only: bool,
    /// Only these tool groups, comma-separated: analytics, visitors, goals, payments, account,
    /// websites, tokens, apikeys, funnels, alerts, team, integrations.
    #[arg(long, value_name = "LIST")]
    pub toolsets: Vec<String>,
    /// Declare each tool's output schema (about 23 KB more in tools/list; off to keep it lean).
    #[arg(long)]
    pub output_schemas: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// The token; without it, a terminal asks for it and otherwise stdin is read.
    #[arg(long)]
    pub token: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// Print the active settings (tokens masked) and where each comes from.
    Show,
    /// Store a default website for commands that need one.
    SetWebsite { website_id: String },
    /// Remove the default website.
    ClearWebsite,
}

/// Dates shared by analytics, visitors and funnel views.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Dates")]
pub struct Range {
    /// today, yesterday, last24h, last7d, last30d, last12m, week, month, year or all.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Start: YYYY-MM-DD or an ISO time with Z or an offset (with --to).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// End, inclusive (with --from).
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// IANA time zone for dates and buckets (default: the website's).
    #[arg(long)]
    pub timezone: Option<String>,
}

/// Filter shortcuts: each is `-F <dimension>=<value>`.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Filters (--country US is -F country=US; for visitors, the list's own filters)")]
pub struct Shortcuts {
    /// Filter: dimension[:operator]=value (operators is, is_not, contains, does_not_contain).
    #[arg(short = 'F', long = "filter", value_name = "EXPR")]
    pub filter: Vec<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub device: Option<String>,
    #[arg(long)]
    pub browser: Option<String>,
    #[arg(long)]
    pub os: Option<String>,
    #[arg(long)]
    pub referrer: Option<String>,
    #[arg(long)]
    pub page: Option<String>,
    #[arg(long)]
    pub hostname: Option<String>,
    #[arg(long)]
    pub goal: Option<String>,
    #[arg(long)]
    pub utm_source: Option<String>,
    #[arg(long)]
    pub utm_medium: Option<String>,
    #[arg(long)]
    pub utm_campaign: Option<String>,
    #[arg(long)]
    pub utm_term: Option<String>,
    #[arg(long)]
    pub utm_content: Option<String>,
    #[arg(long = "ref")]
    pub ref_: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub via: Option<String>,
}

impl Shortcuts {
    /// `(dimension, value)` of each shortcut given, dimensions as the API names them.
    pub fn given(&self) -> Vec<(&'static str, &str)> {
        [
            ("country", &self.country),
            ("region", &self.region),
            ("city", &self.city),
            ("device", &self.device),
            ("browser", &self.browser),
            ("os", &self.os),
            ("referrer", &self.referrer),
            ("page", &self.page),
            ("hostname", &self.hostname),
            ("goal", &self.goal),
            ("utm_source", &self.utm_source),
            ("utm_medium", &self.utm_medium),
            ("utm_campaign", &self.utm_campaign),
            ("utm_term", &self.utm_term),
            ("utm_content", &self.utm_content),
            ("ref", &self.ref_),
            ("source", &self.source),
            ("via", &self.via),
        ]
        .into_iter()
        .filter_map(|(d, v)| v.as_deref().map(|v| (d, v)))
        .collect()
    }
}

/// Paging of list reports.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Paging")]
pub struct Paging {
    /// Rows per page (default 50).
    #[arg(long)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[arg(long)]
    pub offset: Option<u64>,
    /// Walk every page and print all rows.
    #[arg(long, conflicts_with = "offset")]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct AnalyticsCmd {
    /// The report.
    #[arg(value_enum)]
    pub report: Report,
    /// `map` after `realtime`: the realtime map.
    #[arg(value_parser = ["map"])]
    pub view: Option<String>,
    #[command(flatten)]
    pub range: Range,
    #[command(flatten)]
    pub filters: Shortcuts,
    #[command(flatten)]
    pub paging: Paging,
    /// Only these fields (comma list).
    #[arg(long)]
    pub fields: Option<String>,
    /// Timeseries bucket: hour, day, week or month (default day).
    #[arg(long)]
    pub interval: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    Overview,
    Timeseries,
    Realtime,
    #[value(alias = "map")]
    RealtimeMap,
    Metadata,
    Pages,
    Referrers,
    Countries,
    Regions,
    Cities,
    Devices,
    Browsers,
    #[value(alias = "operating-systems")]
    Os,
    Campaigns,
    Hostnames,
    Goals,
}

impl Report {
    pub fn endpoint_id(self) -> &'static str {
        match self {
            Report::Overview => "analytics.overview",
            Report::Timeseries => "analytics.timeseries",
            Report::Realtime => "analytics.realtime",
            Report::RealtimeMap => "analytics.realtime_map",
            Report::Metadata => "analytics.metadata",
            Report::Pages => "analytics.pages",
            Report::Referrers => "analytics.referrers",
            Report::Countries => "analytics.countries",
            Report::Regions => "analytics.regions",
            Report::Cities => "analytics.cities",
            Report::Devices => "analytics.devices",
            Report::Browsers => "analytics.browsers",
            Report::Os => "analytics.operating_systems",
            Report::Campaigns => "analytics.campaigns",
            Report::Hostnames => "analytics.hostnames",
            Report::Goals => "analytics.goals",
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum VisitorsCmd {
    /// Visitors matching filters (most recent first).
    List(Box<VisitorsList>),
    /// One visitor: identity, activity, profile, prediction.
    Get { visitor_id: Option<String> },
}

#[derive(Args, Debug)]
pub struct VisitorsList {
    #[command(flatten)]
    pub range: Range,
    #[command(flatten)]
    pub paging: Paging,
    /// Visited this exact path.
    #[arg(long)]
    pub visited_page: Option<String>,
    /// Visited a path containing this.
    #[arg(long)]
    pub visited_page_contains: Option<String>,
    /// Completed this goal.
    #[arg(long)]
    pub completed_goal: Option<String>,
    /// Paying (true) or not (false).
    #[arg(long)]
    pub is_customer: Option<bool>,
    #[command(flatten)]
    pub filters: Shortcuts,
}

#[derive(Subcommand, Debug)]
pub enum WebsitesCmd {
    /// Websites the token reaches.
    List,
    /// One website's settings.
    Get { website_id: Option<String> },
    /// Add a website.
    Create {
        #[arg(long)]
        domain: Option<String>,
        #[arg(long)]
        timezone: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Change settings; -p sets any other setting (e.g. -p excludedPaths=/admin,/internal).
    Update(WebsiteUpdate),
    /// Delete a website.
    Delete {
        website_id: Option<String>,
        #[arg(long)]
        yes: bool,
    },
    /// Show the KPI goal, or set or clear it.
    Kpi {
        website_id: Option<String>,
        /// Goal to make the KPI.
        #[arg(long, conflicts_with = "clear")]
        set: Option<String>,
        #[arg(long)]
        clear: bool,
    },
    /// Website API keys (df_).
    #[command(subcommand)]
    Apikeys(ApiKeysCmd),
    /// Team members and invitations.
    #[command(subcommand)]
    Team(TeamCmd),
}

#[derive(Args, Debug)]
pub struct WebsiteUpdate {
    pub website_id: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long)]
    pub timezone: Option<String>,
    #[arg(long)]
    pub kpi: Option<String>,
    #[arg(long)]
    pub kpi_color_scheme: Option<String>,
    #[arg(long)]
    pub cookieless: Option<bool>,
    #[arg(long)]
    pub include_renewal_revenue: Option<bool>,
    /// Comma list of IPs.
    #[arg(long)]
    pub excluded_ips: Option<String>,
    /// Any other setting as key=value.
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum ApiKeysCmd {
    List {
        website_id: Option<String>,
    },
    /// Create a key; its secret is shown once.
    Create {
        website_id: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Replace a key's secret.
    Roll {
        /// [websiteId] apiKeyId
        ids: Vec<String>,
    },
    Delete {
        /// [websiteId] apiKeyId
        ids: Vec<String>,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TeamCmd {
    List {
        website_id: Option<String>,
    },
    Invite {
        website_id: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// viewer or member.
        #[arg(long)]
        role: Option<String>,
    },
    Remove {
        /// [websiteId] userId
        ids: Vec<String>,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokensCmd {
    List,
    /// Create a token; its secret is shown once.
    Create {
        #[arg(long)]
        name: Option<String>,
        /// Comma list, or * (default).
        #[arg(long)]
        permissions: Option<String>,
        /// Comma list of website ids (default: all).
        #[arg(long)]
        websites: Option<String>,
    },
    Delete {
        token_id: Option<String>,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum FunnelsCmd {
    List {
        website_id: Option<String>,
    },
    /// A funnel's per-step visitors, conversion and revenue.
    View(Box<FunnelView>),
    Create {
        website_id: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// JSON array of 2–8 steps: {name, type: pageview|goal, url|goalName}.
        #[arg(long)]
        steps: Option<String>,
    },
    Update {
        /// [websiteId] funnelId
        ids: Vec<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        steps: Option<String>,
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        #[arg(long)]
        disable: bool,
    },
    Delete {
        /// [websiteId] funnelId
        ids: Vec<String>,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct FunnelView {
    /// [websiteId] funnelId
    pub ids: Vec<String>,
    #[command(flatten)]
    pub range: Range,
    #[command(flatten)]
    pub filters: Shortcuts,
}

#[derive(Subcommand, Debug)]
pub enum AlertsCmd {
    List {
        website_id: Option<String>,
    },
    Get {
        /// [websiteId] alertId
        ids: Vec<String>,
    },
    Create {
        website_id: Option<String>,
        #[command(flatten)]
        alert: AlertFields,
        #[arg(long)]
        disabled: bool,
    },
    Update {
        /// [websiteId] alertId
        ids: Vec<String>,
        #[command(flatten)]
        alert: AlertFields,
        #[arg(long, conflicts_with = "disabled")]
        enabled: bool,
        #[arg(long)]
        disabled: bool,
    },
    Delete {
        /// [websiteId] alertId
        ids: Vec<String>,
        #[arg(long)]
        yes: bool,
    },
    /// Alerts sent.
    History {
        website_id: Option<String>,
        #[arg(long)]
        alert: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
    },
}

#[derive(Args, Debug)]
pub struct AlertFields {
    #[arg(long)]
    pub name: Option<String>,
    /// Goal whose completion sends the alert.
    #[arg(long)]
    pub goal: Option<String>,
    /// E-mail subject.
    #[arg(long)]
    pub subject: Option<String>,
    /// E-mail text (10–2000 characters).
    #[arg(long)]
    pub message: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum GoalsCmd {
    /// Tracked goals with their customizations.
    List { website_id: Option<String> },
    Customizations {
        website_id: Option<String>,
        #[arg(long)]
        goal: Option<String>,
    },
    /// The color palette for customizations.
    Colors { website_id: Option<String> },
    /// Set a goal's display name, color or description.
    Customize {
        /// [websiteId] goal
        ids: Vec<String>,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        color: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, conflicts_with = "display_name")]
        clear_display_name: bool,
        #[arg(long, conflicts_with = "color")]
        clear_color: bool,
        #[arg(long, conflicts_with = "description")]
        clear_description: bool,
    },
    /// Remove a goal's customization.
    Reset {
        /// [websiteId] goal
        ids: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct ApiArgs {
    /// Registry id, e.g. analytics.overview or admin.funnels.create.
    pub endpoint: Option<String>,
    /// Path ids in path order.
    pub ids: Vec<String>,
    /// A parameter, typed by the endpoint's parameter table (numbers, booleans, lists, JSON).
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// The whole input as a JSON object, or @file.
    #[arg(long)]
    pub body: Option<String>,
    /// Filter: dimension[:operator]=value.
    #[arg(short = 'F', long = "filter", value_name = "EXPR")]
    pub filter: Vec<String>,
    /// Walk every page of a paginated endpoint.
    #[arg(long)]
    pub all: bool,
}
