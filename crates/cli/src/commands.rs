//! Each command: which endpoint it calls with which input, and how the result is shown.
//! Everything about the call itself (validation, planning, retries) is the core's.

use crate::cli::*;
use crate::config::{self, ConfigFile};
use crate::context::{Ctx, Item};
use crate::driver::{self, Client};
use crate::error::{CliError, Exit, Result};
use crate::input::{self, Params};
use crate::output::write_stdout;
use crate::prompt;
use datafast_contract::{params, registry, rules, TokenKind};
use datafast_wasm::core::{CallOptions, Value};
use serde_json::{json, Value as Json};
use std::io::Read;

pub fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Login(args) => login(ctx, args),
        Command::Logout => logout(ctx),
        Command::Whoami => {
            let account = ctx.call("admin.account.get", &[], Params::default())?;
            ctx.out.print(&account)
        }
        Command::Config(cmd) => config_cmd(ctx, cmd),
        Command::Analytics(cmd) => analytics(ctx, *cmd),
        Command::Visitors(cmd) => visitors(ctx, cmd),
        Command::Websites(cmd) => websites(ctx, cmd),
        Command::Tokens(cmd) => tokens(ctx, cmd),
        Command::Funnels(cmd) => funnels(ctx, cmd),
        Command::Alerts(cmd) => alerts(ctx, cmd),
        Command::Goals(cmd) => goals(ctx, cmd),
        Command::Completion { shell } => completion(shell),
        Command::Api(args) => api(ctx, args),
        // Served from `main` before a context exists (it needs no output format or prompts).
        Command::Mcp(_) => Err(CliError::usage("`mcp` runs on its own")),
    }
}

// ---- account and configuration ----

fn login(ctx: &mut Ctx, args: LoginArgs) -> Result<()> {
    let token = match args.token {
        Some(t) => t,
        None if prompt::interactive() => {
            eprintln!("Create a dft_ account token at https://datafa.st/dashboard/settings?tab=api (or use a df_ website key).");
            prompt::secret("Token")?
        }
        None => {
            let mut text = String::new();
            std::io::stdin().take(4096).read_to_string(&mut text)?;
            text
        }
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(CliError::usage("missing token: pass --token, pipe it on stdin, or run at a terminal"));
    }
    // Checked against the API before it is saved: a typo never lands in the config file.
    let client = Client::new(&token, &ctx.settings.api_base.value, CallOptions::default())?;
    let account = client.call(driver::endpoint("admin.account.get")?, &[], None, None)?;
    let mut file = ctx.settings.file.clone();
    if token.starts_with("dft_") {
        file.token = Some(token);
    } else {
        file.site_key = Some(token);
    }
    file.save(&ctx.settings.path)?;
    let who = account.get("email").and_then(Json::as_str).unwrap_or("the account");
    ctx.out.done(&format!("Logged in as {who}; saved to {}", ctx.settings.path.display()), &account)
}

fn logout(ctx: &mut Ctx) -> Result<()> {
    let mut file = ctx.settings.file.clone();
    let had = file.token.take().is_some() | file.site_key.take().is_some();
    if had {
        file.save(&ctx.settings.path)?;
    }
    let message = if had { "Logged out: the saved token is removed." } else { "No saved token." };
    let env_note = if std::env::var_os(config::TOKEN_ENV).is_some() || std::env::var_os(config::SITE_KEY_ENV).is_some()
    {
        " DATAFAST_TOKEN / DATAFAST_SITE_KEY are still set in the environment."
    } else {
        ""
    };
    ctx.out.done(&format!("{message}{env_note}"), &json!({ "loggedOut": had }))
}

