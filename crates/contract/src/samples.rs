//! One valid input per endpoint, as JSON text: what a caller passes as the call's parameters
//! (the query or the body, [`crate::Endpoint::has_body`]). Tests build on them: the
//! cross-check breaks each one in ways generated from [`crate::params`] and sends the result to
//! the client and to the emulator.
//!
//! `$visitor` stands for a visitor UUID with pageviews on the website; path placeholders are
//! not part of a sample. Nothing here is linked into the client, which never reads it.

/// The sample input of every endpoint, by registry id (`{}` = a call without parameters).
#[rustfmt::skip]
pub static SAMPLES: &[(&str, &str)] = &[
    ("analytics.overview", r#"{"startAt":"2026-05-01","endAt":"2026-05-31","timezone":"UTC","fields":"visitors,revenue","filters":{"country":"US"}}"#),
    ("analytics.timeseries", r#"{"fields":"visitors,revenue","interval":"day","limit":10,"offset":0}"#),
    ("analytics.realtime", r#"{"fields":"visitors"}"#),
    ("analytics.realtime_map", "{}"),
    ("analytics.metadata", r#"{"fields":"domain,timezone"}"#),
    ("analytics.pages", r#"{"limit":5,"offset":0,"fields":"path,visitors","filters":{"page":{"contains":"/docs"}}}"#),
    ("analytics.referrers", r#"{"limit":5,"fields":"referrer,visitors"}"#),
    ("analytics.countries", r#"{"limit":5,"fields":"country,image,visitors"}"#),
    ("analytics.regions", r#"{"limit":5}"#),
    ("analytics.cities", r#"{"limit":5}"#),
    ("analytics.devices", r#"{"fields":"device,visitors"}"#),
    ("analytics.browsers", r#"{"limit":5}"#),
    ("analytics.operating_systems", r#"{"limit":5}"#),
    ("analytics.campaigns", r#"{"fields":"utm_source,visitors"}"#),
    ("analytics.hostnames", r#"{"limit":5}"#),
    ("analytics.goals", r#"{"limit":5,"fields":"name,completions"}"#),
    ("analytics.funnel", r#"{"startAt":"2026-05-01","endAt":"2026-05-31"}"#),
    ("visitors.list", r#"{"limit":10,"offset":0,"country":"US","isCustomer":false,"visitedPage":"/"}"#),
    ("visitors.get", "{}"),
    ("goals.create", r#"{"datafast_visitor_id":"$visitor","name":"newsletter_signup","metadata":{"plan":"pro"}}"#),
    ("goals.delete", r#"{"datafast_visitor_id":"$visitor","name":"newsletter_signup"}"#),
    ("payments.create", r#"{"amount":29.99,"currency":"USD","transaction_id":"tx_sample_1","datafast_visitor_id":"$visitor","email":"buyer@example.com"}"#),
    ("payments.delete", r#"{"transaction_id":"tx_sample_1"}"#),
    ("identify", r#"{"user_id":"user-1","datafast_visitor_id":"$visitor","plan":"pro"}"#),
    ("admin.account.get", "{}"),
    ("admin.account.update", r#"{"name":"Sample account"}"#),
    ("admin.tokens.list", "{}"),
    ("admin.tokens.create", r#"{"name":"sample","permissions":["analytics:read"]}"#),
    ("admin.tokens.delete", "{}"),
    ("admin.websites.list", "{}"),
    ("admin.websites.create", r#"{"domain":"sample.example.org","timezone":"UTC","name":"Sample"}"#),
    ("admin.websites.get", "{}"),
    ("admin.websites.update", r#"{"kpi":"signup","kpiColorScheme":"blue","isCookieless":false,"excludedIps":["10.0.0.1"]}"#),
    ("admin.websites.delete", "{}"),
    ("admin.apikeys.list", "{}"),
    ("admin.apikeys.create", r#"{"name":"sample"}"#),
    ("admin.apikeys.roll", "{}"),
    ("admin.apikeys.delete", "{}"),
    ("admin.goals.tracked", "{}"),
    ("admin.goals.customizations.list", r#"{"goalName":"signup"}"#),
    ("admin.goals.customizations.update", r##"{"goalName":"signup","displayName":"Sign-ups","color":"#ef4444"}"##),
    ("admin.goals.customizations.delete", r#"{"goalName":"signup"}"#),
    ("admin.funnels.list", "{}"),
    ("admin.funnels.create", r#"{"name":"Sample funnel","steps":[{"name":"Home","type":"pageview","url":"/"},{"name":"Signup","type":"goal","goalName":"signup"}]}"#),
    ("admin.funnels.update", r#"{"name":"Renamed funnel","isActive":true}"#),
    ("admin.funnels.delete", "{}"),
    ("admin.alerts.list", "{}"),
    ("admin.alerts.create", r#"{"name":"New signup","trigger":{"goalName":"signup"},"template":{"message":"A visitor signed up."},"isEnabled":true}"#),
    ("admin.alerts.update", r#"{"isEnabled":false,"template":{"subject":"Signup"}}"#),
    ("admin.alerts.delete", "{}"),
    ("admin.alerts.history", r#"{"limit":10}"#),
    ("admin.team.list", "{}"),
    ("admin.team.invite", r#"{"email":"invitee@example.org","role":"viewer"}"#),
    ("admin.team.remove", r#"{"userId":"665f0b3c4d2e1a0012345678"}"#),
    ("admin.integrations.get", "{}"),
    ("admin.integrations.stripe.connect", r#"{"stripeRak":"rk_live_51NsampleRestrictedKey"}"#),
    ("admin.integrations.stripe.disconnect", "{}"),
    ("admin.integrations.lemonsqueezy.connect", r#"{"lemonsqueezyApiKey":"ls_sample_key","lemonsqueezyStoreId":"12345"}"#),
    ("admin.integrations.lemonsqueezy.disconnect", "{}"),
    ("admin.integrations.polar.connect", r#"{"polarAccessToken":"polar_oat_sample","polarOrgId":"org_sample"}"#),
    ("admin.integrations.polar.disconnect", "{}"),
    ("admin.integrations.paddle.connect", r#"{"paddleApiKey":"pdl_live_apikey_sample0123456789"}"#),
    ("admin.integrations.paddle.disconnect", "{}"),
    ("admin.integrations.shopify.disconnect", "{}"),
    ("admin.integrations.woocommerce.disconnect", "{}"),
];

/// The sample input of `endpoint_id`.
pub fn of(endpoint_id: &str) -> Option<&'static str> {
    SAMPLES.iter().find(|(id, _)| *id == endpoint_id).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ENDPOINTS;

    #[test]
    fn every_endpoint_has_exactly_one_valid_sample() {
        assert_eq!(SAMPLES.len(), ENDPOINTS.len());
        for ep in ENDPOINTS {
            assert_eq!(SAMPLES.iter().filter(|(id, _)| *id == ep.id).count(), 1, "{}", ep.id);
            let text = of(ep.id).unwrap().replace("$visitor", "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd");
            let sample: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", ep.id));
            let spec = crate::params::of(ep.id);
            if let Err(e) = crate::params::check(ep.id, spec, Some(&sample)) {
                panic!("{}: the sample breaks a rule: {e}", ep.id)
            }
        }
    }
}
