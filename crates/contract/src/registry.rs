//! The endpoint registry: every route of the DataFast API as one row of data.
//!
//! The client builds requests from it, the emulator routes and authorizes from it, and the
//! coverage tests walk it. Adding an endpoint starts with one row here.

use crate::auth::{Permission, TokenKind};
use std::fmt;

/// Which of the two API surfaces a route belongs to (and which client class exposes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Surface {
    /// `/api/v1/…`: analytics, visitors, goals, payments, identify (`WebsiteClient`).
    Website,
    /// `/api/v1/admin/…`: account, tokens, websites and their settings (`AdminClient`).
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    /// Whether the method sends its input as a JSON body (otherwise as the query string).
    /// DELETE routes take query parameters, except team removal which takes a JSON body.
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    /// Repeating the request cannot apply it twice (RFC 9110 9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which token kinds may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenRule {
    /// `df_` website keys and `dft_` account tokens.
    Any,
    /// `dft_` account tokens only; a `df_` key gets 403.
    AccountOnly,
}

/// What the client hands back from a success body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultShape {
    /// One object: `data[0]`, or `data` itself where the API sends an object.
    One,
    /// The `data` array.
    List,
    /// A page: `data`, `pagination` and documented siblings (`totals`, `counts`, …).
    Page,
    /// `data` plus documented siblings, not paginated (goal customizations' `colors`).
    Envelope,
    /// The whole body: the route answers without the envelope (`POST /payments`).
    Bare,
}

/// Where a call's input goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placement {
    /// The query string (GET and DELETE routes).
    Query,
    /// A JSON body (POST, PUT, PATCH; and team removal, a DELETE with a body).
    Body,
}

/// One route of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The route as an enum: tables keyed by it (parameters, samples, handlers, result
    /// types) are `match`es without a default arm, so a new route missing from one of them
    /// does not compile.
    pub key: EndpointId,
    /// Dotted id, also the client method path (`admin.funnels.create`).
    pub id: &'static str,
    pub surface: Surface,
    pub method: Method,
    /// Path template below [`crate::API_PREFIX`], placeholders in braces.
    pub path: &'static str,
    pub permission: Permission,
    pub tokens: TokenRule,
    pub shape: ResultShape,
    pub input: Placement,
}

/// Builds [`EndpointId`] and [`ENDPOINTS`] from one list of rows, in the same order.
macro_rules! registry {
    ($($key:ident = $id:literal, $surface:ident, $method:ident, $path:literal, $permission:ident, $tokens:ident, $shape:ident, $input:ident;)*) => {
        /// Every route of the API, in registry order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EndpointId {
            $($key,)*
        }

        pub static ENDPOINTS: &[Endpoint] = &[
            $(Endpoint {
                key: EndpointId::$key,
                id: $id,
                surface: $surface,
                method: $method,
                path: $path,
                permission: $permission,
                tokens: $tokens,
                shape: $shape,
                input: $input,
            },)*
        ];
    };
}

impl EndpointId {
    /// The registry row of this route.
    // The macro declares the variants in the order of the rows, so a variant's discriminant
    // is its row's index (a test checks it).
    #[allow(clippy::indexing_slicing)]
    pub fn endpoint(self) -> &'static Endpoint {
        &ENDPOINTS[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.endpoint().id
    }
}

impl Endpoint {
    pub fn allows(&self, kind: TokenKind) -> bool {
        match self.tokens {
            TokenRule::Any => true,
            TokenRule::AccountOnly => kind == TokenKind::AccountToken,
        }
    }