fn config_cmd(ctx: &mut Ctx, cmd: ConfigCmd) -> Result<()> {
    match cmd {
        ConfigCmd::Show => {
            let s = &ctx.settings;
            let secret = |v: &Option<config::Sourced>| match v {
                Some(t) => json!({ "value": config::mask(&t.value), "source": t.source.to_string() }),
                None => Json::Null,
            };
            let plain = |v: Option<&config::Sourced>| match v {
                Some(t) => json!({ "value": t.value, "source": t.source.to_string() }),
                None => Json::Null,
            };
            let shown = json!({
                "token": secret(&s.token),
                "siteKey": secret(&s.site_key),
                "apiBase": plain(Some(&s.api_base)),
                "website": plain(s.website.as_ref()),
                "configFile": s.path.display().to_string(),
            });
            ctx.out.print(&shown)
        }
        ConfigCmd::SetWebsite { website_id } => {
            rules::object_id("websiteId", &website_id)?;
            let file = ConfigFile { default_website_id: Some(website_id.clone()), ..ctx.settings.file.clone() };
            file.save(&ctx.settings.path)?;
            ctx.out.done(&format!("Default website: {website_id}"), &json!({ "defaultWebsiteId": website_id }))
        }
        ConfigCmd::ClearWebsite => {
            let file = ConfigFile { default_website_id: None, ..ctx.settings.file.clone() };
            file.save(&ctx.settings.path)?;
            ctx.out.done("Default website cleared.", &json!({ "defaultWebsiteId": null }))
        }
    }
}

// ---- analytics and visitors ----

/// Adds dates (period or from/to) and the time zone, where the endpoint takes them.
fn add_range(p: &mut Params, id: &str, range: &Range) -> Result<()> {
    let dates = match (&range.period, &range.from, &range.to) {
        (Some(name), _, _) => input::period(name, now_s())?,
        (None, Some(from), Some(to)) => Some((from.clone(), to.clone())),
        _ => None,
    };
    if let Some((from, to)) = dates {
        accepts(id, "startAt", if range.period.is_some() { "--period" } else { "--from" })?;
        p.set_str("startAt", from);
        p.set_str("endAt", to);
    }
    if let Some(tz) = &range.timezone {
        accepts(id, "timezone", "--timezone")?;
        p.set_str("timezone", tz.clone());
    }
    Ok(())
}

/// A flag that maps to a parameter the endpoint does not take is a usage error, not ignored.
fn accepts(id: &str, field: &str, flag: &str) -> Result<()> {
    if params::of(id).field(field).is_some() {
        Ok(())
    } else {
        Err(CliError::usage(format!("`{flag}` does not apply to {id}")))
    }
}

fn add_paging(p: &mut Params, id: &str, paging: &Paging) -> Result<()> {
    if params::of(id).field("limit").is_none() {
        if paging.limit.is_some() || paging.offset.is_some() || paging.all {
            return Err(CliError::usage(format!("`--limit`, `--offset` and `--all` do not apply to {id}")));
        }
        return Ok(());
    }
    if let Some(limit) = paging.limit {
        p.set("limit", Value::number(f64::from(limit)));
    } else if !paging.all {
        p.set("limit", Value::number(50.0));
    }
    if let Some(offset) = paging.offset {
        p.set("offset", Value::number(offset as f64));
    }
    Ok(())
}

fn add_filters(p: &mut Params, id: &str, filters: &Shortcuts) -> Result<()> {
    if filters.filter.is_empty() && filters.given().is_empty() {
        return Ok(());
    }
    accepts(id, "filters", "--filter")?;
    p.add_filters(&filters.filter)?;
    for (dimension, value) in filters.given() {
        p.add_filter(dimension, "is", value)?;
    }
    Ok(())
}

fn analytics(ctx: &mut Ctx, cmd: AnalyticsCmd) -> Result<()> {
    let report = match (cmd.report, cmd.view.as_deref()) {
        (Report::Realtime, Some("map")) => Report::RealtimeMap,
        (_, Some(view)) => return Err(CliError::usage(format!("`{view}` follows only `realtime`"))),
        (report, None) => report,
    };
    let id = report.endpoint_id();
    let mut p = Params::default();
    add_range(&mut p, id, &cmd.range)?;
    add_filters(&mut p, id, &cmd.filters)?;
    add_paging(&mut p, id, &cmd.paging)?;
    if let Some(fields) = cmd.fields {
        accepts(id, "fields", "--fields")?;
        p.set_str("fields", fields);
    }
    if report == Report::Timeseries {
        if !p.has("fields") {
            p.set_str("fields", "visitors,sessions,revenue");
        }
        p.set_str("interval", cmd.interval.unwrap_or_else(|| "day".into()));
    } else if cmd.interval.is_some() {
        return Err(CliError::usage(format!("`--interval` does not apply to {id}")));
    }
    let result = ctx.call_pages(id, &[], p, cmd.paging.all)?;
    ctx.out.print(&result)
}

