//! Turning command-line text into the core's parameter values: `-p key=value` typed by the
//! endpoint's parameter table, `-F dimension[:operator]=value` filters, `--body`, and
//! `--period` presets. The core validates the result; this only gives each value its type.

use crate::error::{CliError, Result};
use datafast_contract::calendar::{civil_from_days as civil, days_from_civil};
use datafast_contract::params::{self, Kind};
use datafast_wasm::core::Value;

/// A parameter object under construction, keys in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub Vec<(String, Value)>);

impl Params {
    pub fn set(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    pub fn set_str(&mut self, key: &str, value: impl Into<String>) {
        self.set(key, Value::String(value.into()));
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// The object to send, or `None` when nothing was given.
    pub fn into_value(self) -> Option<Value> {
        (!self.0.is_empty()).then_some(Value::Object(self.0))
    }

    /// Starts from a `--body` JSON object (text, or `@file`).
    pub fn from_body(arg: &str) -> Result<Params> {
        let text = match arg.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("`--body`: cannot read {path}: {e}")))?,
            None => arg.to_string(),
        };
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| CliError::usage(format!("`--body` is not valid JSON: {e}")))?;
        match Value::from_json(&json) {
            Value::Object(entries) => Ok(Params(entries)),
            other => Err(CliError::usage(format!("`--body` must be a JSON object, got {}", other.type_name()))),
        }
    }

    /// Adds one `key=value` typed by `endpoint_id`'s parameter table.
    pub fn add_pair(&mut self, endpoint_id: &str, pair: &str) -> Result<()> {
        let (key, raw) =
            pair.split_once('=').ok_or_else(|| CliError::usage(format!("`-p {pair}` must be key=value")))?;
        let value = typed(endpoint_id, key, raw)?;
        self.set(key, value);
        Ok(())
    }

    /// Adds filters (`country=US`, `page:contains=/docs`) under `filters`; repeating a
    /// dimension with the same operator ORs the values.
    pub fn add_filters(&mut self, exprs: &[String]) -> Result<()> {
        for expr in exprs {
            let (lhs, value) = expr.split_once('=').ok_or_else(|| {
                CliError::usage(format!("filter `{expr}` must be dimension=value or dimension:operator=value"))
            })?;
            let (dimension, operator) = match lhs.split_once(':') {
                Some((d, op)) => (d.trim(), op.trim()),
                None => (lhs.trim(), "is"),
            };
            self.add_filter(dimension, operator, value)?;
        }
        Ok(())
    }

    pub fn add_filter(&mut self, dimension: &str, operator: &str, value: &str) -> Result<()> {
        let filters = match self.0.iter_mut().find(|(k, _)| k == "filters") {
            Some((_, v)) => v,
            None => {
                self.0.push(("filters".into(), Value::Object(Vec::new())));
                &mut self.0.last_mut().expect("just pushed").1
            }
        };
        let Value::Object(entries) = filters else {
            return Err(CliError::usage("`filters` from `-p` cannot be combined with `-F`"));
        };
        let wrap = |v: Value| {
            if operator == "is" {
                v
            } else {
                Value::Object(vec![(operator.to_string(), v)])
            }
        };
        let new = Value::String(value.to_string());
        match entries.iter_mut().find(|(d, _)| d == dimension) {
            None => entries.push((dimension.to_string(), wrap(new))),
            Some((_, existing)) => {
                let (old_op, old) = match existing {
                    Value::Object(ops) if ops.len() == 1 => (ops[0].0.clone(), &mut ops[0].1),
                    other => ("is".to_string(), other),
                };
                if old_op != operator {
                    return Err(CliError::usage(format!(
                        "`filters.{dimension}`: one operator per dimension (got {old_op} and {operator})"
                    )));
                }
                match old {
                    Value::Array(items) => items.push(new),
                    single => *single = Value::Array(vec![single.clone(), new]),
                }
            }
        }
        Ok(())
    }
}

/// The value of `key` as its field's kind wants it. Unknown keys stay strings: the core then
/// refuses them by name.
pub fn typed(endpoint_id: &str, key: &str, raw: &str) -> Result<Value> {
    let field = params::of(endpoint_id).field(key);
    if raw == "null" && field.is_some_and(|f| f.nullable) {
        return Ok(Value::Null);
    }
    let bad = |rule: &str| CliError::usage(format!("`{key}` {rule}, got `{raw}`"));
    let Some(field) = field else { return Ok(Value::String(raw.to_string())) };
    Ok(match field.kind {
        Kind::Bool => match raw {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(bad("must be true or false")),
        },
        Kind::Int { .. } | Kind::Offset | Kind::Amount => {
            let n: f64 = raw.trim().parse().map_err(|_| bad("must be a number"))?;
            if !n.is_finite() {
                return Err(bad("must be a finite number"));
            }
            Value::number_with_text(n, raw.trim().to_string())
        }
        Kind::Permissions | Kind::ObjectIds | Kind::Strings => {
            if raw.trim_start().starts_with('[') {
                json(key, raw)?
            } else {
                Value::Array(
                    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.into())).collect(),
                )
            }
        }
        Kind::Metadata | Kind::Filters | Kind::FunnelSteps | Kind::Object(_) => json(key, raw)?,
        Kind::Text { .. }
        | Kind::OneOf(_)
        | Kind::Date
        | Kind::GoalName { .. }
        | Kind::Str(_)
        | Kind::Fields(_)
        | Kind::Values { .. }
        | Kind::Color => Value::String(raw.to_string()),
    })
}

