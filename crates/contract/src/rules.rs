//! Input rules of the contract (CONTRACT.md 2.10, section 4), enforced identically by the
//! client (before sending) and the emulator (answering 400).

use std::fmt;

/// A broken input rule: which field, and the rule it broke, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleViolation {
    pub field: String,
    pub rule: String,
}

impl RuleViolation {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        RuleViolation { field: field.into(), rule: rule.into() }
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.rule)
    }
}

impl std::error::Error for RuleViolation {}

pub type RuleResult<T> = Result<T, RuleViolation>;

/// Longest goal name for events (`POST /goals`).
pub const GOAL_NAME_MAX: usize = 64;
/// Longest `goalName` of a funnel step.
pub const FUNNEL_STEP_GOAL_NAME_MAX: usize = 32;
/// Breakdown and timeseries page size.
pub const BREAKDOWN_LIMIT_MAX: u32 = 1000;
pub const BREAKDOWN_LIMIT_DEFAULT: u32 = 100;
/// Custom metadata on goals and identify.
pub const METADATA_MAX_KEYS: usize = 10;
pub const METADATA_KEY_MAX: usize = 64;
pub const METADATA_VALUE_MAX: usize = 255;

/// Normalizes a goal name the way the API does (trim, lowercase, spaces → `_`) and checks it:
/// (ASCII lowercasing: any other letter is refused by the character rule anyway, and it keeps
/// Unicode case tables out of the wasm client)
/// characters `a-z 0-9 _ - :`, 1..=`max` long, `identify` reserved.
pub fn goal_name(field: &str, raw: &str, max: usize) -> RuleResult<String> {
    let name: String = raw.trim().to_ascii_lowercase().replace(' ', "_");
    if name.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    if name.chars().count() > max {
        return Err(RuleViolation::new(field, format!("must be at most {max} characters")));
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | ':')) {
        return Err(RuleViolation::new(field, "may contain only lowercase letters, digits, `_`, `-` and `:`"));
    }
    if name == "identify" {
        return Err(RuleViolation::new(field, "must not be the reserved name `identify`"));
    }
    Ok(name)
}

/// A 24-hex-digit ObjectId, the form of every website, key, token, funnel and alert id.
pub fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn object_id(field: &str, s: &str) -> RuleResult<()> {
    if is_object_id(s) {
        Ok(())
    } else {
        Err(RuleViolation::new(field, "must be a 24-character hexadecimal id"))
    }
}

/// A UUID in its 8-4-4-4-12 hexadecimal form (visitor ids).
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn visitor_id(field: &str, s: &str) -> RuleResult<()> {
    if is_uuid(s) {
        Ok(())
    } else {
        Err(RuleViolation::new(field, "must be a visitor UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"))
    }
}

/// Custom metadata: at most 10 keys matching `^[a-z0-9_-]+$` of ≤ 64 characters, string
/// values of ≤ 255 characters.
pub fn metadata<'a>(field: &str, entries: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> RuleResult<()> {
    let count_rule = format!("may have at most {METADATA_MAX_KEYS} keys");
    custom_fields(field, &count_rule, &|key| format!("{field}.{key}"), &mut entries.into_iter())
}

/// The custom fields of `POST /identify`: every top-level key besides `user_id` and the
/// visitor id, under the same limits as goal metadata. A violation names the key itself.
pub fn identify_fields<'a>(entries: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> RuleResult<()> {
    let count_rule =
        format!("may carry at most {METADATA_MAX_KEYS} custom fields besides user_id and datafast_visitor_id");
    custom_fields("body", &count_rule, &str::to_string, &mut entries.into_iter())
}

/// The shared limits of custom metadata; `path` names the field of one key. (Trait objects
/// rather than generics: one copy of this in the wasm client, not one per caller.)
fn custom_fields<'a>(
    count_field: &str,
    count_rule: &str,
    path: &dyn Fn(&str) -> String,
    entries: &mut dyn Iterator<Item = (&'a str, Option<&'a str>)>,
) -> RuleResult<()> {
    let mut count = 0;
    for (key, value) in entries {
        count += 1;
        if count > METADATA_MAX_KEYS {
            return Err(RuleViolation::new(count_field, count_rule));
        }
        let key_ok = !key.is_empty()
            && key.len() <= METADATA_KEY_MAX
            && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !key_ok {
            return Err(RuleViolation::new(
                path(key),
                format!("key must match ^[a-z0-9_-]+$ and be at most {METADATA_KEY_MAX} characters"),
            ));
        }
        match value {
            Some(v) if v.chars().count() <= METADATA_VALUE_MAX => {}
            Some(_) => {
                return Err(RuleViolation::new(path(key), format!("must be at most {METADATA_VALUE_MAX} characters")))
            }
            None => return Err(RuleViolation::new(path(key), "must be a string")),
        }
    }
    Ok(())
}

