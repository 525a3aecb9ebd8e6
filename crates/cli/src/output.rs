//! Printing results: aligned tables sized to the terminal (numbers, money, rates and
//! durations formatted), `--json` (the API's data as it came) and `--csv` (rows).

use crate::error::{CliError, Result};
use console::{measure_text_width, pad_str, style, truncate_str, Alignment};
use serde_json::{Map, Value as Json};
use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, Debug)]
pub struct Output {
    pub format: Format,
    /// Columns available to a table; `None` when stdout is not a terminal (no cutting).
    pub width: Option<usize>,
}

/// Colour only on a terminal and without `NO_COLOR`; decided once for stdout and stderr.
pub fn init_colors() {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    console::set_colors_enabled(!no_color && std::io::stdout().is_terminal());
    console::set_colors_enabled_stderr(!no_color && std::io::stderr().is_terminal());
}

impl Output {
    pub fn new(json: bool, csv: bool) -> Output {
        let format = if json {
            Format::Json
        } else if csv {
            Format::Csv
        } else {
            Format::Table
        };
        let term = console::Term::stdout();
        let width = term.is_term().then(|| term.size_checked().map(|(_, w)| usize::from(w))).flatten();
        Output { format, width }
    }

    /// Prints a result in the chosen format.
    pub fn print(&self, value: &Json) -> Result<()> {
        let text = match self.format {
            Format::Json => {
                let mut t = serde_json::to_string_pretty(value).map_err(|e| CliError::other(e.to_string()))?;
                t.push('\n');
                t
            }
            Format::Csv => csv(value)?,
            Format::Table => table(value, self.width),
        };
        write_stdout(&text)
    }

    /// A confirmation of an action with no data worth a table (`--json` prints the data).
    pub fn done(&self, message: &str, value: &Json) -> Result<()> {
        match self.format {
            Format::Table => write_stdout(&format!("{message}\n")),
            _ => self.print(value),
        }
    }
}

/// Writes to stdout; a closed pipe (`datafast … | head`) ends quietly.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.map_err(CliError::from),
    }
}

// ---- tables ----

/// Renders any result: rows as a table, a page's rows plus its paging line, one object as
/// field/value lines.
pub fn table(value: &Json, width: Option<usize>) -> String {
    table_paged(value, width, "--offset or --all")
}

/// [`table`], with `more` saying how to get the next rows (`offset` for an MCP tool).
pub fn table_paged(value: &Json, width: Option<usize>, more: &str) -> String {
    match value {
        Json::Array(rows) => rows_table(rows, None, width),
        Json::Object(map) => match map.get("data") {
            Some(Json::Array(rows)) => {
                let currency = map.get("currency").or_else(|| map.get("totals").and_then(|t| t.get("currency")));
                let mut out = rows_table(rows, currency, width);
                let rest: Map<String, Json> = map
                    .iter()
                    .filter(|(k, _)| *k != "data" && *k != "pagination")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !rest.is_empty() {
                    out.push('\n');
                    out.push_str(&fields_table(&rest, width));
                }
                if let Some(p) = map.get("pagination") {
                    out.push_str(&paging_line(p, rows.len(), more));
                }
                out
            }
            _ => object_table(map, width),
        },
        Json::Null => "(nothing returned)\n".to_string(),
        scalar => format!("{}\n", plain(scalar)),
    }
}

fn paging_line(p: &Json, shown: usize, more: &str) -> String {
    let offset = p.get("offset").and_then(Json::as_u64).unwrap_or(0);
    let (first, last) = (offset + 1, offset + shown as u64);
    match (p.get("total").and_then(Json::as_u64), p.get("hasMore").and_then(Json::as_bool)) {
        (Some(total), _) if last < total => format!("rows {first}–{last} of {total} ({more} for more)\n"),
        (Some(total), _) => format!("{total} rows\n").replace("1 rows", "1 row"),
        (None, Some(true)) => format!("rows {first}–{last}, more available ({more})\n"),
        _ if shown == 0 => String::new(),
        _ => format!("rows {first}–{last}\n"),
    }
}