fn visitors(ctx: &mut Ctx, cmd: VisitorsCmd) -> Result<()> {
    match cmd {
        VisitorsCmd::List(args) => {
            let id = "visitors.list";
            let mut p = Params::default();
            add_range(&mut p, id, &args.range)?;
            add_paging(&mut p, id, &args.paging)?;
            for (key, value) in [
                ("visitedPage", &args.visited_page),
                ("visitedPageContains", &args.visited_page_contains),
                ("completedGoal", &args.completed_goal),
            ] {
                if let Some(v) = value {
                    p.set_str(key, v.clone());
                }
            }
            if let Some(b) = args.is_customer {
                p.set("isCustomer", Value::Bool(b));
            }
            // The visitors list takes its filters as plain parameters of the same names.
            if !args.filters.filter.is_empty() {
                return Err(CliError::usage("visitors list takes filters as flags (--country, --device, …), not -F"));
            }
            for (dimension, value) in args.filters.given() {
                p.set_str(dimension, value);
            }
            let result = ctx.call_pages(id, &[], p, args.paging.all)?;
            ctx.out.print(&result)
        }
        VisitorsCmd::Get { visitor_id } => {
            let visitor_id =
                prompt::require(visitor_id, "Visitor id", "visitor id: datafast visitors get <visitorId>")?;
            let result = ctx.call("visitors.get", &[visitor_id], Params::default())?;
            ctx.out.print(&result)
        }
    }
}

// ---- websites ----

fn websites(ctx: &mut Ctx, cmd: WebsitesCmd) -> Result<()> {
    match cmd {
        WebsitesCmd::List => show(ctx, "admin.websites.list", &[], Params::default()),
        WebsitesCmd::Get { website_id } => {
            let site = ctx.site(website_id)?;
            show(ctx, "admin.websites.get", &[site], Params::default())
        }
        WebsitesCmd::Create { domain, timezone, name } => {
            let mut p = Params::default();
            p.set_str("domain", prompt::require(domain, "Domain", "--domain")?);
            p.set_str("timezone", prompt::require(timezone, "Time zone (IANA, e.g. Europe/Paris)", "--timezone")?);
            if let Some(name) = name {
                p.set_str("name", name);
            }
            show(ctx, "admin.websites.create", &[], p)
        }
        WebsitesCmd::Update(args) => {
            let id = "admin.websites.update";
            let site = ctx.site(args.website_id)?;
            let mut p = Params::default();
            for (key, value) in [
                ("name", args.name),
                ("domain", args.domain),
                ("timezone", args.timezone),
                ("kpi", args.kpi),
                ("kpiColorScheme", args.kpi_color_scheme),
                ("excludedIps", args.excluded_ips),
            ] {
                if let Some(v) = value {
                    p.set(key, input::typed(id, key, &v)?);
                }
            }
            for (key, value) in
                [("isCookieless", args.cookieless), ("includeRenewalRevenue", args.include_renewal_revenue)]
            {
                if let Some(b) = value {
                    p.set(key, Value::Bool(b));
                }
            }
            for pair in &args.params {
                p.add_pair(id, pair)?;
            }
            match (p.0.is_empty(), prompt::interactive()) {
                (false, _) => show(ctx, id, &[site], p),
                (true, true) => guided_update(ctx, &site),
                (true, false) => Err(CliError::usage("nothing to update: pass --name, --domain, … or -p key=value")),
            }
        }
        WebsitesCmd::Delete { website_id, yes } => {
            let site = ctx.site(website_id)?;
            prompt::confirm_delete(yes, &format!("website {site}"))?;
            show(ctx, "admin.websites.delete", &[site], Params::default())
        }
        WebsitesCmd::Kpi { website_id, set, clear } => {
            let site = ctx.site(website_id)?;
            if set.is_none() && !clear {
                let w = ctx.call("admin.websites.get", &[site], Params::default())?;
                let kpi = json!({ "kpi": w.get("kpi").cloned().unwrap_or(Json::Null),
                                  "kpiColorScheme": w.get("kpiColorScheme").cloned().unwrap_or(Json::Null) });
                return ctx.out.print(&kpi);
            }
            let mut p = Params::default();
            p.set("kpi", set.map_or(Value::Null, Value::String));
            show(ctx, "admin.websites.update", &[site], p)
        }
        WebsitesCmd::Apikeys(cmd) => match cmd {
            ApiKeysCmd::List { website_id } => {
                let site = ctx.site(website_id)?;
                show(ctx, "admin.apikeys.list", &[site], Params::default())
            }
            ApiKeysCmd::Create { website_id, name } => {
                let site = ctx.site(website_id)?;
                let mut p = Params::default();
                if let Some(name) = name {
                    p.set_str("name", name);
                }
                show(ctx, "admin.apikeys.create", &[site], p)
            }
            ApiKeysCmd::Roll { ids } => {
                let (site, key) = ctx.site_and_item(&ids, Item::ApiKey)?;
                show(ctx, "admin.apikeys.roll", &[site, key], Params::default())
            }
            ApiKeysCmd::Delete { ids, yes } => {
                let (site, key) = ctx.site_and_item(&ids, Item::ApiKey)?;
                prompt::confirm_delete(yes, &format!("API key {key}"))?;
                show(ctx, "admin.apikeys.delete", &[site, key], Params::default())
            }
        },
        WebsitesCmd::Team(cmd) => match cmd {
            TeamCmd::List { website_id } => {
                let site = ctx.site(website_id)?;
                show(ctx, "admin.team.list", &[site], Params::default())
            }
            TeamCmd::Invite { website_id, email, role } => {
                let site = ctx.site(website_id)?;
                let mut p = Params::default();
                p.set_str("email", prompt::require(email, "E-mail", "--email")?);
                if let Some(role) = role {
                    p.set_str("role", role);
                }
                show(ctx, "admin.team.invite", &[site], p)
            }
            TeamCmd::Remove { ids, yes } => {
                let (site, user) = ctx.site_and_item(&ids, Item::Member)?;
                prompt::confirm_delete(yes, &format!("team member {user}"))?;
                let mut p = Params::default();
                p.set_str("userId", user);
                show(ctx, "admin.team.remove", &[site], p)
            }
        },
    }
}