/// A page size: 1..=`max`.
pub fn limit(field: &str, value: f64, max: u32) -> RuleResult<u32> {
    if value.fract() != 0.0 || value < 1.0 || value > f64::from(max) {
        return Err(RuleViolation::new(field, format!("must be a whole number from 1 to {max}")));
    }
    Ok(value as u32)
}

/// An offset: a whole number ≥ 0.
pub fn offset(field: &str, value: f64) -> RuleResult<u64> {
    if value.fract() != 0.0 || !(0.0..=1e15).contains(&value) {
        return Err(RuleViolation::new(field, "must be a whole number of 0 or more"));
    }
    Ok(value as u64)
}

/// A date bound: `YYYY-MM-DD` or an ISO-8601 instant with `Z` or an offset.
pub fn date(field: &str, s: &str) -> RuleResult<()> {
    if is_plain_date(s) || is_instant_with_zone(s) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            field,
            "must be a date (YYYY-MM-DD) or an ISO-8601 time with Z or an offset (2026-05-01T00:00:00Z)",
        ))
    }
}

/// `startAt`/`endAt` come together or not at all.
pub fn date_pair(start: Option<&str>, end: Option<&str>) -> RuleResult<()> {
    match (start, end) {
        (Some(s), Some(e)) => {
            date("startAt", s)?;
            date("endAt", e)
        }
        (None, None) => Ok(()),
        (Some(_), None) => Err(RuleViolation::new("endAt", "is required when startAt is given")),
        (None, Some(_)) => Err(RuleViolation::new("startAt", "is required when endAt is given")),
    }
}

pub fn is_plain_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