    /// Placeholder names in path order (`["websiteId", "funnelId"]`).
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// The method name within its client: the id without the `admin.` prefix, split on dots.
    pub fn method_path(&self) -> &'static str {
        self.id.strip_prefix("admin.").unwrap_or(self.id)
    }

    /// The method path as JS names it: each segment in camelCase
    /// (`analytics.operating_systems` → `analytics.operatingSystems`).
    pub fn js_method_path(&self) -> String {
        let mut out = String::with_capacity(self.method_path().len());
        let mut upper = false;
        for c in self.method_path().chars() {
            match c {
                '_' => upper = true,
                c if upper => {
                    out.push(c.to_ascii_uppercase());
                    upper = false;
                }
                c => out.push(c),
            }
        }
        out
    }

    /// Whether the website comes from the `websiteId` query parameter for `dft_` tokens
    /// (Website API routes, CONTRACT.md 2.6) rather than from the path.
    pub fn website_from_query(&self) -> bool {
        self.surface == Surface::Website
    }

    /// The call's input: fields, kinds and rules ([`crate::params`]).
    pub fn params(&self) -> &'static crate::params::Params {
        crate::params::of_endpoint(self.key)
    }

    /// Whether the input goes into a JSON body rather than the query string.
    pub fn has_body(&self) -> bool {
        self.input == Placement::Body
    }

    /// Matches a request path (below [`crate::API_PREFIX`]) against this template and returns
    /// the placeholder values in path order.
    pub fn match_path<'p>(&self, path: &'p str) -> Option<Vec<(&'static str, &'p str)>> {
        let mut params = Vec::new();
        let mut template = self.path.split('/');
        let mut actual = path.split('/');
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return Some(params),
                (Some(t), Some(a)) => {
                    if let Some(name) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        if a.is_empty() {
                            return None;
                        }
                        params.push((name, a));
                    } else if t != a {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }

    fn literal_segments(&self) -> usize {
        self.path.split('/').filter(|s| !s.starts_with('{')).count()
    }
}

/// A path resolved against the registry.
#[derive(Debug, PartialEq, Eq)]
pub enum Route<'p> {
    Found(&'static Endpoint, Vec<(&'static str, &'p str)>),
    /// The path exists, but not with this method.
    MethodNotAllowed,
    NotFound,
}

/// Resolves a method and path (below [`crate::API_PREFIX`]); a literal segment wins over a
/// placeholder (`/alerts/history` over `/alerts/{alertId}`).
pub fn route(method: Method, path: &str) -> Route<'_> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    let mut best: Option<(&'static Endpoint, Vec<(&'static str, &str)>)> = None;
    let mut path_exists = false;
    for ep in ENDPOINTS {
        if let Some(params) = ep.match_path(path) {
            path_exists = true;
            if ep.method != method {
                continue;
            }
            let better = best.as_ref().is_none_or(|(b, _)| ep.literal_segments() > b.literal_segments());
            if better {
                best = Some((ep, params));
            }
        }
    }
    match best {
        Some((ep, params)) => Route::Found(ep, params),
        None if path_exists => Route::MethodNotAllowed,
        None => Route::NotFound,
    }
}

/// Looks an endpoint up by its dotted id.
pub fn find(id: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.id == id)
}

use Method::*;
use Permission::*;
use Placement::*;
use ResultShape::*;
use Surface::*;
use TokenRule::*;

