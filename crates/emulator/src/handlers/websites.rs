//! A06 `GET /admin/websites`, A07 `POST /admin/websites`, A08–A10 one website's settings.

use super::{optional_bool, optional_str, optional_str_list, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Membership, Role, Store, Website};
use crate::tz;
use datafast_contract::rules::{self, RuleViolation};
use serde_json::{json, Value};

pub fn list(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    let p = ctx.principal;
    let data: Vec<Value> = store
        .websites
        .iter()
        .filter(|w| p.scope_includes(&w.id))
        .filter_map(|w| Some((w, store.role_of(&p.user_id, &w.id)?)))
        .map(|(w, role)| {
            json!({
                "_id": w.id,
                "domain": w.domain,
                "name": w.name,
                "trackingId": w.tracking_id,
                "timezone": w.timezone,
                "currency": w.currency,
                "role": role.as_str(),
            })
        })
        .collect();
    Ok(Reply::data(Value::Array(data)))
}

pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let domain = rules::domain("domain", required_str(body, "domain")?)?;
    let timezone = required_str(body, "timezone")?.trim();
    if !tz::is_known(timezone) {
        return Err(RuleViolation::new(
            "timezone",
            format!("must be an IANA time zone name such as UTC or Europe/Paris; `{timezone}` is not one this emulator knows"),
        )
        .into());
    }
    let name = optional_str(body, "name")?.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);

    let user_id = ctx.principal.user_id.clone();
    let duplicate =
        store.websites.iter().any(|w| w.domain == domain && store.role_of(&user_id, &w.id) == Some(Role::Owner));
    if duplicate {
        return Err(ApiError::conflict(format!("a website with domain {domain} already exists in this account")));
    }

    let id = store.new_object_id();
    let tracking_id = store.new_tracking_id();
    store.websites.push(Website {
        id: id.clone(),
        domain: domain.clone(),
        name,
        tracking_id: tracking_id.clone(),
        timezone: timezone.to_string(),
        // CONTRACT A07 (inferred): new websites count in USD.
        currency: "USD".into(),
        created_at: ctx.now_ms,
        settings: Default::default(),
    });
    // The creator owns the website (CONTRACT A07, inferred).
    store.memberships.push(Membership { website_id: id.clone(), user_id, role: Role::Owner, joined_at: ctx.now_ms });
    store.events.insert(id.clone(), Default::default());
    Ok(Reply::data(json!([{ "websiteId": id, "domain": domain, "trackingId": tracking_id }])))
}

/// The A08 shape: settings without internal fields.
fn website_json(w: &Website) -> Value {
    let s = &w.settings;
    json!({
        "_id": w.id,
        "domain": w.domain,
        "name": w.name,
        "trackingId": w.tracking_id,
        "timezone": w.timezone,
        "currency": w.currency,
        "kpi": s.kpi,
        "kpiColorScheme": s.kpi_color_scheme,
        "revenueMetric": s.revenue_metric,
        "isCookieless": s.is_cookieless,
        "includeRenewalRevenue": s.include_renewal_revenue,
        "allowedHostnames": s.allowed_hostnames,
        "excludedIps": s.excluded_ips,
        "excludedPaths": s.excluded_paths,
        "excludedCountries": s.excluded_countries,
        "excludedHostnames": s.excluded_hostnames,
    })
}

pub fn get(ctx: &Ctx, store: &Store) -> Result<Reply, ApiError> {
    Ok(Reply::data(json!([website_json(ctx.website(store)?)])))
}

/// A09. Edits a copy and writes it back only when every field passed, so a 400 in the
/// last field leaves the first ones unchanged too. Unknown fields never get here (`validate`).
pub fn update(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let body = ctx.body;
    let mut w = ctx.website(store)?.clone();

    if body.contains_key("domain") {
        let d = rules::domain("domain", required_str(body, "domain")?)?;
        let owner = store
            .memberships
            .iter()
            .find(|m| m.website_id == w.id && m.role == Role::Owner)
            .map(|m| m.user_id.as_str());
        // Same rule as create: one domain once per owner's account.
        let taken = store.websites.iter().any(|o| {
            o.id != w.id && o.domain == d && owner.is_some_and(|u| store.role_of(u, &o.id) == Some(Role::Owner))
        });
        if taken {
            return Err(ApiError::conflict(format!("a website with domain {d} already exists in this account")));
        }
        w.domain = d;
    }
    if body.contains_key("name") {
        w.name = optional_str(body, "name")?.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    }
    if body.contains_key("timezone") {
        let tz_name = required_str(body, "timezone")?.trim();
        if !tz::is_known(tz_name) {
            return Err(RuleViolation::new(
                "timezone",
                format!("must be an IANA time zone name such as UTC or Europe/Paris; `{tz_name}` is not one this emulator knows"),
            )
            .into());
        }
        w.timezone = tz_name.to_string();
    }
    if body.contains_key("currency") {
        w.currency = rules::currency("currency", required_str(body, "currency")?)?;
    }
    let s = &mut w.settings;
    // Optional strings: `null` or "" clears them.
    let text = |field: &str| -> Result<Option<Option<String>>, ApiError> {
        if !body.contains_key(field) {
            return Ok(None);
        }
        Ok(Some(optional_str(body, field)?.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)))
    };
    if let Some(v) = text("kpi")? {
        s.kpi = v;
    }
    if let Some(v) = text("kpiColorScheme")? {
        s.kpi_color_scheme = v;
    }
    if let Some(v) = text("revenueMetric")? {
        if v.as_deref().is_some_and(|m| m != "revenue" && m != "mrr") {
            return Err(ApiError::bad_request("`revenueMetric` must be `revenue` or `mrr`"));
        }
        s.revenue_metric = v;
    }
    for (field, slot) in [
        ("sendWeeklyReports", &mut s.send_weekly_reports),
        ("sendViralTrafficAlerts", &mut s.send_viral_traffic_alerts),
        ("isPublicDashboardEnabled", &mut s.is_public_dashboard_enabled),
        ("isPublicDataEnabled", &mut s.is_public_data_enabled),
        ("isCookieless", &mut s.is_cookieless),
        ("isAttackModeEnabled", &mut s.is_attack_mode_enabled),
        ("includeRenewalRevenue", &mut s.include_renewal_revenue),
        ("isAllHostnamesAllowed", &mut s.is_all_hostnames_allowed),
    ] {
        if let Some(b) = optional_bool(body, field)? {
            *slot = b;
        }
    }
    for (field, slot) in [
        ("allowedHostnames", &mut s.allowed_hostnames),
        ("excludedIps", &mut s.excluded_ips),
        ("excludedPaths", &mut s.excluded_paths),
        ("excludedCountries", &mut s.excluded_countries),
        ("excludedHostnames", &mut s.excluded_hostnames),
    ] {
        if let Some(list) = optional_str_list(body, field)? {
            *slot = list.into_iter().map(str::to_string).collect();
        }
    }

    let out = website_json(&w);
    if let Some(slot) = store.websites.iter_mut().find(|o| o.id == w.id) {
        *slot = w;
    }
    Ok(Reply::data(json!([out])))
}

/// A10: the API never deletes websites (CONTRACT 2.3(4)); the dashboard does.
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let id = &ctx.website(store)?.id;
    Err(ApiError::forbidden(format!(
        "Website deletion cannot be done programmatically. Please delete this website from the DataFast dashboard: https://datafa.st/dashboard/{id}"
    )))
}