/// The settings editor: pick a setting (from the endpoint's parameter table), enter its value,
/// saved at once; again until Done.
fn guided_update(ctx: &mut Ctx, site: &str) -> Result<()> {
    let id = "admin.websites.update";
    let ids = [site.to_string()];
    loop {
        let current = ctx.call("admin.websites.get", &ids, Params::default())?;
        let choices = params::of(id)
            .all()
            .map(|f| {
                let now = current.get(f.name).map_or("—".to_string(), |v| crate::output::cell(f.name, v, None));
                (format!("{}: {now}", f.name), f.name.to_string())
            })
            .collect();
        let name = match prompt::pick("Setting to change (Cancel when done)", choices) {
            Err(e) if e.exit == Exit::Cancelled => return Ok(()),
            other => other?,
        };
        let field = params::of(id).field(&name).ok_or_else(|| CliError::other("unknown setting"))?;
        let raw = match field.kind {
            params::Kind::Bool => {
                prompt::pick(&name, vec![("true".into(), "true".into()), ("false".into(), "false".into())])?
            }
            params::Kind::OneOf(values) => {
                prompt::pick(&name, values.iter().map(|v| (v.to_string(), v.to_string())).collect())?
            }
            _ => prompt::text(&format!("{name} (comma list for lists, null clears)"))?,
        };
        let mut p = Params::default();
        p.set(&name, input::typed(id, &name, &raw)?);
        match ctx.call(id, &ids, p) {
            Ok(_) => eprintln!("Saved {name}."),
            // A refused value is shown and the editor goes on.
            Err(e) if e.exit == Exit::Usage => eprintln!("{}", e.line()),
            Err(e) => return Err(e),
        }
    }
}