// All 65 routes, in the order of `endpoints.tsv` (a copy of shared/api/endpoints.tsv that the
// tests compare this table against): `Variant = id, surface, method, path, permission, tokens,
// result shape, where the input goes`.
#[rustfmt::skip]
registry! {
    AnalyticsOverview = "analytics.overview", Website, Get, "/analytics/overview", AnalyticsRead, Any, One, Query;
    AnalyticsTimeseries = "analytics.timeseries", Website, Get, "/analytics/timeseries", AnalyticsRead, Any, Page, Query;
    AnalyticsRealtime = "analytics.realtime", Website, Get, "/analytics/realtime", AnalyticsRead, Any, One, Query;
    AnalyticsRealtimeMap = "analytics.realtime_map", Website, Get, "/analytics/realtime/map", AnalyticsRead, Any, One, Query;
    AnalyticsMetadata = "analytics.metadata", Website, Get, "/analytics/metadata", AnalyticsRead, Any, One, Query;
    AnalyticsPages = "analytics.pages", Website, Get, "/analytics/pages", AnalyticsRead, Any, Page, Query;
    AnalyticsReferrers = "analytics.referrers", Website, Get, "/analytics/referrers", AnalyticsRead, Any, Page, Query;
    AnalyticsCountries = "analytics.countries", Website, Get, "/analytics/countries", AnalyticsRead, Any, Page, Query;
    AnalyticsRegions = "analytics.regions", Website, Get, "/analytics/regions", AnalyticsRead, Any, Page, Query;
    AnalyticsCities = "analytics.cities", Website, Get, "/analytics/cities", AnalyticsRead, Any, Page, Query;
    AnalyticsDevices = "analytics.devices", Website, Get, "/analytics/devices", AnalyticsRead, Any, Page, Query;
    AnalyticsBrowsers = "analytics.browsers", Website, Get, "/analytics/browsers", AnalyticsRead, Any, Page, Query;
    AnalyticsOperatingSystems = "analytics.operating_systems", Website, Get, "/analytics/operating-systems", AnalyticsRead, Any, Page, Query;
    AnalyticsCampaigns = "analytics.campaigns", Website, Get, "/analytics/campaigns", AnalyticsRead, Any, Page, Query;
    AnalyticsHostnames = "analytics.hostnames", Website, Get, "/analytics/hostnames", AnalyticsRead, Any, Page, Query;
    AnalyticsGoals = "analytics.goals", Website, Get, "/analytics/goals", AnalyticsRead, Any, Page, Query;
    AnalyticsFunnel = "analytics.funnel", Website, Get, "/analytics/funnels/{funnelId}", AnalyticsRead, Any, One, Query;
    VisitorsList = "visitors.list", Website, Get, "/visitors", AnalyticsRead, Any, Page, Query;
    VisitorsGet = "visitors.get", Website, Get, "/visitors/{visitorId}", AnalyticsRead, Any, One, Query;
    GoalsCreate = "goals.create", Website, Post, "/goals", GoalsWrite, Any, One, Body;
    GoalsDelete = "goals.delete", Website, Delete, "/goals", GoalsWrite, Any, One, Query;
    PaymentsCreate = "payments.create", Website, Post, "/payments", PaymentsWrite, Any, Bare, Body;
    PaymentsDelete = "payments.delete", Website, Delete, "/payments", PaymentsWrite, Any, One, Query;
    Identify = "identify", Website, Post, "/identify", IdentifyWrite, Any, One, Body;
    AdminAccountGet = "admin.account.get", Admin, Get, "/admin/account", AnalyticsRead, Any, One, Query;
    AdminAccountUpdate = "admin.account.update", Admin, Put, "/admin/account", AnalyticsRead, AccountOnly, One, Body;
    AdminTokensList = "admin.tokens.list", Admin, Get, "/admin/access-tokens", ApiKeysRead, AccountOnly, List, Query;
    AdminTokensCreate = "admin.tokens.create", Admin, Post, "/admin/access-tokens", ApiKeysWrite, AccountOnly, One, Body;
    AdminTokensDelete = "admin.tokens.delete", Admin, Delete, "/admin/access-tokens/{tokenId}", ApiKeysWrite, AccountOnly, One, Query;
    AdminWebsitesList = "admin.websites.list", Admin, Get, "/admin/websites", WebsitesRead, AccountOnly, List, Query;
    AdminWebsitesCreate = "admin.websites.create", Admin, Post, "/admin/websites", WebsitesWrite, AccountOnly, One, Body;
    AdminWebsitesGet = "admin.websites.get", Admin, Get, "/admin/websites/{websiteId}", SettingsRead, Any, One, Query;
    AdminWebsitesUpdate = "admin.websites.update", Admin, Put, "/admin/websites/{websiteId}", SettingsWrite, Any, One, Body;
    AdminWebsitesDelete = "admin.websites.delete", Admin, Delete, "/admin/websites/{websiteId}", WebsitesWrite, Any, One, Query;
    AdminApikeysList = "admin.apikeys.list", Admin, Get, "/admin/websites/{websiteId}/apikeys", ApiKeysRead, Any, List, Query;
    AdminApikeysCreate = "admin.apikeys.create", Admin, Post, "/admin/websites/{websiteId}/apikeys", ApiKeysWrite, Any, One, Body;
    AdminApikeysRoll = "admin.apikeys.roll", Admin, Put, "/admin/websites/{websiteId}/apikeys/{apiKeyId}", ApiKeysWrite, Any, One, Body;
    AdminApikeysDelete = "admin.apikeys.delete", Admin, Delete, "/admin/websites/{websiteId}/apikeys/{apiKeyId}", ApiKeysWrite, Any, One, Query;
    AdminGoalsTracked = "admin.goals.tracked", Admin, Get, "/admin/websites/{websiteId}/goals", SettingsRead, Any, List, Query;
    AdminGoalsCustomizationsList = "admin.goals.customizations.list", Admin, Get, "/admin/websites/{websiteId}/goals/customizations", GoalsRead, Any, Envelope, Query;
    AdminGoalsCustomizationsUpdate = "admin.goals.customizations.update", Admin, Patch, "/admin/websites/{websiteId}/goals/customizations", GoalsWrite, Any, One, Body;
    AdminGoalsCustomizationsDelete = "admin.goals.customizations.delete", Admin, Delete, "/admin/websites/{websiteId}/goals/customizations", GoalsWrite, Any, One, Query;
    AdminFunnelsList = "admin.funnels.list", Admin, Get, "/admin/websites/{websiteId}/funnels", FunnelsRead, Any, List, Query;
    AdminFunnelsCreate = "admin.funnels.create", Admin, Post, "/admin/websites/{websiteId}/funnels", FunnelsWrite, Any, One, Body;
    AdminFunnelsUpdate = "admin.funnels.update", Admin, Put, "/admin/websites/{websiteId}/funnels/{funnelId}", FunnelsWrite, Any, One, Body;
    AdminFunnelsDelete = "admin.funnels.delete", Admin, Delete, "/admin/websites/{websiteId}/funnels/{funnelId}", FunnelsWrite, Any, One, Query;
    AdminAlertsList = "admin.alerts.list", Admin, Get, "/admin/websites/{websiteId}/alerts", AlertsRead, Any, List, Query;
    AdminAlertsCreate = "admin.alerts.create", Admin, Post, "/admin/websites/{websiteId}/alerts", AlertsWrite, Any, One, Body;
    AdminAlertsUpdate = "admin.alerts.update", Admin, Put, "/admin/websites/{websiteId}/alerts/{alertId}", AlertsWrite, Any, One, Body;
    AdminAlertsDelete = "admin.alerts.delete", Admin, Delete, "/admin/websites/{websiteId}/alerts/{alertId}", AlertsWrite, Any, One, Query;
    AdminAlertsHistory = "admin.alerts.history", Admin, Get, "/admin/websites/{websiteId}/alerts/history", AlertsRead, Any, Page, Query;
    AdminTeamList = "admin.team.list", Admin, Get, "/admin/websites/{websiteId}/team", TeamRead, Any, List, Query;
    AdminTeamInvite = "admin.team.invite", Admin, Post, "/admin/websites/{websiteId}/team", TeamWrite, AccountOnly, One, Body;
    AdminTeamRemove = "admin.team.remove", Admin, Delete, "/admin/websites/{websiteId}/team", TeamWrite, AccountOnly, One, Body;
    AdminIntegrationsGet = "admin.integrations.get", Admin, Get, "/admin/websites/{websiteId}/integrations", SettingsRead, Any, One, Query;
    AdminIntegrationsStripeConnect = "admin.integrations.stripe.connect", Admin, Post, "/admin/websites/{websiteId}/integrations/stripe", SettingsWrite, Any, One, Body;
    AdminIntegrationsStripeDisconnect = "admin.integrations.stripe.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/stripe", SettingsWrite, Any, One, Query;
    AdminIntegrationsLemonsqueezyConnect = "admin.integrations.lemonsqueezy.connect", Admin, Post, "/admin/websites/{websiteId}/integrations/lemonsqueezy", SettingsWrite, Any, One, Body;
    AdminIntegrationsLemonsqueezyDisconnect = "admin.integrations.lemonsqueezy.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/lemonsqueezy", SettingsWrite, Any, One, Query;
    AdminIntegrationsPolarConnect = "admin.integrations.polar.connect", Admin, Post, "/admin/websites/{websiteId}/integrations/polar", SettingsWrite, Any, One, Body;
    AdminIntegrationsPolarDisconnect = "admin.integrations.polar.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/polar", SettingsWrite, Any, One, Query;
    AdminIntegrationsPaddleConnect = "admin.integrations.paddle.connect", Admin, Post, "/admin/websites/{websiteId}/integrations/paddle", SettingsWrite, Any, One, Body;
    AdminIntegrationsPaddleDisconnect = "admin.integrations.paddle.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/paddle", SettingsWrite, Any, One, Query;
    AdminIntegrationsShopifyDisconnect = "admin.integrations.shopify.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/shopify", SettingsWrite, Any, One, Query;
    AdminIntegrationsWoocommerceDisconnect = "admin.integrations.woocommerce.disconnect", Admin, Delete, "/admin/websites/{websiteId}/integrations/woocommerce", SettingsWrite, Any, One, Query;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_method_paths_are_camel_case_and_distinct() {
        let js = |id: &str| find(id).unwrap().js_method_path();
        assert_eq!(js("analytics.operating_systems"), "analytics.operatingSystems");
        assert_eq!(js("analytics.realtime_map"), "analytics.realtimeMap");
        assert_eq!(js("admin.integrations.stripe.connect"), "integrations.stripe.connect");
        let mut seen = std::collections::HashSet::new();
        for ep in ENDPOINTS {
            let path = ep.js_method_path();
            assert!(!path.contains('_'), "{path}");
            assert!(seen.insert((ep.surface, path)), "{} collides", ep.id);
        }
    }

    /// The table above must say exactly what the contract's endpoints.tsv says.
    #[test]
    fn registry_matches_endpoints_tsv() {
        let tsv = include_str!("../endpoints.tsv");
        let rows: Vec<Vec<&str>> = tsv.lines().skip(1).map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 65);
        assert_eq!(ENDPOINTS.len(), rows.len());
        for (ep, row) in ENDPOINTS.iter().zip(&rows) {
            assert_eq!(ep.id, row[0]);
            let surface = match ep.surface {
                Website => "website",
                Admin => "admin",
            };
            assert_eq!(surface, row[1], "{}", ep.id);
            assert_eq!(ep.method.as_str(), row[2], "{}", ep.id);
            assert_eq!(ep.path, row[3], "{}", ep.id);
            assert_eq!(ep.permission.as_str(), row[4], "{}", ep.id);
            let tokens = match ep.tokens {
                Any => "df_,dft_",
                AccountOnly => "dft_",
            };
            assert_eq!(tokens, row[5], "{}", ep.id);
        }
    }

    #[test]
    fn keys_index_their_rows() {
        for (i, ep) in ENDPOINTS.iter().enumerate() {
            assert_eq!(ep.key as usize, i, "{}", ep.id);
            assert_eq!(ep.key.endpoint(), ep);
        }
    }

    /// Input goes where the method puts it, except team removal (a DELETE with a JSON body,
    /// CONTRACT A30).
    #[test]
    fn input_placement_follows_the_method_but_for_team_removal() {
        for ep in ENDPOINTS {
            let exception = ep.key == EndpointId::AdminTeamRemove;
            assert_eq!(ep.has_body(), ep.method.has_body() != exception, "{}", ep.id);
        }
    }

    #[test]
    fn ids_are_unique_and_routes_resolve_to_themselves() {
        for ep in ENDPOINTS {
            assert_eq!(find(ep.id), Some(ep));
            let concrete: String = ep
                .path
                .split('/')
                .map(|s| if s.starts_with('{') { "665f0b3c4d2e1a0012345678" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            match route(ep.method, &concrete) {
                Route::Found(found, params) => {
                    assert_eq!(found.id, ep.id);
                    assert_eq!(params.len(), ep.path_params().count());
                }
                other => panic!("{} did not route: {other:?}", ep.id),
            }
        }
    }

    #[test]
    fn literal_segment_wins_and_methods_are_checked() {
        let Route::Found(ep, params) = route(Get, "/admin/websites/w1/alerts/history") else { panic!() };
        assert_eq!(ep.id, "admin.alerts.history");
        assert!(params.is_empty() || params == vec![("websiteId", "w1")]);
        let Route::Found(ep, params) = route(Put, "/admin/websites/w1/alerts/a9") else { panic!() };
        assert_eq!(ep.id, "admin.alerts.update");
        assert_eq!(params, vec![("websiteId", "w1"), ("alertId", "a9")]);
        assert_eq!(route(Patch, "/analytics/overview"), Route::MethodNotAllowed);
        assert_eq!(route(Get, "/analytics/nope"), Route::NotFound);
        assert_eq!(route(Get, "/admin/websites//apikeys"), Route::NotFound);
        assert!(matches!(route(Get, "/analytics/overview/"), Route::Found(..)));
    }

    #[test]
    fn method_paths_follow_the_naming_rule() {
        assert_eq!(find("admin.funnels.create").unwrap().method_path(), "funnels.create");
        assert_eq!(find("identify").unwrap().method_path(), "identify");
        let funnels_update = find("admin.funnels.update").unwrap();
        assert_eq!(funnels_update.path_params().collect::<Vec<_>>(), ["websiteId", "funnelId"]);
        assert!(find("admin.team.remove").unwrap().has_body());
        assert!(!find("goals.delete").unwrap().has_body());
        assert_eq!(ENDPOINTS.iter().filter(|e| e.surface == Website).count(), 24);
        assert_eq!(ENDPOINTS.iter().filter(|e| e.surface == Admin).count(), 41);
    }
}