pub fn is_instant_with_zone(s: &str) -> bool {
    let Some((day, time)) = s.split_once('T') else { return false };
    if !is_plain_date(day) {
        return false;
    }
    let (clock, zone_ok) = if let Some(c) = time.strip_suffix('Z') {
        (c, true)
    } else if let Some((clock, zone)) = time.rfind(['+', '-']).and_then(|pos| time.split_at_checked(pos)) {
        // `zone` is `±hh:mm`. (A checked split: a slicing panic would link Rust's
        // panic-message formatting into the wasm client.)
        let ok = zone.len() == 6
            && zone.bytes().enumerate().all(|(i, c)| match i {
                0 => true,
                3 => c == b':',
                _ => c.is_ascii_digit(),
            });
        (clock, ok)
    } else {
        (time, false)
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let hb = hms.as_bytes();
    zone_ok
        && !frac.is_empty()
        && frac.bytes().all(|c| c.is_ascii_digit())
        && (hb.len() == 8 && hb.get(2) == Some(&b':') && hb.get(5) == Some(&b':')
            || hb.len() == 5 && hb.get(2) == Some(&b':'))
        && hms.bytes().all(|c| c == b':' || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_names_are_normalized_then_checked() {
        assert_eq!(goal_name("name", " Sign Up ", GOAL_NAME_MAX).unwrap(), "sign_up");
        assert_eq!(goal_name("name", "checkout:step-2", GOAL_NAME_MAX).unwrap(), "checkout:step-2");
        let e = goal_name("name", "café", GOAL_NAME_MAX).unwrap_err();
        assert_eq!(e.field, "name");
        assert!(e.rule.contains("lowercase"));
        assert!(goal_name("name", "identify", GOAL_NAME_MAX).unwrap_err().rule.contains("reserved"));
        assert!(goal_name("name", "   ", GOAL_NAME_MAX).is_err());
        assert!(goal_name("name", &"a".repeat(64), GOAL_NAME_MAX).is_ok());
        assert!(goal_name("name", &"a".repeat(65), GOAL_NAME_MAX).is_err());
        assert!(goal_name("goalName", &"a".repeat(33), FUNNEL_STEP_GOAL_NAME_MAX).is_err());
    }

    #[test]
    fn ids() {
        assert!(is_object_id("665f0b3c4d2e1a0012345678"));
        assert!(!is_object_id("665f0b3c4d2e1a001234567g"));
        assert!(!is_object_id("665f0b3c"));
        assert!(is_uuid("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"));
        assert!(!is_uuid("a3ab2331989f4cfa91c62461c9e3c6bd"));
        assert!(!is_uuid("a3ab2331-989f-4cfa-91c6-2461c9e3c6bz"));
    }

    #[test]
    fn metadata_limits() {
        assert!(metadata("metadata", [("plan", Some("pro")), ("seats-2", Some("3"))]).is_ok());
        let too_many: Vec<(String, String)> = (0..11).map(|i| (format!("k{i}"), "v".to_string())).collect();
        let e = metadata("metadata", too_many.iter().map(|(k, v)| (k.as_str(), Some(v.as_str())))).unwrap_err();
        assert!(e.rule.contains("at most 10"));
        assert_eq!(metadata("metadata", [("Bad Key", Some("v"))]).unwrap_err().field, "metadata.Bad Key");
        let long = "x".repeat(256);
        assert!(metadata("metadata", [("k", Some(long.as_str()))]).is_err());
        assert!(metadata("metadata", [("k", None)]).unwrap_err().rule.contains("string"));
    }

    #[test]
    fn dates() {
        for ok in ["2026-05-01", "2026-05-01T00:00:00Z", "2026-05-01T10:30:00.123+05:30", "2026-05-01T10:30-04:00"] {
            assert!(date("startAt", ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-5-1",
            "2026-13-01",
            "2026-05-01T00:00:00",
            "yesterday",
            "2026-05-01T00:00:00+0530",
            "2026-05-01T00:00:00+05;30",
            "2026-05-01T00:00:00+05:3x",
            "2026-05-01T00:00:00+é:30",
            "",
        ] {
            assert!(date("startAt", bad).is_err(), "{bad}");
        }
        assert_eq!(date_pair(Some("2026-05-01"), None).unwrap_err().field, "endAt");
        assert_eq!(date_pair(None, Some("2026-05-01")).unwrap_err().field, "startAt");
        assert!(date_pair(None, None).is_ok());
    }

    #[test]
    fn paging() {
        assert_eq!(limit("limit", 1000.0, BREAKDOWN_LIMIT_MAX).unwrap(), 1000);
        assert!(limit("limit", 1001.0, BREAKDOWN_LIMIT_MAX).is_err());
        assert!(limit("limit", 0.0, BREAKDOWN_LIMIT_MAX).is_err());
        assert!(limit("limit", 2.5, BREAKDOWN_LIMIT_MAX).is_err());
        assert_eq!(offset("offset", 0.0).unwrap(), 0);
        assert!(offset("offset", -1.0).is_err());
    }
}

/// Filter dimensions of analytics queries (`filter_<dimension>`, CONTRACT.md 3.1).
pub const FILTER_DIMENSIONS: &[&str] = &[
    "country",
    "region",
    "city",
    "device",
    "browser",
    "os",
    "referrer",
    "page",
    "entry_page",
    "hostname",
    "goal",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "ref",
    "source",
    "via",
];

/// Filter operators; no operator means `is`. Several values are OR-ed.
pub const FILTER_OPERATORS: &[&str] = &["is", "is_not", "contains", "does_not_contain"];

/// Whether `operator` applies to `dimension`: substring operators only on page paths.
pub fn filter_operator_allowed(dimension: &str, operator: &str) -> bool {
    match operator {
        "is" | "is_not" => true,
        "contains" | "does_not_contain" => matches!(dimension, "page" | "entry_page"),
        _ => false,
    }
}

/// One analytics filter: its dimension is known and its operator applies to it. Field names
/// are the client's (`filters.<dimension>`, `filters.<dimension>.<operator>`), which the
/// emulator uses too for `filter_<dimension>=[operator:]…`.
pub fn filter(dimension: &str, operator: &str) -> RuleResult<()> {
    if !FILTER_DIMENSIONS.contains(&dimension) {
        return Err(RuleViolation::new(
            format!("filters.{dimension}"),
            format!("is not a filter dimension; use one of {}", FILTER_DIMENSIONS.join(", ")),
        ));
    }
    if !filter_operator_allowed(dimension, operator) {
        return Err(RuleViolation::new(
            format!("filters.{dimension}.{operator}"),
            if FILTER_OPERATORS.contains(&operator) {
                "applies only to page and entry_page"
            } else {
                "is not an operator; use is, is_not, contains or does_not_contain"
            },
        ));
    }
    Ok(())
}

/// Longest account `name` (`PUT /admin/account`).
pub const ACCOUNT_NAME_MAX: usize = 100;
/// Account tokens one account may hold (CONTRACT.md 2.10).
pub const ACCOUNT_TOKENS_MAX: usize = 20;
/// Website keys one website may hold (CONTRACT.md 2.10).
pub const WEBSITE_KEYS_MAX: usize = 10;

/// The account name: trimmed, non-empty, at most 100 characters.
pub fn account_name(field: &str, raw: &str) -> RuleResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    if name.chars().count() > ACCOUNT_NAME_MAX {
        return Err(RuleViolation::new(field, format!("must be at most {ACCOUNT_NAME_MAX} characters")));
    }
    Ok(name.to_string())
}

/// Permission strings of a new token: each one from the documented set (2.7), at least one,
/// duplicates dropped. Order is kept so the answer echoes what was sent.
pub fn permissions<'a>(field: &str, values: impl IntoIterator<Item = &'a str>) -> RuleResult<Vec<crate::Permission>> {
    let mut out = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        let p = crate::Permission::parse(v).ok_or_else(|| {
            RuleViolation::new(
                format!("{field}[{i}]"),
                "must be a known permission such as analytics:read, websites:write or *",
            )
        })?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        return Err(RuleViolation::new(field, "must list at least one permission (omit it for [\"*\"])"));
    }
    Ok(out)
}

/// An e-mail address, trimmed and lowercased: one `@`, a non-empty local part of at most 64
/// characters, a dotted domain, no spaces, at most 254 characters in all. Deliberately loose
/// (no quoted local parts): the server's own check is not documented.
pub fn email(field: &str, raw: &str) -> RuleResult<String> {
    let e = raw.trim().to_ascii_lowercase();
    let bad = || RuleViolation::new(field, "must be an e-mail address such as jane@example.com");
    if e.is_empty() || e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && !domain.contains(['@', '/', ':', '[', ']']);
    if local.is_empty()
        || local.len() > 64
        || local.contains(['"', '(', ')', ',', ';', '<', '>', '[', ']', '\\'])
        || !domain_ok
    {
        return Err(bad());
    }
    Ok(e)
}

/// An ISO 4217 currency code, uppercased: three ASCII letters.
pub fn currency(field: &str, raw: &str) -> RuleResult<String> {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(RuleViolation::new(field, "must be a three-letter ISO 4217 currency code such as USD"))
    }
}