/// The funnel builder: 2–8 steps, each a page view (a path) or a goal (picked from the
/// website's tracked goals).
fn build_steps(ctx: &mut Ctx, site: &str) -> Result<Value> {
    let goals = ctx.call("admin.goals.tracked", &[site.to_string()], Params::default())?;
    let goal_choices: Vec<(String, String)> = goals
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g.get("name").and_then(Json::as_str).map(|n| (n.to_string(), n.to_string())))
        .collect();
    let mut steps = Vec::new();
    loop {
        let name = prompt::text(&format!("Step {} name", steps.len() + 1))?;
        let kind = prompt::pick("Type", vec![("Page view".into(), "pageview".into()), ("Goal".into(), "goal".into())])?;
        let target = if kind == "pageview" {
            ("url".to_string(), Value::String(prompt::text("Page path (e.g. /pricing)")?))
        } else {
            ("goalName".to_string(), Value::String(prompt::pick("Goal", goal_choices.clone())?))
        };
        steps.push(Value::Object(vec![
            ("name".into(), Value::String(name)),
            ("type".into(), Value::String(kind)),
            target,
        ]));
        if steps.len() >= rules::FUNNEL_STEPS_MAX
            || (steps.len() >= rules::FUNNEL_STEPS_MIN && !prompt::confirm("Add another step?")?)
        {
            return Ok(Value::Array(steps));
        }
    }
}

fn show(ctx: &mut Ctx, id: &str, ids: &[String], p: Params) -> Result<()> {
    let result = ctx.call(id, ids, p)?;
    ctx.out.print(&result)
}

// ---- tokens, funnels, alerts, goals ----

fn tokens(ctx: &mut Ctx, cmd: TokensCmd) -> Result<()> {
    let id = "admin.tokens.create";
    match cmd {
        TokensCmd::List => show(ctx, "admin.tokens.list", &[], Params::default()),
        TokensCmd::Create { name, permissions, websites } => {
            let mut p = Params::default();
            let asking = name.is_none() && permissions.is_none() && websites.is_none() && prompt::interactive();
            let (name, permissions) = if asking {
                let name = prompt::text("Token name")?;
                (Some(name), Some(prompt::text("Permissions (comma list, * for all)")?))
            } else {
                (name, permissions)
            };
            if let Some(name) = name {
                p.set_str("name", name);
            }
            if let Some(perms) = permissions {
                p.set("permissions", input::typed(id, "permissions", &perms)?);
            }
            if let Some(sites) = websites {
                p.set("websiteIds", input::typed(id, "websiteIds", &sites)?);
            }
            show(ctx, id, &[], p)
        }
        TokensCmd::Delete { token_id, yes } => {
            let token_id = match token_id {
                Some(t) => t,
                None if prompt::interactive() => {
                    let list = ctx.call("admin.tokens.list", &[], Params::default())?;
                    let choices = list
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|t| {
                            let id = t.get("_id")?.as_str()?.to_string();
                            let label = format!(
                                "{} {}",
                                t.get("name").and_then(Json::as_str).unwrap_or(""),
                                t.get("displayKey").and_then(Json::as_str).unwrap_or("")
                            );
                            Some((format!("{} ({id})", label.trim()), id))
                        })
                        .collect();
                    prompt::pick("Token", choices)?
                }
                None => return Err(CliError::usage("missing tokenId: datafast tokens delete <tokenId> --yes")),
            };
            prompt::confirm_delete(yes, &format!("token {token_id}"))?;
            show(ctx, "admin.tokens.delete", &[token_id], Params::default())
        }
    }
}

fn funnels(ctx: &mut Ctx, cmd: FunnelsCmd) -> Result<()> {
    match cmd {
        FunnelsCmd::List { website_id } => {
            let site = ctx.site(website_id)?;
            show(ctx, "admin.funnels.list", &[site], Params::default())
        }
        FunnelsCmd::View(view) => {
            let FunnelView { ids, range, filters } = *view;
            let (site, funnel) = ctx.site_and_item(&ids, Item::Funnel)?;
            let id = "analytics.funnel";
            let mut p = Params::default();
            add_range(&mut p, id, &range)?;
            add_filters(&mut p, id, &filters)?;
            // A funnel's analytics are a Website API route: they act on the funnel's website.
            ctx.settings.website = Some(config::Sourced { value: site, source: config::Source::Flag });
            show(ctx, id, &[funnel], p)
        }
        FunnelsCmd::Create { website_id, name, steps } => {
            let id = "admin.funnels.create";
            let site = ctx.site(website_id)?;
            let mut p = Params::default();
            p.set_str("name", prompt::require(name, "Funnel name", "--name")?);
            let steps = match steps {
                Some(json) => input::typed(id, "steps", &json)?,
                None if prompt::interactive() => build_steps(ctx, &site)?,
                None => return Err(CliError::usage("missing --steps '<JSON array of 2–8 steps>'")),
            };
            p.set("steps", steps);
            show(ctx, id, &[site], p)
        }
        FunnelsCmd::Update { ids, name, steps, enable, disable } => {
            let id = "admin.funnels.update";
            let (site, funnel) = ctx.site_and_item(&ids, Item::Funnel)?;
            let mut p = Params::default();
            if let Some(name) = name {
                p.set_str("name", name);
            }
            if let Some(steps) = steps {
                p.set("steps", input::typed(id, "steps", &steps)?);
            }
            if enable || disable {
                p.set("isActive", Value::Bool(enable));
            }
            if p.0.is_empty() {
                return Err(CliError::usage("nothing to update: pass --name, --steps, --enable or --disable"));
            }
            show(ctx, id, &[site, funnel], p)
        }
        FunnelsCmd::Delete { ids, yes } => {
            let (site, funnel) = ctx.site_and_item(&ids, Item::Funnel)?;
            prompt::confirm_delete(yes, &format!("funnel {funnel}"))?;
            show(ctx, "admin.funnels.delete", &[site, funnel], Params::default())
        }
    }
}

