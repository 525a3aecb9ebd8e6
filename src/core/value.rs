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
    Number(f64),
    String(String),
    Array(Vec<Value>),
    /// Keys in insertion order, as JS objects keep them.
    Object(Vec<(String, Value)>),
}

impl Value {
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

    /// JSON text (RFC 8259). Non-finite numbers become `null`, as `JSON.stringify` does.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => write_number(out, *n),
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
            Value::Number(n) => {
                let mut s = String::new();
                write_number(&mut s, *n);
                Some(s)
            }
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

fn write_number(out: &mut String, n: f64) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n}");
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
            ("n", Value::Number(29.99)),
            ("i", Value::Number(-3.0)),
            ("big", Value::Number(1e21)),
            ("flag", Value::Bool(true)),
            ("none", Value::Null),
            ("list", Value::Array(vec![Value::Number(1.0), Value::String("a".into())])),
            ("nested", obj(&[("k", Value::String("v".into()))])),
        ]);
        let ours: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        let expected = serde_json::json!({
            "name": "quote \" back \\ nl \n tab \t bell \u{7} é 😀", "n": 29.99, "i": -3,
            "big": 1e21, "flag": true, "none": null, "list": [1, "a"], "nested": {"k": "v"}
        });
        assert_eq!(ours, expected);
        assert_eq!(Value::Number(f64::NAN).to_json(), "null");
    }

    #[test]
    fn query_text_of_scalars() {
        assert_eq!(Value::Number(100.0).query_text().unwrap(), "100");
        assert_eq!(Value::Number(0.5).query_text().unwrap(), "0.5");
        assert_eq!(Value::Bool(false).query_text().unwrap(), "false");
        assert_eq!(Value::Null.query_text(), None);
        let o = obj(&[("a", Value::Null)]);
        assert!(o.get("a").is_some() && o.field("a").is_none());
    }
}