/// An IANA time-zone name by its form (`UTC`, `Europe/Paris`, `America/Argentina/Salta`,
/// `Etc/GMT+5`). Whether the zone exists is the server's call: the client carries no tz
/// database.
pub fn timezone_name(field: &str, raw: &str) -> RuleResult<()> {
    let ok = !raw.is_empty()
        && raw.len() <= 64
        && raw.split('/').all(|part| {
            part.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
        });
    if ok {
        Ok(())
    } else {
        Err(RuleViolation::new(field, "must be an IANA time zone such as UTC or America/New_York"))
    }
}

/// A bare domain name (`example.com`, `blog.example.co.uk`), lowercased: no scheme, path,
/// port or spaces; labels of 1–63 letters, digits and inner hyphens; an alphabetic TLD.
pub fn domain(field: &str, raw: &str) -> RuleResult<String> {
    let d = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    // A byte search rather than `str::contains("://")`, whose substring searcher is about
    // 1 KB of wasm.
    if d.as_bytes().windows(3).any(|w| w == b"://") {
        return Err(RuleViolation::new(
            field,
            "must be a bare domain without a scheme (example.com, not https://example.com)",
        ));
    }
    if d.contains(['/', '?', '#', ':', '@']) || d.chars().any(char::is_whitespace) {
        return Err(RuleViolation::new(field, "must be a bare domain name, without path, port or spaces"));
    }
    let labels: Vec<&str> = d.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let tld_ok = labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_lowercase()));
    if d.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(RuleViolation::new(field, "must be a valid domain name such as example.com"));
    }
    Ok(d)
}

#[cfg(test)]
mod account_rule_tests {
    use super::*;
    use crate::Permission;

    #[test]
    fn account_names() {
        assert_eq!(account_name("name", "  Jane ").unwrap(), "Jane");
        assert!(account_name("name", " ").unwrap_err().rule.contains("empty"));
        assert!(account_name("name", &"é".repeat(100)).is_ok());
        assert!(account_name("name", &"a".repeat(101)).unwrap_err().rule.contains("100"));
    }

    #[test]
    fn permission_lists() {
        assert_eq!(
            permissions("permissions", ["analytics:read", "*", "analytics:read"]).unwrap(),
            vec![Permission::AnalyticsRead, Permission::All]
        );
        assert_eq!(permissions("permissions", ["analytics:read", "nope"]).unwrap_err().field, "permissions[1]");
        assert!(permissions("permissions", []).unwrap_err().rule.contains("at least one"));
    }

    #[test]
    fn emails_and_currencies() {
        assert_eq!(email("email", " Jane.Doe@Example.COM ").unwrap(), "jane.doe@example.com");
        for bad in ["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@c.com", "jane@.com"]
        {
            assert_eq!(email("email", bad).unwrap_err().field, "email", "{bad}");
        }
        assert_eq!(currency("currency", "eur").unwrap(), "EUR");
        assert!(currency("currency", "EURO").is_err());
        assert!(currency("currency", "U5D").is_err());
        for tz in ["UTC", "Europe/Paris", "America/Argentina/Salta", "Etc/GMT+5", "America/Port-au-Prince"] {
            assert!(timezone_name("timezone", tz).is_ok(), "{tz}");
        }
        for tz in ["", "Europe/", "/Paris", "Europe Paris", "1/2"] {
            assert!(timezone_name("timezone", tz).is_err(), "{tz}");
        }
        assert!(domain("domain", "a..com").is_err());
    }
}

/// Steps of a funnel (CONTRACT.md 2.10): at least 2, at most 8.
pub const FUNNEL_STEPS_MIN: usize = 2;
pub const FUNNEL_STEPS_MAX: usize = 8;

/// The number of steps of a funnel: 2..=8.
pub fn funnel_step_count(field: &str, n: usize) -> RuleResult<()> {
    if (FUNNEL_STEPS_MIN..=FUNNEL_STEPS_MAX).contains(&n) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            field,
            format!("must have from {FUNNEL_STEPS_MIN} to {FUNNEL_STEPS_MAX} steps (got {n})"),
        ))
    }
}

/// A required free-text name (funnel and funnel step names): trimmed, non-empty, at most
/// `max` characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> RuleResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    if t.chars().count() > max {
        return Err(RuleViolation::new(field, format!("must be at most {max} characters")));
    }
    Ok(t.to_string())
}