fn alert_params(p: &mut Params, alert: AlertFields, creating: bool) -> Result<()> {
    let AlertFields { name, goal, subject, message } = alert;
    let (name, goal, message) = if creating {
        (
            Some(prompt::require(name, "Alert name", "--name")?),
            Some(prompt::require(goal, "Goal", "--goal")?),
            Some(prompt::require(message, "E-mail message (10–2000 characters)", "--message")?),
        )
    } else {
        (name, goal, message)
    };
    if let Some(name) = name {
        p.set_str("name", name);
    }
    if let Some(goal) = goal {
        p.set("trigger", Value::Object(vec![("goalName".into(), Value::String(goal))]));
    }
    let mut template = Vec::new();
    if let Some(subject) = subject {
        template.push(("subject".to_string(), Value::String(subject)));
    }
    if let Some(message) = message {
        template.push(("message".to_string(), Value::String(message)));
    }
    if !template.is_empty() {
        p.set("template", Value::Object(template));
    }
    Ok(())
}

fn alerts(ctx: &mut Ctx, cmd: AlertsCmd) -> Result<()> {
    match cmd {
        AlertsCmd::List { website_id } => {
            let site = ctx.site(website_id)?;
            show(ctx, "admin.alerts.list", &[site], Params::default())
        }
        AlertsCmd::Get { ids } => {
            // The API has no single-alert route: the alert is found in its website's list.
            let (site, alert) = ctx.site_and_item(&ids, Item::Alert)?;
            let list = ctx.call("admin.alerts.list", &[site], Params::default())?;
            let found =
                list.as_array().into_iter().flatten().find(|a| a.get("_id").and_then(Json::as_str) == Some(&alert));
            match found {
                Some(a) => ctx.out.print(a),
                None => Err(CliError::new(Exit::NotFound, format!("no alert {alert} on this website"))),
            }
        }
        AlertsCmd::Create { website_id, alert, disabled } => {
            let site = ctx.site(website_id)?;
            let mut p = Params::default();
            alert_params(&mut p, alert, true)?;
            if disabled {
                p.set("isEnabled", Value::Bool(false));
            }
            show(ctx, "admin.alerts.create", &[site], p)
        }
        AlertsCmd::Update { ids, alert, enabled, disabled } => {
            let (site, id) = ctx.site_and_item(&ids, Item::Alert)?;
            let mut p = Params::default();
            alert_params(&mut p, alert, false)?;
            if enabled || disabled {
                p.set("isEnabled", Value::Bool(enabled));
            }
            if p.0.is_empty() {
                return Err(CliError::usage(
                    "nothing to update: pass --name, --goal, --subject, --message, --enabled or --disabled",
                ));
            }
            show(ctx, "admin.alerts.update", &[site, id], p)
        }
        AlertsCmd::Delete { ids, yes } => {
            let (site, id) = ctx.site_and_item(&ids, Item::Alert)?;
            prompt::confirm_delete(yes, &format!("alert {id}"))?;
            show(ctx, "admin.alerts.delete", &[site, id], Params::default())
        }
        AlertsCmd::History { website_id, alert, limit } => {
            let site = ctx.site(website_id)?;
            let mut p = Params::default();
            if let Some(a) = alert {
                p.set_str("alertId", a);
            }
            if let Some(l) = limit {
                p.set("limit", Value::number(f64::from(l)));
            }
            show(ctx, "admin.alerts.history", &[site], p)
        }
    }
}