/// One column per key (in the order first seen), one line per row.
fn rows_table(rows: &[Json], currency: Option<&Json>, width: Option<usize>) -> String {
    if rows.is_empty() {
        return "(no rows)\n".to_string();
    }
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row.as_object() {
            Some(obj) => {
                for key in obj.keys() {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            None if columns.is_empty() => columns.push("value".to_string()),
            None => {}
        }
    }
    let cells: Vec<Vec<Json>> = rows
        .iter()
        .map(|row| match row.as_object() {
            Some(obj) => columns.iter().map(|c| obj.get(c).cloned().unwrap_or(Json::Null)).collect(),
            None => vec![row.clone()],
        })
        .collect();
    let text: Vec<Vec<String>> = cells
        .iter()
        .zip(rows)
        .map(|(line, row)| {
            let currency = row.get("currency").or(currency);
            line.iter().zip(&columns).map(|(v, c)| cell(c, v, currency)).collect()
        })
        .collect();
    let numeric: Vec<bool> = (0..columns.len())
        .map(|i| cells.iter().all(|line| line.get(i).is_none_or(|v| v.is_number() || v.is_null())))
        .collect();
    grid(&columns, &text, &numeric, width)
}

/// One object: its fields as lines, then each list of objects it holds (funnel steps, a
/// visitor's visits) as a table of its own under the field's name.
fn object_table(map: &Map<String, Json>, width: Option<usize>) -> String {
    let is_rows = |v: &Json| v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(Json::is_object));
    let fields: Map<String, Json> =
        map.iter().filter(|(_, v)| !is_rows(v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut out = fields_table(&fields, width);
    for (key, value) in map.iter().filter(|(_, v)| is_rows(v)) {
        let rows = value.as_array().map(Vec::as_slice).unwrap_or_default();
        out.push_str(&format!("\n{}\n", style(key).bold()));
        out.push_str(&rows_table(rows, map.get("currency"), width));
    }
    out
}

/// Field/value lines for one object; nested objects flatten to dotted names.
fn fields_table(map: &Map<String, Json>, width: Option<usize>) -> String {
    let mut lines = Vec::new();
    flatten("", map, map.get("currency"), &mut lines);
    let headers = ["field".to_string(), "value".to_string()];
    let rows: Vec<Vec<String>> = lines.into_iter().map(|(k, v)| vec![k, v]).collect();
    grid(&headers, &rows, &[false, false], width)
}

fn flatten(prefix: &str, map: &Map<String, Json>, currency: Option<&Json>, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            Json::Object(inner) if !inner.is_empty() => flatten(&name, inner, inner.get("currency").or(currency), out),
            _ => out.push((name, cell(key, value, currency))),
        }
    }
}