/// Longest funnel and funnel step name. The docs give no limit; inferred, generous.
pub const FUNNEL_NAME_MAX: usize = 100;

/// Kebab-case of a name (`Signup funnel` → `signup-funnel`): ASCII letters and digits kept
/// (lowercased), every other run of characters becomes one `-`, no leading/trailing `-`.
/// Used for funnel slugs and step ids; may be empty when the name has no ASCII alphanumerics.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Alerts one website may hold (CONTRACT.md 2.10; 403 beyond).
pub const ALERTS_PER_WEBSITE_MAX: usize = 25;
/// Alert `name`: 1..=100 characters.
pub const ALERT_NAME_MAX: usize = 100;
/// Alert `template.message`: 10..=2000 characters.
pub const ALERT_MESSAGE_MIN: usize = 10;
pub const ALERT_MESSAGE_MAX: usize = 2000;
/// Alert `template.subject`: not documented; inferred cap so a subject stays one line.
pub const ALERT_SUBJECT_MAX: usize = 200;
/// Alert history page size: default 50, at most 100.
pub const ALERT_HISTORY_LIMIT_DEFAULT: u32 = 50;
pub const ALERT_HISTORY_LIMIT_MAX: u32 = 100;

/// An alert name: trimmed, 1..=100 characters.
pub fn alert_name(field: &str, raw: &str) -> RuleResult<String> {
    required_text(field, raw, ALERT_NAME_MAX)
}

/// An alert message: trimmed, 10..=2000 characters.
pub fn alert_message(field: &str, raw: &str) -> RuleResult<String> {
    let t = raw.trim();
    let n = t.chars().count();
    if !(ALERT_MESSAGE_MIN..=ALERT_MESSAGE_MAX).contains(&n) {
        return Err(RuleViolation::new(
            field,
            format!("must be from {ALERT_MESSAGE_MIN} to {ALERT_MESSAGE_MAX} characters (got {n})"),
        ));
    }
    Ok(t.to_string())
}

/// Goal customization limits (CONTRACT.md A17).
pub const GOAL_DISPLAY_NAME_MAX: usize = 80;
pub const GOAL_DESCRIPTION_MAX: usize = 300;
pub const GOAL_CUSTOMIZATION_BODY_MAX: usize = 4096;

/// One allowed goal color.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaletteColor {
    /// Lowercase `#rrggbb`.
    pub color: &'static str,
    pub label: &'static str,
    pub family: &'static str,
}

const fn pc(color: &'static str, label: &'static str, family: &'static str) -> PaletteColor {
    PaletteColor { color, label, family }
}

/// The goal color palette. The real list is not documented (only `#ef4444` red appears);
/// inferred: ten Tailwind-500 hues plus the docs' example `#8dcdff`.
pub const GOAL_COLORS: &[PaletteColor] = &[
    pc("#ef4444", "Red", "red"),
    pc("#f97316", "Orange", "orange"),
    pc("#eab308", "Yellow", "yellow"),
    pc("#22c55e", "Green", "green"),
    pc("#14b8a6", "Teal", "teal"),
    pc("#8dcdff", "Sky", "blue"),
    pc("#3b82f6", "Blue", "blue"),
    pc("#8b5cf6", "Violet", "purple"),
    pc("#ec4899", "Pink", "pink"),
    pc("#6b7280", "Gray", "gray"),
];

/// A goal color: one of [`GOAL_COLORS`], compared case-insensitively; answered lowercase.
pub fn goal_color(field: &str, raw: &str) -> RuleResult<&'static str> {
    let c = raw.trim().to_ascii_lowercase();
    GOAL_COLORS.iter().find(|p| p.color == c).map(|p| p.color).ok_or_else(|| {
        let all: Vec<&str> = GOAL_COLORS.iter().map(|p| p.color).collect();
        RuleViolation::new(field, format!("must be one of the palette colors: {}", all.join(", ")))
    })
}

/// Optional free text with a maximum length (trimmed; empty counts as cleared → `None`).
pub fn optional_text(field: &str, raw: &str, max: usize) -> RuleResult<Option<String>> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(RuleViolation::new(field, format!("must be at most {max} characters")));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

#[cfg(test)]
mod object_rule_tests {
    use super::*;

    #[test]
    fn funnel_rules() {
        assert!(funnel_step_count("steps", 1).unwrap_err().rule.contains("from 2 to 8"));
        assert!(funnel_step_count("steps", 2).is_ok());
        assert!(funnel_step_count("steps", 8).is_ok());
        assert!(funnel_step_count("steps", 9).is_err());
        assert_eq!(kebab_case("  Signup Funnel! v2 "), "signup-funnel-v2");
        assert_eq!(kebab_case("Déjà vu"), "d-j-vu");
        assert_eq!(kebab_case("***"), "");
        assert_eq!(required_text("name", "  x ", 5).unwrap(), "x");
        assert!(required_text("name", " ", 5).unwrap_err().rule.contains("empty"));
        assert!(required_text("name", "abcdef", 5).is_err());
    }