fn goals(ctx: &mut Ctx, cmd: GoalsCmd) -> Result<()> {
    match cmd {
        GoalsCmd::List { website_id } => {
            let site = ctx.site(website_id)?;
            let mut tracked = ctx.call("admin.goals.tracked", std::slice::from_ref(&site), Params::default())?;
            let custom = ctx.call("admin.goals.customizations.list", &[site], Params::default())?;
            let custom = custom.get("data").and_then(Json::as_array).cloned().unwrap_or_default();
            // Each goal with its display customization, as the dashboard shows them.
            for goal in tracked.as_array_mut().into_iter().flatten() {
                let name = goal.get("name").and_then(Json::as_str).map(str::to_string);
                let c = custom.iter().find(|c| c.get("goalName").and_then(Json::as_str) == name.as_deref());
                if let (Some(obj), Some(c)) = (goal.as_object_mut(), c) {
                    for key in ["displayName", "color", "description"] {
                        obj.insert(key.into(), c.get(key).cloned().unwrap_or(Json::Null));
                    }
                }
            }
            ctx.out.print(&tracked)
        }
        GoalsCmd::Customizations { website_id, goal } => {
            let site = ctx.site(website_id)?;
            let mut p = Params::default();
            if let Some(g) = goal {
                p.set_str("goalName", g);
            }
            let result = ctx.call("admin.goals.customizations.list", &[site], p)?;
            let data = result.get("data").cloned().unwrap_or(Json::Null);
            ctx.out.print(if ctx.out.format == crate::output::Format::Json { &result } else { &data })
        }
        GoalsCmd::Colors { website_id } => {
            let site = ctx.site(website_id)?;
            let result = ctx.call("admin.goals.customizations.list", &[site], Params::default())?;
            ctx.out.print(result.get("colors").unwrap_or(&Json::Null))
        }
        GoalsCmd::Customize {
            ids,
            display_name,
            color,
            description,
            clear_display_name,
            clear_color,
            clear_description,
        } => {
            let (site, goal) = ctx.site_and_item(&ids, Item::Goal)?;
            let mut p = Params::default();
            p.set_str("goalName", goal);
            for (key, value, clear) in [
                ("displayName", display_name, clear_display_name),
                ("color", color, clear_color),
                ("description", description, clear_description),
            ] {
                if clear {
                    p.set(key, Value::Null);
                } else if let Some(v) = value {
                    p.set_str(key, v);
                }
            }
            show(ctx, "admin.goals.customizations.update", &[site], p)
        }
        GoalsCmd::Reset { ids } => {
            let (site, goal) = ctx.site_and_item(&ids, Item::Goal)?;
            let mut p = Params::default();
            p.set_str("goalName", goal);
            show(ctx, "admin.goals.customizations.delete", &[site], p)
        }
    }
}

// ---- api ----

fn api(ctx: &mut Ctx, args: ApiArgs) -> Result<()> {
    let Some(id) = args.endpoint else {
        let rows: Vec<Json> = registry::ENDPOINTS
            .iter()
            .map(|e| {
                json!({ "id": e.id, "method": e.method.as_str(), "path": e.path,
                        "tokens": if e.allows(TokenKind::WebsiteKey) { "df_, dft_" } else { "dft_" } })
            })
            .collect();
        return ctx.out.print(&Json::Array(rows));
    };
    let endpoint = driver::endpoint(&id)?;
    let mut p = match &args.body {
        Some(body) => Params::from_body(body)?,
        None => Params::default(),
    };
    for pair in &args.params {
        p.add_pair(endpoint.id, pair)?;
    }
    p.add_filters(&args.filter)?;
    let result = ctx.call_pages(endpoint.id, &args.ids, p, args.all)?;
    ctx.out.print(&result)
}

fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

pub fn completion(shell: Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut cmd, "datafast", &mut buf);
    write_stdout(&String::from_utf8_lossy(&buf))
}
