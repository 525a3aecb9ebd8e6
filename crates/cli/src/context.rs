//! What every command works with: the settings, the output format, a lazily built client,
//! and how a missing website or object id is found (argument, `--website`, default, picker).

use crate::config::Settings;
use crate::driver::{self, Client};
use crate::error::{CliError, Result};
use crate::input::Params;
use crate::output::Output;
use crate::prompt;
use datafast_contract::{params, rules, Endpoint};
use datafast_wasm::core::call::{max_retries_option, timeout_option};
use datafast_wasm::core::{CallOptions, Value};
use serde_json::Value as Json;

pub struct Ctx {
    pub settings: Settings,
    pub out: Output,
    options: CallOptions,
    client: Option<Client>,
}

/// Objects that can be picked from a website's list when their id is missing.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    Funnel,
    Alert,
    Goal,
    ApiKey,
    Member,
}

impl Item {
    /// (list endpoint, the field that identifies one, the field shown, what the user calls it)
    fn spec(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Item::Funnel => ("admin.funnels.list", "_id", "name", "funnelId"),
            Item::Alert => ("admin.alerts.list", "_id", "name", "alertId"),
            Item::Goal => ("admin.goals.tracked", "name", "name", "goal name"),
            Item::ApiKey => ("admin.apikeys.list", "_id", "name", "apiKeyId"),
            Item::Member => ("admin.team.list", "userId", "email", "userId"),
        }
    }
}

/// `--timeout` and `--max-retries`, checked as the core checks per-call options.
pub fn call_options(timeout: Option<f64>, max_retries: Option<f64>) -> Result<CallOptions> {
    Ok(CallOptions {
        timeout_ms: timeout.map(|t| timeout_option("--timeout", t)).transpose()?,
        max_retries: max_retries.map(|n| max_retries_option("--max-retries", n)).transpose()?,
        headers: Vec::new(),
    })
}

impl Ctx {
    pub fn new(settings: Settings, out: Output, timeout: Option<f64>, max_retries: Option<f64>) -> Result<Ctx> {
        Ok(Ctx { settings, out, options: call_options(timeout, max_retries)?, client: None })
    }

    pub fn client(&mut self) -> Result<&Client> {
        if self.client.is_none() {
            let token = self.settings.credential()?.value.clone();
            self.client = Some(Client::new(&token, &self.settings.api_base.value, self.options.clone())?);
        }
        Ok(self.client.as_ref().expect("set above"))
    }

    /// One call of endpoint `id`. Website API routes called with an account token act on the
    /// chosen website.
    pub fn call(&mut self, id: &str, ids: &[String], params: Params) -> Result<Json> {
        let endpoint = driver::endpoint(id)?;
        let website = self.website_for(endpoint)?;
        self.client()?.call(endpoint, ids, params.into_value(), website)
    }

    /// Like [`Ctx::call`]; with `all`, walks a paginated endpoint page by page and answers one
    /// page holding every row.
    pub fn call_pages(&mut self, id: &str, ids: &[String], mut params: Params, all: bool) -> Result<Json> {
        let endpoint = driver::endpoint(id)?;
        let limit_field = params::of(id).field("limit");
        if !all || limit_field.is_none() {
            return self.call(id, ids, params);
        }
        if !params.has("limit") {
            let max = match limit_field.map(|f| f.kind) {
                Some(params::Kind::Int { max, .. }) => max,
                _ => 100,
            };
            params.set("limit", Value::number(f64::from(max)));
        }
        let website = self.website_for(endpoint)?;
        let mut rows = Vec::new();
        let mut offset = 0u64;
        loop {
            params.set("offset", Value::number(offset as f64));
            let page = self.client()?.call(endpoint, ids, params.clone().into_value(), website.clone())?;
            let mut page = match page {
                Json::Object(map) => map,
                other => return Ok(other),
            };
            let data = match page.get_mut("data").map(Json::take) {
                Some(Json::Array(data)) => data,
                _ => Vec::new(),
            };
            let got = data.len() as u64;
            rows.extend(data);
            let pagination = page.get("pagination").cloned().unwrap_or(Json::Null);
            let total = pagination.get("total").and_then(Json::as_u64);
            let more = match (total, pagination.get("hasMore").and_then(Json::as_bool)) {
                (Some(total), _) => offset + got < total,
                (None, Some(more)) => more,
                (None, None) => false,
            };
            if !more || got == 0 {
                page.insert("data".into(), Json::Array(rows));
                let count = page.get("data").and_then(Json::as_array).map_or(0, Vec::len);
                page.insert("pagination".into(), serde_json::json!({ "limit": count, "offset": 0, "total": count }));
                return Ok(Json::Object(page));
            }
            offset += got;
        }
    }

    fn website_for(&mut self, endpoint: &Endpoint) -> Result<Option<String>> {
        if endpoint.website_from_query() && self.client()?.is_account_token() {
            self.website().map(Some)
        } else {
            Ok(None)
        }
    }

    /// The website: `--website`, the configured default, or a picker at a terminal.
    pub fn website(&mut self) -> Result<String> {
        if let Some(w) = &self.settings.website {
            rules::object_id("--website", &w.value)?;
            return Ok(w.value.clone());
        }
        if !prompt::interactive() {
            return Err(CliError::usage(
                "missing website: pass --website <id> or set a default with `datafast config set-website <id>`",
            ));
        }
        if !self.client()?.is_account_token() {
            return Err(CliError::usage("missing website: pass --website <id> (a df_ key cannot list websites)"));
        }
        let list = self.call("admin.websites.list", &[], Params::default())?;
        prompt::pick("Website", choices(&list, "_id", "domain"))
    }

    /// A website given as an argument, else [`Ctx::website`].
    pub fn site(&mut self, given: Option<String>) -> Result<String> {
        match given {
            Some(id) => Ok(id),
            None => self.website(),
        }
    }

    /// `[websiteId] itemId` arguments: two ids are both; one is the item when a website is
    /// known from `--website` or the default, else the website; what is missing is picked.
    pub fn site_and_item(&mut self, ids: &[String], item: Item) -> Result<(String, String)> {
        let (_, _, _, what) = item.spec();
        match ids {
            [site, id] => Ok((site.clone(), id.clone())),
            [one] if self.settings.website.is_some() => Ok((self.website()?, one.clone())),
            [site] => {
                let id = self.pick(site, item)?;
                Ok((site.clone(), id))
            }
            [] => {
                let site = self.website()?;
                let id = self.pick(&site, item)?;
                Ok((site, id))
            }
            _ => Err(CliError::usage(format!("expected [websiteId] {what}, got {} arguments", ids.len()))),
        }
    }

    fn pick(&mut self, site: &str, item: Item) -> Result<String> {
        let (list_id, id_field, label_field, what) = item.spec();
        if !prompt::interactive() {
            return Err(CliError::usage(format!("missing {what}: pass it as an argument")));
        }
        let list = self.call(list_id, &[site.to_string()], Params::default())?;
        prompt::pick(what, choices(&list, id_field, label_field))
    }
}

/// Picker entries from a list: `label (id)`.
fn choices(list: &Json, id_field: &str, label_field: &str) -> Vec<(String, String)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| {
            let id = row.get(id_field)?.as_str()?.to_string();
            let label = row.get(label_field).and_then(Json::as_str).unwrap_or("");
            Some((if label.is_empty() || label == id { id.clone() } else { format!("{label} ({id})") }, id))
        })
        .collect()
}
