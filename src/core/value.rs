//! Request parameters as a small owned tree.
//!
//! Parameters are small, so converting them from JS once is cheap; holding them in Rust lets
//! the core validate and normalize them without touching JS, and serialize the JSON body
//! itself. A local type instead of `serde_json::Value` keeps serde_json out of the wasm.

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    /// Keys in insertion order, as JS objects keep them.
    Object(Vec<(String, Value)>),
}

/// A finite number with the text it is sent as.
///
/// The text is made where the number is made: in wasm by the runtime (`String(n)`, the same
/// shortest form `JSON.stringify` writes), natively by Rust's `Display`. Keeping Rust's float
/// formatting out of the wasm saves about a fifth of its size.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub value: f64,
    pub text: Box<str>,
}

impl Value {
    /// A number rendered by Rust (native callers and tests).
    pub fn number(value: f64) -> Value {
        let text =
            if value.fract() == 0.0 && value.abs() < 1e15 { (value as i64).to_string() } else { value.to_string() };
        Value::Number(Number { value, text: text.into() })
    }

    /// A number whose text the caller already has (the wasm layer, from JS).
    pub fn number_with_text(value: f64, text: String) -> Value {
        Value::Number(Number { value, text: text.into() })
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.value),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value under `key`, treating `null` like an absent key.
    pub fn field(&self, key: &str) -> Option<&Value> {
        self.get(key).filter(|v| !matches!(v, Value::Null))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// JSON text (RFC 8259). Numbers are finite by construction.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&n.text),
            Value::String(s) => write_json_string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(out, k);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// The text a scalar takes in a query string; `None` for containers and null.
    pub fn query_text(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.text.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

#[cfg(any(test, feature = "json"))]
impl Value {
    /// Converts parsed JSON (native callers: the CLI's `--body` and `-p key=JSON`). Numbers keep
    /// serde_json's text for them, so what is sent is what was written.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) if f.is_finite() => Value::number_with_text(f, n.to_string()),
                _ => Value::Null,
            },
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::Array(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }
}

impl datafast_contract::params::Input for Value {
    fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn as_f64(&self) -> Option<f64> {
        Value::as_f64(self)
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn items(&self) -> Option<Vec<&Self>> {
        match self {
            Value::Array(items) => Some(items.iter().collect()),
            _ => None,
        }
    }
    fn entries(&self) -> Option<Vec<(&str, &Self)>> {
        match self {
            Value::Object(entries) => Some(entries.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            _ => None,
        }
    }
    fn type_name(&self) -> &'static str {
        Value::type_name(self)
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(entries: &[(&str, Value)]) -> Value {
        Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn json_matches_serde_json() {
        let v = obj(&[
            ("name", Value::String("quote \" back \\ nl \n tab \t bell \u{7} é 😀".into())),
            ("n", Value::number(29.99)),
            ("i", Value::number(-3.0)),
            ("big", Value::number(1e21)),
            ("flag", Value::Bool(true)),
            ("none", Value::Null),
            ("list", Value::Array(vec![Value::number(1.0), Value::String("a".into())])),
            ("nested", obj(&[("k", Value::String("v".into()))])),
        ]);
        let ours: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        let expected = serde_json::json!({
            "name": "quote \" back \\ nl \n tab \t bell \u{7} é 😀", "n": 29.99, "i": -3,
            "big": 1e21, "flag": true, "none": null, "list": [1, "a"], "nested": {"k": "v"}
        });
        assert_eq!(ours, expected);
    }

    #[test]
    fn from_json_round_trips() {
        let json =
            serde_json::json!({"a": [1, 2.5, -3], "b": {"c": null, "d": true}, "e": "x", "big": 12345678901234u64});
        let v = Value::from_json(&json);
        assert_eq!(v.get("e"), Some(&Value::String("x".into())));
        assert!(matches!(v.get("a"), Some(Value::Array(items)) if items.len() == 3));
        let back: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        assert_eq!(back, json);
    }

    #[test]
    fn query_text_of_scalars() {
        assert_eq!(Value::number(100.0).query_text().unwrap(), "100");
        assert_eq!(Value::number(0.5).query_text().unwrap(), "0.5");
        assert_eq!(Value::Bool(false).query_text().unwrap(), "false");
        assert_eq!(Value::Null.query_text(), None);
        let o = obj(&[("a", Value::Null)]);
        assert!(o.get("a").is_some() && o.field("a").is_none());
    }
}