fn json(key: &str, raw: &str) -> Result<Value> {
    serde_json::from_str::<serde_json::Value>(raw)
        .map(|j| Value::from_json(&j))
        .map_err(|e| CliError::usage(format!("`{key}` must be JSON here: {e}")))
}

// ---- dates ----

/// The dashboard's presets, as `startAt`/`endAt`. Days are calendar days (the API reads them
/// in the website's time zone, or `--timezone`); the current day is taken in UTC.
pub const PERIODS: &[&str] =
    &["today", "yesterday", "last24h", "last7d", "last30d", "last12m", "week", "month", "year", "all"];

/// `(startAt, endAt)` for a preset at `now_s` (Unix seconds); `None` for `all` (no dates
/// means all time).
pub fn period(name: &str, now_s: i64) -> Result<Option<(String, String)>> {
    let today = now_s.div_euclid(86_400);
    let (y, m, _) = civil(today);
    let days = |from: i64, to: i64| Some((date(from), date(to)));
    Ok(match name {
        "today" => days(today, today),
        "yesterday" => days(today - 1, today - 1),
        "last24h" => Some((instant(now_s - 86_400), instant(now_s))),
        "last7d" => days(today - 6, today),
        "last30d" => days(today - 29, today),
        "last12m" => {
            // The 12 calendar months ending with this one.
            let (from_y, from_m) = if m == 12 { (y, 1) } else { (y - 1, m + 1) };
            days(days_from_civil(from_y, from_m, 1), today)
        }
        "week" => days(today - (today + 3).rem_euclid(7), today),
        "month" => days(days_from_civil(y, m, 1), today),
        "year" => days(days_from_civil(y, 1, 1), today),
        "all" => None,
        other => {
            return Err(CliError::usage(format!("`--period` must be one of {}, got `{other}`", PERIODS.join(", "))))
        }
    })
}

fn date(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn instant(s: i64) -> String {
    let (day, secs) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    format!("{}T{:02}:{:02}:{:02}Z", date(day), secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-04 (a Wednesday) 10:20:30 UTC.
    const NOW: i64 = 1_772_619_630;

    #[test]
    fn periods_are_calendar_days() {
        let p = |name| period(name, NOW).unwrap();
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(p("today"), pair("2026-03-04", "2026-03-04"));
        assert_eq!(p("yesterday"), pair("2026-03-03", "2026-03-03"));
        assert_eq!(p("last24h"), pair("2026-03-03T10:20:30Z", "2026-03-04T10:20:30Z"));
        assert_eq!(p("last7d"), pair("2026-02-26", "2026-03-04"));
        assert_eq!(p("last30d"), pair("2026-02-03", "2026-03-04"));
        assert_eq!(p("last12m"), pair("2025-04-01", "2026-03-04"));
        assert_eq!(p("week"), pair("2026-03-02", "2026-03-04"));
        assert_eq!(p("month"), pair("2026-03-01", "2026-03-04"));
        assert_eq!(p("year"), pair("2026-01-01", "2026-03-04"));
        assert_eq!(p("all"), None);
        assert_eq!(period("fortnight", NOW).unwrap_err().exit, crate::error::Exit::Usage);
    }

    #[test]
    fn values_take_their_field_kind() {
        assert_eq!(typed("analytics.pages", "limit", "25").unwrap(), Value::number(25.0));
        assert!(typed("analytics.pages", "limit", "many").unwrap_err().message.contains("`limit`"));
        assert_eq!(typed("visitors.list", "isCustomer", "true").unwrap(), Value::Bool(true));
        assert_eq!(
            typed("admin.tokens.create", "permissions", "analytics:read, websites:read").unwrap(),
            Value::Array(vec![Value::String("analytics:read".into()), Value::String("websites:read".into())])
        );
        assert_eq!(typed("admin.websites.update", "name", "null").unwrap(), Value::Null);
        assert_eq!(typed("admin.websites.update", "domain", "null").unwrap(), Value::String("null".into()));
        let steps = typed("admin.funnels.create", "steps", r#"[{"name":"a","type":"pageview","url":"/"}]"#).unwrap();
        assert!(matches!(steps, Value::Array(ref s) if s.len() == 1));
        assert_eq!(typed("analytics.pages", "nonsense", "x").unwrap(), Value::String("x".into()));
    }

    #[test]
    fn filters_group_by_dimension() {
        let mut p = Params::default();
        p.add_filters(&["country=US".into(), "country=FR".into(), "page:contains=/docs".into()]).unwrap();
        let filters = p.0[0].1.to_json();
        assert_eq!(filters, r#"{"country":["US","FR"],"page":{"contains":"/docs"}}"#);
        let e = p.add_filters(&["page=/".into()]).unwrap_err();
        assert!(e.message.contains("filters.page"), "{}", e.message);
        assert!(p.add_filters(&["country".into()]).is_err());
    }
}
