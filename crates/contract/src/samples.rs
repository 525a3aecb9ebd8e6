//! One valid input per endpoint, as JSON text: what a caller passes as the call's parameters
//! (the query or the body, [`crate::Endpoint::has_body`]). Tests build on them: the
//! cross-check breaks each one in ways generated from [`crate::params`] and sends the result to
//! the client and to the emulator.
//!
//! Path placeholders are not part of a sample. Nothing here is linked into the client, which
//! never reads it.

use crate::registry::EndpointId;

/// The sample input of every endpoint (`{}` = a call without parameters): a `match` without a
/// default arm, so a route added to the registry without its sample does not compile.
///
/// Placeholders: `$visitor` a visitor UUID with pageviews on the website, `$website` the
/// website's id, `$user` the user id of a member of its team, `$n` a number unique per call
/// (names and ids that must not repeat).
pub fn of(key: EndpointId) -> &'static str {
    use EndpointId::*;
    match key {
        AnalyticsOverview => {
            r#"{"startAt":"2026-05-01","endAt":"2026-05-31","timezone":"UTC","fields":"visitors,revenue","filters":{"country":"US"}}"#
        }
        AnalyticsTimeseries => r#"{"fields":"visitors,revenue","interval":"day","limit":10,"offset":0}"#,
        AnalyticsRealtime => r#"{"fields":"visitors"}"#,
        AnalyticsRealtimeMap => "{}",
        AnalyticsMetadata => r#"{"fields":"domain,timezone"}"#,
        AnalyticsPages => r#"{"limit":5,"offset":0,"fields":"path,visitors","filters":{"page":{"contains":"/docs"}}}"#,
        AnalyticsReferrers => r#"{"limit":5,"fields":"referrer,visitors"}"#,
        AnalyticsCountries => r#"{"limit":5,"fields":"country,image,visitors"}"#,
        AnalyticsRegions => r#"{"limit":5}"#,
        AnalyticsCities => r#"{"limit":5}"#,
        AnalyticsDevices => r#"{"fields":"device,visitors"}"#,
        AnalyticsBrowsers => r#"{"limit":5}"#,
        AnalyticsOperatingSystems => r#"{"limit":5}"#,
        AnalyticsCampaigns => r#"{"fields":"utm_source,visitors"}"#,
        AnalyticsHostnames => r#"{"limit":5}"#,
        AnalyticsGoals => r#"{"limit":5,"fields":"name,completions"}"#,
        AnalyticsFunnel => r#"{"startAt":"2026-05-01","endAt":"2026-05-31"}"#,
        VisitorsList => r#"{"limit":10,"offset":0,"country":"US","isCustomer":false,"visitedPage":"/"}"#,
        VisitorsGet => "{}",
        GoalsCreate => r#"{"datafast_visitor_id":"$visitor","name":"sample_goal_$n","metadata":{"plan":"pro"}}"#,
        GoalsDelete => r#"{"datafast_visitor_id":"$visitor","name":"sample_goal_$n"}"#,
        PaymentsCreate => {
            r#"{"amount":29.99,"currency":"USD","transaction_id":"tx_sample_$n","datafast_visitor_id":"$visitor","email":"buyer@example.com"}"#
        }
        PaymentsDelete => r#"{"transaction_id":"tx_sample_$n"}"#,
        Identify => r#"{"user_id":"user-1","datafast_visitor_id":"$visitor","plan":"pro"}"#,
        AdminAccountGet => "{}",
        AdminAccountUpdate => r#"{"name":"Sample account $n"}"#,
        AdminTokensList => "{}",
        AdminTokensCreate => r#"{"name":"sample","permissions":["analytics:read"],"websiteIds":["$website"]}"#,
        AdminTokensDelete => "{}",
        AdminWebsitesList => "{}",
        AdminWebsitesCreate => r#"{"domain":"sample$n.example.org","timezone":"UTC","name":"Sample"}"#,
        AdminWebsitesGet => "{}",
        AdminWebsitesUpdate => {
            r#"{"kpi":"signup","kpiColorScheme":"blue","isCookieless":false,"excludedIps":["10.0.0.1"]}"#
        }
        AdminWebsitesDelete => "{}",
        AdminApikeysList => "{}",
        AdminApikeysCreate => r#"{"name":"sample"}"#,
        AdminApikeysRoll => "{}",
        AdminApikeysDelete => "{}",
        AdminGoalsTracked => "{}",
        AdminGoalsCustomizationsList => r#"{"goalName":"signup"}"#,
        AdminGoalsCustomizationsUpdate => r##"{"goalName":"signup","displayName":"Sign-ups","color":"#ef4444"}"##,
        AdminGoalsCustomizationsDelete => r#"{"goalName":"signup"}"#,
        AdminFunnelsList => "{}",
        AdminFunnelsCreate => {
            r#"{"name":"Sample funnel $n","steps":[{"name":"Home","type":"pageview","url":"/"},{"name":"Signup","type":"goal","goalName":"signup"}]}"#
        }
        AdminFunnelsUpdate => r#"{"name":"Renamed funnel $n","isActive":true}"#,
        AdminFunnelsDelete => "{}",
        AdminAlertsList => "{}",
        AdminAlertsCreate => {
            r#"{"name":"New signup","trigger":{"goalName":"signup"},"template":{"message":"A visitor signed up."},"isEnabled":true}"#
        }
        AdminAlertsUpdate => r#"{"isEnabled":false,"template":{"subject":"Signup"}}"#,
        AdminAlertsDelete => "{}",
        AdminAlertsHistory => r#"{"limit":10}"#,
        AdminTeamList => "{}",
        AdminTeamInvite => r#"{"email":"invitee$n@example.org","role":"viewer"}"#,
        AdminTeamRemove => r#"{"userId":"$user"}"#,
        AdminIntegrationsGet => "{}",
        AdminIntegrationsStripeConnect => r#"{"stripeRak":"rk_live_51NsampleRestrictedKey"}"#,
        AdminIntegrationsStripeDisconnect => "{}",
        AdminIntegrationsLemonsqueezyConnect => {
            r#"{"lemonsqueezyApiKey":"ls_sample_key","lemonsqueezyStoreId":"12345"}"#
        }
        AdminIntegrationsLemonsqueezyDisconnect => "{}",
        AdminIntegrationsPolarConnect => r#"{"polarAccessToken":"polar_oat_sample","polarOrgId":"org_sample"}"#,
        AdminIntegrationsPolarDisconnect => "{}",
        AdminIntegrationsPaddleConnect => r#"{"paddleApiKey":"pdl_live_apikey_sample0123456789"}"#,
        AdminIntegrationsPaddleDisconnect => "{}",
        AdminIntegrationsShopifyDisconnect => "{}",
        AdminIntegrationsWoocommerceDisconnect => "{}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ENDPOINTS;

    #[test]
    fn every_sample_is_valid_input() {
        for ep in ENDPOINTS {
            let text = of(ep.key)
                .replace("$visitor", "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd")
                .replace("$website", "665f0b3c4d2e1a0012345678")
                .replace("$user", "665f0b3c4d2e1a0012345679")
                .replace("$n", "7");
            let sample: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", ep.id));
            assert!(sample.is_object(), "{}", ep.id);
            if let Err(e) = crate::params::check(ep.id, ep.params(), Some(&sample)) {
                panic!("{}: the sample breaks a rule: {e}", ep.id)
            }
        }
    }
}