    #[test]
    fn alert_rules() {
        assert!(alert_name("name", "").is_err());
        assert!(alert_name("name", &"a".repeat(100)).is_ok());
        assert!(alert_name("name", &"a".repeat(101)).unwrap_err().rule.contains("100"));
        assert!(alert_message("template.message", "too short").is_err());
        assert!(alert_message("template.message", "just right").is_ok());
        assert!(alert_message("template.message", &"m".repeat(2000)).is_ok());
        assert_eq!(alert_message("template.message", &"m".repeat(2001)).unwrap_err().field, "template.message");
        assert!(optional_text("template.subject", &"s".repeat(ALERT_SUBJECT_MAX + 1), ALERT_SUBJECT_MAX).is_err());
    }

    #[test]
    fn goal_customization_rules() {
        assert_eq!(GOAL_COLORS.len(), 10);
        assert_eq!(goal_color("color", "#EF4444").unwrap(), "#ef4444");
        assert!(goal_color("color", "#123456").unwrap_err().rule.contains("#ef4444"));
        assert_eq!(optional_text("displayName", " ", GOAL_DISPLAY_NAME_MAX).unwrap(), None);
        assert!(optional_text("displayName", &"d".repeat(81), GOAL_DISPLAY_NAME_MAX).is_err());
        for p in GOAL_COLORS {
            assert!(p.color.len() == 7 && p.color.starts_with('#'));
        }
    }
}

/// Longest `transaction_id` of a payment. Not documented; inferred, generous enough for every
/// payment provider's ids.
pub const TRANSACTION_ID_MAX: usize = 255;
/// Longest identify `user_id` (CONTRACT.md 2.10).
pub const USER_ID_MAX: usize = 255;
/// Longest customer name and customer id of a payment (inferred).
pub const CUSTOMER_TEXT_MAX: usize = 255;
/// Longest integration credential string (inferred; real keys are about 100 characters).
pub const INTEGRATION_CREDENTIAL_MAX: usize = 1000;

/// Largest payment `amount`, in major units. Not documented; inferred: 10^11 is above any
/// single real payment even in currencies of tiny units (VND, IDR), and keeps revenue sums
/// exact to the cent up to 90,000 such payments and finite for any count an API could store
/// (f64 sums of values ≤ 10^11 reach infinity only after 10^297 of them).
pub const PAYMENT_AMOUNT_MAX: f64 = 1e11;

/// A payment `amount` in major units (29.99): a finite number from 0 to [`PAYMENT_AMOUNT_MAX`];
/// 0 is a free trial.
pub fn payment_amount(field: &str, value: f64) -> RuleResult<f64> {
    if (0.0..=PAYMENT_AMOUNT_MAX).contains(&value) {
        // `-0.0` is a zero amount, not a negative one.
        Ok(value.abs())
    } else {
        Err(RuleViolation::new(
            field,
            // The bound as an integer: formatting an f64 would pull Rust's float printing
            // (about a fifth of the client's .wasm) into the wasm.
            format!(
                "must be a number from 0 to {} (0 records a free trial; use refunded for refunds)",
                PAYMENT_AMOUNT_MAX as u64
            ),
        ))
    }
}

/// A trimmed, non-empty identifier of at most `max` characters without control characters
/// (payment `transaction_id`, identify `user_id`).
fn identifier(field: &str, raw: &str, max: usize) -> RuleResult<String> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(RuleViolation::new(field, "must not be empty"));
    }
    if id.chars().count() > max {
        return Err(RuleViolation::new(field, format!("must be at most {max} characters")));
    }
    if id.chars().any(char::is_control) {
        return Err(RuleViolation::new(field, "must not contain control characters"));
    }
    Ok(id.to_string())
}

/// A payment's `transaction_id` (its idempotency key): trimmed, 1..=255 characters.
pub fn transaction_id(field: &str, raw: &str) -> RuleResult<String> {
    identifier(field, raw, TRANSACTION_ID_MAX)
}

/// An identify `user_id`: trimmed, 1..=255 characters.
pub fn user_id(field: &str, raw: &str) -> RuleResult<String> {
    identifier(field, raw, USER_ID_MAX)
}

/// Whether a name is a front-end template artifact rather than a name: empty, or made only of
/// the words `undefined` / `null` (`"undefined undefined"` from `${first} ${last}`). The API
/// ignores such values instead of storing them.
pub fn is_placeholder_name(s: &str) -> bool {
    s.split_whitespace().all(|w| w.eq_ignore_ascii_case("undefined") || w.eq_ignore_ascii_case("null"))
}

