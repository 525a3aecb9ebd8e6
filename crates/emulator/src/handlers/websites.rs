//! A06 `GET /admin/websites`, A07 `POST /admin/websites`.

use super::{json_object, optional_str, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Membership, Role, Store, Website};
use crate::tz;
use datafast_contract::rules::{RuleResult, RuleViolation};
use serde_json::{json, Value};

pub fn list(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
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
    let body = json_object(ctx.body)?;
    let domain = domain("domain", required_str(&body, "domain")?)?;
    let timezone = required_str(&body, "timezone")?.trim();
    if !tz::is_known(timezone) {
        return Err(RuleViolation::new(
            "timezone",
            format!("must be an IANA time zone name such as UTC or Europe/Paris; `{timezone}` is not one this emulator knows"),
        )
        .into());
    }
    let name = optional_str(&body, "name")?
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);

    let user_id = ctx.principal.user_id.clone();
    let duplicate = store
        .websites
        .iter()
        .any(|w| w.domain == domain && store.role_of(&user_id, &w.id) == Some(Role::Owner));
    if duplicate {
        return Err(ApiError::conflict(format!(
            "a website with domain {domain} already exists in this account"
        )));
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
    store.memberships.push(Membership {
        website_id: id.clone(),
        user_id,
        role: Role::Owner,
        joined_at: ctx.now_ms,
    });
    store.events.insert(id.clone(), Vec::new());
    Ok(Reply::data(
        json!([{ "websiteId": id, "domain": domain, "trackingId": tracking_id }]),
    ))
}

/// A bare domain name (`example.com`, `blog.example.co.uk`), lowercased: no scheme, path,
/// port or spaces; labels of 1–63 letters, digits and inner hyphens; an alphabetic TLD.
pub fn domain(field: &str, raw: &str) -> RuleResult<String> {
    let d = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    if d.contains("://") {
        return Err(RuleViolation::new(
            field,
            "must be a bare domain without a scheme (example.com, not https://example.com)",
        ));
    }
    if d.contains(['/', '?', '#', ':', '@']) || d.chars().any(char::is_whitespace) {
        return Err(RuleViolation::new(
            field,
            "must be a bare domain name, without path, port or spaces",
        ));
    }
    let labels: Vec<&str> = d.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_lowercase()));
    if d.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(RuleViolation::new(
            field,
            "must be a valid domain name such as example.com",
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::domain;

    #[test]
    fn domains() {
        assert_eq!(domain("domain", " Example.COM ").unwrap(), "example.com");
        assert_eq!(
            domain("domain", "blog.example.co.uk").unwrap(),
            "blog.example.co.uk"
        );
        assert_eq!(domain("domain", "my-site.io.").unwrap(), "my-site.io");
        for bad in [
            "https://example.com",
            "example.com/path",
            "example.com:8080",
            "localhost",
            "exa mple.com",
            "-x.com",
            "x.c0m",
            "",
            "a..b.com",
        ] {
            let e = domain("domain", bad).unwrap_err();
            assert_eq!(e.field, "domain", "{bad}");
        }
        assert!(domain("domain", "https://example.com")
            .unwrap_err()
            .rule
            .contains("scheme"));
    }
}