/// Lays out a grid: columns as wide as their widest cell, the widest cut first (with `…`)
/// until the table fits `width`.
fn grid(headers: &[String], rows: &[Vec<String>], right: &[bool], width: Option<usize>) -> String {
    const GAP: usize = 2;
    const MIN: usize = 6;
    let mut widths: Vec<usize> = headers.iter().map(|h| measure_text_width(h)).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(measure_text_width(c));
        }
    }
    if let Some(limit) = width {
        let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
        while total(&widths) > limit {
            let Some((i, &w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else { break };
            if w <= MIN {
                break;
            }
            widths[i] = w - 1;
        }
    }
    let line = |cells: &[String], bold: bool| {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            let cut = truncate_str(c, *w, "…");
            let align = if right.get(i).copied().unwrap_or(false) { Alignment::Right } else { Alignment::Left };
            let last = i + 1 == cells.len();
            let padded = if last && align == Alignment::Left {
                cut.to_string()
            } else {
                pad_str(&cut, *w, align, None).to_string()
            };
            if bold {
                out.push_str(&style(padded).bold().to_string());
            } else {
                out.push_str(&padded);
            }
            if !last {
                out.push_str(&" ".repeat(GAP));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(headers, true);
    for row in rows {
        out.push_str(&line(row, false));
    }
    out
}

// ---- cells ----

/// A value as a table shows it: numbers grouped, money with its currency, rates as
/// percentages, durations in minutes and seconds.
pub fn cell(key: &str, value: &Json, currency: Option<&Json>) -> String {
    match value {
        Json::Null => "—".to_string(),
        Json::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Json::Number(n) => {
            let Some(f) = n.as_f64() else { return n.to_string() };
            let key = key.to_ascii_lowercase();
            if key.contains("revenue") || key == "amount" || key == "mrr" {
                money(f, currency.and_then(Json::as_str))
            } else if key.ends_with("_rate") || key.ends_with("rate") && key != "rate" || key.contains("percent") {
                format!("{}%", grouped(f, 2))
            } else if key.contains("duration") {
                duration_ms(f)
            } else if n.is_f64() {
                grouped(f, 2)
            } else {
                grouped(f, 0)
            }
        }
        Json::String(s) => s.clone(),
        Json::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(plain).collect::<Vec<_>>().join(", ")
        }
        Json::Array(items) => format!("[{} items: --json shows them]", items.len()),
        other => other.to_string(),
    }
}

fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `1234567.891` → `1,234,567.89` (`decimals` places, trailing zeros of a whole number cut).
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() && frac.chars().any(|c| c != '0') {
        out.push('.');
        out.push_str(frac);
    }
    if value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// Money in major units: `$1,234.50` for a symbol, `1,234.50 EUR` for a code.
pub fn money(value: f64, currency: Option<&str>) -> String {
    let amount = grouped_cents(value);
    match currency {
        Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => format!("{amount} {c}"),
        Some(symbol) if !symbol.is_empty() => {
            if value < 0.0 {
                format!("-{symbol}{}", &amount[1..])
            } else {
                format!("{symbol}{amount}")
            }
        }
        _ => amount,
    }
}

fn grouped_cents(value: f64) -> String {
    let g = grouped(value, 2);
    match g.split_once('.') {
        Some((_, frac)) if frac.len() == 2 => g,
        Some(_) => format!("{g}0"),
        None => format!("{g}.00"),
    }
}

/// Milliseconds as `4m 05s` (or `850 ms`, `1h 02m`).
pub fn duration_ms(ms: f64) -> String {
    if ms < 1000.0 {
        return format!("{} ms", ms.round());
    }
    let s = (ms / 1000.0).round() as u64;
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, sec) => format!("{m}m {sec:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

// ---- csv ----

/// Rows as CSV (RFC 4180): an array of objects, or a page's `data`. Numbers as the API sent
/// them, nested values as JSON.
pub fn csv(value: &Json) -> Result<String> {
    let rows = match value {
        Json::Array(rows) => rows,
        Json::Object(map) => match map.get("data") {
            Some(Json::Array(rows)) => rows,
            _ => return Err(CliError::usage("`--csv` applies to lists, breakdowns and timeseries; use --json")),
        },
        _ => return Err(CliError::usage("`--csv` applies to lists, breakdowns and timeseries; use --json")),
    };
    let mut columns: Vec<&str> = Vec::new();
    for row in rows {
        for key in row.as_object().into_iter().flat_map(|o| o.keys()) {
            if !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
    }
    let quote = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for row in rows {
        let line: Vec<String> = columns
            .iter()
            .map(|c| match row.get(*c) {
                None | Some(Json::Null) => String::new(),
                Some(v) => quote(&plain(v)),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_money_rates_and_durations() {
        assert_eq!(grouped(1234567.891, 2), "1,234,567.89");
        assert_eq!(grouped(12.0, 2), "12");
        assert_eq!(grouped(-1500.0, 0), "-1,500");
        assert_eq!(money(28450.0, Some("$")), "$28,450.00");
        assert_eq!(money(2.5, Some("EUR")), "2.50 EUR");
        assert_eq!(cell("bounce_rate", &json!(65.32), None), "65.32%");
        assert_eq!(cell("avg_session_duration", &json!(245678.45), None), "4m 06s");
        assert_eq!(cell("visitors", &json!(12450), None), "12,450");
        assert_eq!(cell("tags", &json!(["a", "b"]), None), "a, b");
        assert_eq!(cell("x", &Json::Null, None), "—");
    }

    #[test]
    fn tables_fit_the_width_and_align_numbers() {
        let rows = json!([{"path": "/a-very-long-path/that-goes-on-and-on", "visitors": 5},
                          {"path": "/", "visitors": 12345}]);
        let out = table(&rows, Some(30));
        for line in out.lines() {
            assert!(measure_text_width(line) <= 30, "{line:?}");
        }
        assert!(out.contains('…'));
        assert!(out.contains("12,345"));
        let wide = table(&rows, None);
        assert!(wide.contains("/a-very-long-path/that-goes-on-and-on"));
        assert!(wide.lines().nth(1).unwrap().ends_with("      5"), "{wide}");
    }

    #[test]
    fn pages_show_their_position_and_objects_flatten() {
        let page = json!({"data": [{"a": 1}], "pagination": {"limit": 1, "offset": 0, "total": 3}});
        assert!(table(&page, None).contains("rows 1–1 of 3"));
        let obj = json!({"name": "x", "settings": {"kpi": "signup"}});
        assert!(table(&obj, None).contains("settings.kpi"));
    }

    #[test]
    fn csv_quotes_and_refuses_non_rows() {
        let rows = json!([{"a": "x,y", "b": 1}, {"a": "say \"hi\"", "c": null}]);
        assert_eq!(csv(&rows).unwrap(), "a,b,c\n\"x,y\",1,\n\"say \"\"hi\"\"\",,\n");
        assert!(csv(&json!({"visitors": 1})).is_err());
    }
}