/// The window of a bulk delete (`DELETE /goals`, `DELETE /payments`). The generations
/// disagree on the spelling, so both `startAt`/`endAt` and `start`/`end` are accepted; each
/// pair must be complete, and when both pairs are sent they must agree. Returns the bounds
/// as sent (each a date or an ISO-8601 time), `None` when no window was sent.
pub fn delete_window<'a>(
    start_at: Option<&'a str>,
    end_at: Option<&'a str>,
    start: Option<&'a str>,
    end: Option<&'a str>,
) -> RuleResult<Option<(&'a str, &'a str)>> {
    let pair = |s: Option<&'a str>, e: Option<&'a str>, s_name: &str, e_name: &str| match (s, e) {
        (Some(s), Some(e)) => {
            date(s_name, s)?;
            date(e_name, e)?;
            Ok(Some((s, e)))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(RuleViolation::new(e_name, format!("is required when {s_name} is given"))),
        (None, Some(_)) => Err(RuleViolation::new(s_name, format!("is required when {e_name} is given"))),
    };
    let new_style = pair(start_at, end_at, "startAt", "endAt")?;
    let old_style = pair(start, end, "start", "end")?;
    match (new_style, old_style) {
        (Some(a), Some(b)) if a != b => Err(RuleViolation::new(
            "start",
            "and end must equal startAt and endAt when both pairs are sent (they name the same window)",
        )),
        (a, b) => Ok(a.or(b)),
    }
}

/// The part of a provider key after its prefix: at least 8 letters, digits or `_`.
fn key_body_ok(rest: &str) -> bool {
    rest.len() >= 8 && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A Stripe restricted API key for `POST …/integrations/stripe` (`stripeRak`): must start
/// with `rk_live_`. Publishable (`pk_`) and secret (`sk_`) keys are refused with a hint, and
/// so are test-mode keys (the API is production). Messages never repeat the key.
pub fn stripe_restricted_key(field: &str, raw: &str) -> RuleResult<()> {
    let key = raw.trim();
    let rule = if key.is_empty() {
        "is required: a Stripe restricted API key (rk_live_...)"
    } else if key.starts_with("pk_") {
        "is a Stripe publishable key (pk_...); connect a restricted API key (rk_live_...) instead"
    } else if key.starts_with("sk_") {
        "is a Stripe secret key (sk_...); create a restricted API key (rk_live_...) with read access instead"
    } else if key.starts_with("rk_test_") {
        "is a test-mode key; connect a live restricted API key (rk_live_...)"
    } else if key.strip_prefix("rk_live_").is_some_and(key_body_ok) {
        return Ok(());
    } else {
        "must be a Stripe restricted API key: rk_live_ followed by letters and digits"
    };
    Err(RuleViolation::new(field, rule))
}

/// A Paddle API key for `POST …/integrations/paddle` (`paddleApiKey`): must start with
/// `pdl_live_`. Sandbox keys (`pdl_sdbx_`, `pdl_test_`) are refused: the API is production.
pub fn paddle_api_key(field: &str, raw: &str) -> RuleResult<()> {
    let key = raw.trim();
    let rule = if key.is_empty() {
        "is required: a Paddle API key (pdl_live_...)"
    } else if key.starts_with("pdl_sdbx_") || key.starts_with("pdl_test_") {
        "is a Paddle sandbox key; connect a live API key (pdl_live_...)"
    } else if key.strip_prefix("pdl_live_").is_some_and(key_body_ok) {
        return Ok(());
    } else {
        "must be a Paddle API key: pdl_live_ followed by letters, digits and _"
    };
    Err(RuleViolation::new(field, rule))
}

/// Any other integration credential (Lemon Squeezy key and store id, Polar token and
/// organization id): a non-empty string of at most 1000 characters without spaces.
pub fn integration_credential(field: &str, raw: &str) -> RuleResult<()> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(RuleViolation::new(field, "is required and must not be empty"));
    }
    if value.chars().count() > INTEGRATION_CREDENTIAL_MAX {
        return Err(RuleViolation::new(field, format!("must be at most {INTEGRATION_CREDENTIAL_MAX} characters")));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RuleViolation::new(field, "must not contain spaces or control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod write_rule_tests {
    use super::*;

    #[test]
    fn payment_amounts() {
        assert_eq!(payment_amount("amount", 29.99).unwrap(), 29.99);
        assert_eq!(payment_amount("amount", 0.0).unwrap(), 0.0);
        assert!(payment_amount("amount", -0.0).unwrap().is_sign_positive());
        assert_eq!(payment_amount("amount", -1.0).unwrap_err().field, "amount");
        assert!(payment_amount("amount", f64::NAN).is_err());
        assert!(payment_amount("amount", f64::INFINITY).is_err());
        assert_eq!(payment_amount("amount", PAYMENT_AMOUNT_MAX).unwrap(), PAYMENT_AMOUNT_MAX);
        let e = payment_amount("amount", 1e308).unwrap_err();
        assert_eq!(e.field, "amount");
        assert!(e.rule.contains("100000000000"), "{}", e.rule);
        assert!(payment_amount("amount", 100_000_000_000.01).is_err());
    }

    #[test]
    fn identifiers() {
        assert_eq!(transaction_id("transaction_id", " txn_1 ").unwrap(), "txn_1");
        assert!(transaction_id("transaction_id", "  ").unwrap_err().rule.contains("empty"));
        assert!(transaction_id("transaction_id", &"t".repeat(256)).unwrap_err().rule.contains("255"));
        assert!(transaction_id("transaction_id", "a\nb").unwrap_err().rule.contains("control"));
        assert_eq!(user_id("user_id", &"é".repeat(255)).unwrap().chars().count(), 255);
        assert_eq!(user_id("user_id", &"u".repeat(256)).unwrap_err().field, "user_id");
        assert!(user_id("user_id", "").is_err());
    }

    #[test]
    fn identify_custom_fields() {
        assert!(identify_fields([("plan", Some("pro")), ("email", Some("a@b.co"))]).is_ok());
        assert_eq!(identify_fields([("Plan", Some("pro"))]).unwrap_err().field, "Plan");
        assert_eq!(identify_fields([("plan", None)]).unwrap_err().field, "plan");
        let many: Vec<String> = (0..11).map(|i| format!("k{i}")).collect();
        let e = identify_fields(many.iter().map(|k| (k.as_str(), Some("v")))).unwrap_err();
        assert_eq!(e.field, "body");
        assert!(e.rule.contains("at most 10"));
    }

    #[test]
    fn placeholder_names() {
        for p in ["undefined undefined", "undefined", " null ", "NULL undefined", ""] {
            assert!(is_placeholder_name(p), "{p}");
        }
        for n in ["Jane Doe", "undefined Doe", "nullable"] {
            assert!(!is_placeholder_name(n), "{n}");
        }
    }

    #[test]
    fn delete_windows() {
        let (a, b) = ("2026-05-01T00:00:00Z", "2026-05-19T23:59:59Z");
        assert_eq!(delete_window(Some(a), Some(b), None, None).unwrap(), Some((a, b)));
        assert_eq!(delete_window(None, None, Some(a), Some(b)).unwrap(), Some((a, b)));
        assert_eq!(delete_window(Some(a), Some(b), Some(a), Some(b)).unwrap(), Some((a, b)));
        assert_eq!(delete_window(None, None, None, None).unwrap(), None);
        assert_eq!(delete_window(Some(a), None, None, None).unwrap_err().field, "endAt");
        assert_eq!(delete_window(None, None, None, Some(b)).unwrap_err().field, "start");
        assert_eq!(delete_window(Some(a), Some(b), Some(a), Some(a)).unwrap_err().field, "start");
        assert_eq!(delete_window(None, None, Some("yesterday"), Some(b)).unwrap_err().field, "start");
    }

    #[test]
    fn stripe_keys() {
        assert!(stripe_restricted_key("stripeRak", "rk_live_51AbCdEfGh").is_ok());
        let cases = [
            ("pk_live_51AbCdEfGh", "publishable"),
            ("sk_live_51AbCdEfGh", "secret key"),
            ("rk_test_51AbCdEfGh", "test-mode"),
            ("rk_live_", "rk_live_ followed"),
            ("rk_live_has space", "rk_live_ followed"),
            ("whatever", "rk_live_"),
            ("", "required"),
        ];
        for (key, needle) in cases {
            let e = stripe_restricted_key("stripeRak", key).unwrap_err();
            assert_eq!(e.field, "stripeRak");
            assert!(e.rule.contains(needle), "{key}: {}", e.rule);
            // A key itself never appears in the message.
            assert!(key.len() <= 8 || !e.to_string().contains(key), "{key}");
        }
    }

    #[test]
    fn paddle_keys() {
        assert!(paddle_api_key("paddleApiKey", "pdl_live_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGT").is_ok());
        assert!(paddle_api_key("paddleApiKey", "pdl_sdbx_apikey_01gtgztp8f4kek").unwrap_err().rule.contains("sandbox"));
        assert!(paddle_api_key("paddleApiKey", "pdl_test_apikey_01gtgztp8f4kek").unwrap_err().rule.contains("sandbox"));
        assert!(paddle_api_key("paddleApiKey", "0123456789abcdef0123456789abcdef")
            .unwrap_err()
            .rule
            .contains("pdl_live_"));
        assert!(paddle_api_key("paddleApiKey", " ").unwrap_err().rule.contains("required"));
    }

    #[test]
    fn other_credentials() {
        assert!(integration_credential("polarOrgId", "org_123").is_ok());
        assert!(integration_credential("polarOrgId", "  ").unwrap_err().rule.contains("empty"));
        assert!(integration_credential("polarOrgId", "a b").unwrap_err().rule.contains("spaces"));
        assert!(integration_credential("polarOrgId", &"x".repeat(1001)).unwrap_err().rule.contains("1000"));
    }
}

#[cfg(test)]
mod domain_rule_tests {
    use super::domain;

    #[test]
    fn domains() {
        assert_eq!(domain("domain", " Example.COM ").unwrap(), "example.com");
        assert_eq!(domain("domain", "blog.example.co.uk").unwrap(), "blog.example.co.uk");
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
        assert!(domain("domain", "https://example.com").unwrap_err().rule.contains("scheme"));
    }
}
