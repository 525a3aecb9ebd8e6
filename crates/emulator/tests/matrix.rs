//! The authorization matrix (CONTRACT 2.2, 2.6–2.8): every registry route × every kind of
//! caller. Routes come from `datafast_contract::ENDPOINTS` and the expected status of each
//! cell is derived from the route's registry row (permission, token rule, where its website
//! comes from) and the contract's rules — there is no hand-written list of routes.
//!
//! Every cell also checks that
//! * a 4xx changed nothing in the store (any 4xx, expected or not),
//! * no answer echoes the caller's credential,
//! * an answer about website A never carries website B's id, domain, key, tracking id,
//!   visitors or objects (canary records are planted on both websites first),
//!
//! and every failing cell is reported at once, as `route × caller: expected …, got …`.

mod common;

use common::*;
use datafast_contract::registry::{Endpoint, Method, ResultShape, TokenRule, ENDPOINTS};
use datafast_contract::{Permission, API_PREFIX};
use datafast_emulator::state::Role;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt;

/// The callers of the matrix. Website A (the demo website, index 0) is the target of every
/// request; B (index 1) is the other website.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    NoToken,
    /// Neither `df_` nor `dft_`.
    BadPrefix,
    UnknownToken,
    UnknownKey,
    /// A `dft_` token deleted through the API.
    RevokedToken,
    /// A `df_` key deleted through the API.
    RevokedKey,
    /// The `df_` key of website B.
    OtherSiteKey,
    /// The `df_` key of website A.
    OwnKey,
    /// The owner's `dft_` token holding every permission except the route's.
    LacksPermission,
    /// The owner's `*` token limited to website B (`websiteIds: [B]`).
    OutsideWebsiteList,
    Viewer,
    Member,
    Owner,
    /// The owner's token on a Website API route without `?websiteId=`.
    OwnerWithoutWebsiteId,
}

const CALLERS: [Who; 14] = [
    Who::NoToken,
    Who::BadPrefix,
    Who::UnknownToken,
    Who::UnknownKey,
    Who::RevokedToken,
    Who::RevokedKey,
    Who::OtherSiteKey,
    Who::OwnKey,
    Who::LacksPermission,
    Who::OutsideWebsiteList,
    Who::Viewer,
    Who::Member,
    Who::Owner,
    Who::OwnerWithoutWebsiteId,
];

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Who::NoToken => "no token",
            Who::BadPrefix => "bad prefix",
            Who::UnknownToken => "unknown dft_",
            Who::UnknownKey => "unknown df_",
            Who::RevokedToken => "revoked dft_",
            Who::RevokedKey => "revoked df_",
            Who::OtherSiteKey => "df_ of website B",
            Who::OwnKey => "df_ of website A",
            Who::LacksPermission => "dft_ without the permission",
            Who::OutsideWebsiteList => "dft_ limited to website B",
            Who::Viewer => "viewer",
            Who::Member => "member",
            Who::Owner => "owner",
            Who::OwnerWithoutWebsiteId => "owner without websiteId",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Any 2xx.
    Success,
    Refused(u16),
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Success => f.write_str("2xx"),
            Expect::Refused(s) => write!(f, "{s}"),
        }
    }
}

// ---------- the contract's rules, applied to a registry row ----------

/// The route acts on one website: named by `?websiteId=` on the Website API (2.6) or by the
/// `{websiteId}` path segment on admin routes.
fn on_website(ep: &Endpoint) -> bool {
    ep.website_from_query() || ep.path_params().any(|p| p == "websiteId")
}

/// Owner-only operations of the roles table (2.8): team invite/remove (`team:write` + owner)
/// and website delete (`websites:write` + owner).
fn owner_only(ep: &Endpoint) -> bool {
    on_website(ep) && matches!(ep.permission, Permission::TeamWrite | Permission::WebsitesWrite)
}

/// 2.3(4): `DELETE /admin/websites/{websiteId}` always answers 403.
fn always_forbidden(ep: &Endpoint) -> bool {
    ep.method == Method::Delete && ep.path == "/admin/websites/{websiteId}"
}

/// Whether the sample request names website A: every website route, and token creation,
/// whose sample body asks for a token limited to A (2.7: a new token may not exceed the
/// caller's website scope).
fn names_website_a(ep: &Endpoint) -> bool {
    on_website(ep) || ep.id == "admin.tokens.create"
}

/// The status the contract gives `who` on `ep` (with the valid sample request of the route);
/// `None` where the cell does not exist.
fn expected(ep: &Endpoint, who: Who) -> Option<Expect> {
    use Who::*;
    let refused = |status| Some(Expect::Refused(status));
    match who {
        // 2.2: no header, unknown/revoked token, wrong prefix.
        NoToken | BadPrefix | UnknownToken | UnknownKey | RevokedToken | RevokedKey => return refused(401),
        // 2.6: `dft_` on the Website API needs `?websiteId=`; admin routes have no such rule.
        OwnerWithoutWebsiteId if !ep.website_from_query() => return None,
        OwnerWithoutWebsiteId => return refused(400),
        _ => {}
    }
    // 2.6: `df_` keys never call account-level routes.
    if matches!(who, OwnKey | OtherSiteKey) && ep.tokens == TokenRule::AccountOnly {
        return refused(403);
    }
    // 2.7, section 6 step 2.
    if who == LacksPermission {
        return refused(403);
    }
    // 2.6: a `df_` key only ever acts on its own website.
    if who == OtherSiteKey && on_website(ep) {
        return refused(403);
    }
    // 2.6/2.8: the website must be inside the token's scope.
    if who == OutsideWebsiteList && names_website_a(ep) {
        return refused(403);
    }
    if on_website(ep) {
        // 2.6: a `df_` key writes at member level at most.
        let role = match who {
            Viewer => Role::Viewer,
            Member | OwnKey => Role::Member,
            _ => Role::Owner,
        };
        if ep.permission.is_write() && role < Role::Member {
            return refused(403);
        }
        if owner_only(ep) && role < Role::Owner {
            return refused(403);
        }
        if always_forbidden(ep) {
            return refused(403);
        }
    }
    Some(Expect::Success)
}

// ---------- the world: two websites with canaries, and every caller ----------

/// One demo website and what would identify its data in an answer.
#[derive(Clone)]
struct Site {
    id: String,
    domain: String,
    tracking_id: String,
    key: String,
    visitor: String,
    /// An active funnel, for the funnel analytics route.
    funnel: String,
    /// Planted in records of every kind on this website only.
    canary: &'static str,
}

impl Site {
    /// Demo website `i`, with canary records planted.
    async fn planted(e: &Emu, i: usize, canary: &'static str) -> Site {
        let demo = &e.creds.websites[i];
        let tracking_id = e.state.store().website(&demo.id).expect("seeded website").tracking_id.clone();
        let mut site = Site {
            id: demo.id.clone(),
            domain: demo.domain.clone(),
            tracking_id,
            key: demo.key.clone(),
            visitor: demo.sample_visitor_id.clone(),
            funnel: String::new(),
            canary,
        };
        site.funnel = plant_canaries(e, &site).await;
        site
    }

    /// What in `text` belongs to this website: its id, tracking id, key, sample visitor,
    /// canary, or its domain. The domain counts only where it is not an e-mail domain: the
    /// seeded users' addresses (`owner@demo.example.com`) are account data, shown with
    /// every website they belong to.
    fn traces_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = [&self.id, &self.tracking_id, &self.key, &self.visitor]
            .into_iter()
            .filter(|m| text.contains(m.as_str()))
            .cloned()
            .collect();
        if text.to_ascii_lowercase().contains(self.canary) {
            found.push(self.canary.to_string());
        }
        let as_host = text.match_indices(&self.domain).any(|(at, _)| !text[..at].ends_with('@'));
        if as_host {
            found.push(self.domain.clone());
        }
        found
    }
}

struct Req {
    method: &'static str,
    uri: String,
    body: Option<String>,
}

struct World {
    e: Emu,
    sites: [Site; 2],
    scoped_token: String,
    revoked_token: String,
    revoked_key: String,
    /// The owner's token without the current route's permission, and its id.
    lacking_token: String,
    lacking_token_id: Option<String>,
    /// Objects made for routes that change or delete one, by route, user and website; reused
    /// until a request consumes it.
    victims: HashMap<String, String>,
    counter: usize,
}

/// Two valid funnel steps.
fn steps() -> Value {
    json!([{"name": "Landing", "type": "pageview", "url": "/"}, {"name": "Signup", "type": "goal", "goalName": "signup"}])
}

impl World {
    async fn new() -> World {
        let e = emu_small();
        let a = Site::planted(&e, 0, "canarya").await;
        let b = Site::planted(&e, 1, "canaryb").await;

        let owner = e.owner().to_string();
        let scoped_token = must(&e, "POST", "/api/v1/admin/access-tokens", &owner, json!({"websiteIds": [b.id]})).await
            [0]["key"]
            .as_str()
            .unwrap()
            .to_string();
        let revoked = must(&e, "POST", "/api/v1/admin/access-tokens", &owner, json!({"name": "revoked"})).await;
        let uri = format!("/api/v1/admin/access-tokens/{}", revoked[0]["_id"].as_str().unwrap());
        must(&e, "DELETE", &uri, &owner, Value::Null).await;
        let keys = format!("/api/v1/admin/websites/{}/apikeys", a.id);
        let revoked_key = must(&e, "POST", &keys, &owner, json!({"name": "revoked"})).await;
        must(&e, "DELETE", &format!("{keys}/{}", revoked_key[0]["_id"].as_str().unwrap()), &owner, Value::Null).await;

        World {
            e,
            sites: [a, b],
            scoped_token,
            revoked_token: revoked[0]["key"].as_str().unwrap().to_string(),
            revoked_key: revoked_key[0]["key"].as_str().unwrap().to_string(),
            lacking_token: String::new(),
            lacking_token_id: None,
            victims: HashMap::new(),
            counter: 0,
        }
    }

    fn owner(&self) -> String {
        self.e.owner().to_string()
    }

    /// The credential `who` presents when acting on website `side`.
    fn credential(&self, who: Who, side: usize) -> Option<String> {
        let t = |s: &str| Some(s.to_string());
        match who {
            Who::NoToken => None,
            Who::BadPrefix => t("sk_live_0123456789abcdefghijklmnopqrstuv"),
            Who::UnknownToken => t("dft_0123456789abcdefghijklmnopqrstuv"),
            Who::UnknownKey => t("df_0123456789abcdefghijklmnopqrstuv"),
            Who::RevokedToken => t(&self.revoked_token),
            Who::RevokedKey => t(&self.revoked_key),
            Who::OtherSiteKey => t(&self.sites[1 - side].key),
            Who::OwnKey => t(&self.sites[side].key),
            Who::LacksPermission => t(&self.lacking_token),
            Who::OutsideWebsiteList => t(&self.scoped_token),
            Who::Viewer => t(self.e.viewer_token()),
            Who::Member => t(self.e.member_token()),
            Who::Owner | Who::OwnerWithoutWebsiteId => t(self.e.owner()),
        }
    }

    /// A full-permission token of the user behind `who` (the owner for keys and for callers
    /// that have no user), for objects only that user may act on.
    fn user_token(&self, who: Who) -> String {
        match who {
            Who::Viewer => self.e.viewer_token().to_string(),
            Who::Member => self.e.member_token().to_string(),
            _ => self.owner(),
        }
    }

    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// Makes the owner's token holding every permission but `missing`.
    async fn make_lacking_token(&mut self, missing: Permission) {
        let keep: Vec<&str> =
            Permission::ALL.iter().filter(|p| **p != missing && **p != Permission::All).map(|p| p.as_str()).collect();
        let body = json!({"name": format!("without {missing}"), "permissions": keep});
        let made = must(&self.e, "POST", "/api/v1/admin/access-tokens", &self.owner(), body).await;
        self.lacking_token = made[0]["key"].as_str().unwrap().to_string();
        self.lacking_token_id = Some(made[0]["_id"].as_str().unwrap().to_string());
    }

    async fn drop_lacking_token(&mut self) {
        if let Some(id) = self.lacking_token_id.take() {
            must(&self.e, "DELETE", &format!("/api/v1/admin/access-tokens/{id}"), &self.owner(), Value::Null).await;
        }
    }

    fn victim_slot(ep: &Endpoint, who: Who, side: usize) -> String {
        // Tokens belong to a user; everything else to the website.
        let user = if ep.id == "admin.tokens.delete" { who.to_string() } else { String::new() };
        format!("{}|{user}|{side}", ep.id)
    }

    /// The id of an object `ep` (update, roll, delete, remove) can act on, made on first use.
    async fn victim(&mut self, ep: &Endpoint, who: Who, side: usize) -> String {
        let slot = World::victim_slot(ep, who, side);
        if let Some(id) = self.victims.get(&slot) {
            return id.clone();
        }
        let n = self.next();
        let site = self.sites[side].id.clone();
        let (e, owner) = (&self.e, self.e.owner());
        let alert = json!({"name": "Victim", "trigger": {"goalName": "signup"}, "template": {"message": "A visitor signed up."}});
        let made = match ep.id {
            "admin.tokens.delete" => {
                // Inside the caller's own scope: a token limited to B manages only B's tokens.
                let victim = match who {
                    Who::OutsideWebsiteList => json!({"name": "victim", "websiteIds": [self.sites[1].id]}),
                    _ => json!({"name": "victim"}),
                };
                must(e, "POST", "/api/v1/admin/access-tokens", &self.user_token(who), victim).await
            }
            "admin.apikeys.roll" | "admin.apikeys.delete" => {
                must(e, "POST", &format!("/api/v1/admin/websites/{site}/apikeys"), owner, json!({"name": "victim"}))
                    .await
            }
            "admin.funnels.update" | "admin.funnels.delete" => {
                let funnel = json!({"name": format!("Victim funnel {n}"), "steps": steps()});
                must(e, "POST", &format!("/api/v1/admin/websites/{site}/funnels"), owner, funnel).await
            }
            "admin.alerts.update" | "admin.alerts.delete" => {
                must(e, "POST", &format!("/api/v1/admin/websites/{site}/alerts"), owner, alert).await
            }
            "admin.team.remove" => json!([{ "_id": e.add_team_user(&site, Role::Viewer) }]),
            other => panic!("{other} needs no victim"),
        };
        let id = made[0]["_id"].as_str().unwrap().to_string();
        self.victims.insert(slot, id.clone());
        id
    }

    /// A valid request of `ep` on website `side` for `who`: the contract's sample input
    /// (`datafast_contract::samples`), which a caller with every right makes successfully.
    /// Objects it needs are made first (through the API, as the owner).
    async fn request(&mut self, ep: &'static Endpoint, who: Who, side: usize) -> Req {
        let n = self.next();
        let site = self.sites[side].clone();
        let owner = self.owner();
        let mut ids: Vec<(&str, String)> = vec![("websiteId", site.id.clone())];
        let mut query: Vec<(String, String)> = Vec::new();
        if ep.website_from_query() && who != Who::OwnerWithoutWebsiteId {
            query.push(("websiteId".into(), site.id.clone()));
        }
        let mut user = String::new();
        match ep.id {
            "analytics.funnel" => ids.push(("funnelId", site.funnel.clone())),
            "visitors.get" => ids.push(("visitorId", site.visitor.clone())),
            "admin.tokens.delete" => ids.push(("tokenId", self.victim(ep, who, side).await)),
            "admin.apikeys.roll" | "admin.apikeys.delete" => ids.push(("apiKeyId", self.victim(ep, who, side).await)),
            "admin.funnels.update" | "admin.funnels.delete" => ids.push(("funnelId", self.victim(ep, who, side).await)),
            "admin.alerts.update" | "admin.alerts.delete" => ids.push(("alertId", self.victim(ep, who, side).await)),
            "admin.team.remove" => user = self.victim(ep, who, side).await,
            _ => {}
        }
        let input = sample(ep, &SampleVars { visitor: &site.visitor, website: &site.id, user: &user, n });
        // What a delete removes is made first.
        match ep.id {
            "goals.delete" => {
                let goal = json!({"datafast_visitor_id": site.visitor, "name": input["name"]});
                must(&self.e, "POST", &format!("/api/v1/goals?websiteId={}", site.id), &owner, goal).await;
            }
            "payments.delete" => {
                let payment = json!({"amount": 5, "currency": "USD", "transaction_id": input["transaction_id"]});
                must(&self.e, "POST", &format!("/api/v1/payments?websiteId={}", site.id), &owner, payment).await;
            }
            _ => {}
        }
        let body = if ep.has_body() {
            Some(Value::Object(input))
        } else {
            query.extend(query_pairs(&input));
            None
        };
        let path: Vec<String> = ep
            .path
            .split('/')
            .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => ids
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("{}: no sample value for {{{name}}}", ep.id)),
                None => seg.to_string(),
            })
            .collect();
        let sep = if query.is_empty() { "" } else { "?" };
        Req {
            method: ep.method.as_str(),
            uri: format!("{API_PREFIX}{}{sep}{}", path.join("/"), query_string(&query)),
            body: body.map(|b| b.to_string()),
        }
    }

    /// Sends `who`'s sample request of `ep` on website `side` and returns what is wrong with
    /// the answer (empty when the cell passes) and the status.
    async fn run_cell(&mut self, ep: &'static Endpoint, who: Who, side: usize, expect: Expect) -> (u16, Vec<String>) {
        let req = self.request(ep, who, side).await;
        let token = self.credential(who, side);
        let before = self.e.snapshot();
        let r = self.e.call(req.method, &req.uri, token.as_deref(), req.body.as_deref()).await;
        let got = r.status.as_u16();
        let mut problems = Vec::new();
        match expect {
            Expect::Success if !r.status.is_success() => problems.push(excerpt(&r)),
            Expect::Success => {
                if let Some(p) = success_shape_problem(ep, &r) {
                    problems.push(p);
                }
                let other = &self.sites[1 - side];
                if on_website(ep) {
                    let traces = other.traces_in(&r.text);
                    if !traces.is_empty() {
                        problems.push(format!("answer about website {} shows the other website's {traces:?}", side));
                    }
                }
                // A token limited to B lists only B (A06).
                if who == Who::OutsideWebsiteList && ep.id == "admin.websites.list" {
                    let traces = self.sites[0].traces_in(&r.text);
                    if !traces.is_empty() {
                        problems.push(format!("a token limited to website B sees website A: {traces:?}"));
                    }
                }
            }
            Expect::Refused(status) if got != status => problems.push(excerpt(&r)),
            Expect::Refused(status) => {
                if r.json["status"] != "error" || r.json["error"]["code"] != status || r.message().is_empty() {
                    problems.push(format!("not the error envelope with code {status}: {}", excerpt(&r)));
                }
            }
        }
        // Whoever deleted it, a deleted object cannot serve the next cell.
        if r.status.is_success() && ep.method == Method::Delete {
            self.victims.remove(&World::victim_slot(ep, who, side));
        }
        if r.status.is_client_error() {
            if let Some(changed) = before.diff(&self.e.snapshot()) {
                problems.push(format!("the {got} changed the store: {changed}"));
            }
        }
        if let Some(t) = token.filter(|t| t.len() > 8 && r.text.contains(t.as_str())) {
            problems.push(format!("the answer echoes the caller's credential ({} characters)", t.len()));
        }
        (got, problems)
    }
}

/// Makes a request that must succeed (fixtures) and returns its `data`.
async fn must(e: &Emu, method: &str, uri: &str, token: &str, body: Value) -> Value {
    let body = (!body.is_null()).then(|| body.to_string());
    let r = e.call(method, uri, Some(token), body.as_deref()).await;
    assert!(r.status.is_success(), "fixture {method} {uri}: {} {}", r.status, r.text);
    r.json.get("data").cloned().unwrap_or(r.json)
}

/// Records on `site` whose answers carry its canary: an alert, a goal event that fires it,
/// a funnel (returned: the site's active funnel), a goal customization, a payment, an
/// identified user and a key.
async fn plant_canaries(e: &Emu, site: &Site) -> String {
    let (owner, id, c) = (e.owner(), &site.id, site.canary);
    let admin = format!("/api/v1/admin/websites/{id}");
    let goal = format!("{c}_goal");
    let alert = json!({"name": format!("{c} alert"), "trigger": {"goalName": goal},
        "template": {"message": format!("{c} happened on this website")}});
    must(e, "POST", &format!("{admin}/alerts"), owner, alert).await;
    let event = json!({"datafast_visitor_id": site.visitor, "name": goal, "description": c});
    must(e, "POST", &format!("/api/v1/goals?websiteId={id}"), owner, event).await;
    let funnel = json!({"name": format!("{c} funnel"), "steps": [
        {"name": "Landing", "type": "pageview", "url": "/"}, {"name": c, "type": "goal", "goalName": goal}]});
    let funnel = must(e, "POST", &format!("{admin}/funnels"), owner, funnel).await;
    let custom = json!({"goalName": goal, "displayName": format!("{c} display")});
    must(e, "PATCH", &format!("{admin}/goals/customizations"), owner, custom).await;
    let payment = json!({"amount": 42, "currency": "USD", "transaction_id": format!("tx_{c}"),
        "datafast_visitor_id": site.visitor, "name": format!("{c} buyer"), "email": format!("{c}@example.org")});
    must(e, "POST", &format!("/api/v1/payments?websiteId={id}"), owner, payment).await;
    let identify = json!({"user_id": format!("{c}-user"), "datafast_visitor_id": site.visitor, "plan": c});
    must(e, "POST", &format!("/api/v1/identify?websiteId={id}"), owner, identify).await;
    must(e, "POST", &format!("{admin}/apikeys"), owner, json!({"name": format!("{c} key")})).await;
    funnel[0]["_id"].as_str().unwrap().to_string()
}

/// A success answer in the route's documented shape: the envelope, or the bare
/// `{message, transaction_id}` of `POST /payments` (2.1, 2.3).
fn success_shape_problem(ep: &Endpoint, r: &Resp) -> Option<String> {
    let ok = match ep.shape {
        ResultShape::Bare => r.json["message"].is_string(),
        _ => r.json["status"] == "success" && !r.json["data"].is_null(),
    };
    (!ok).then(|| format!("success body not in the {:?} shape: {}", ep.shape, excerpt(r)))
}

fn excerpt(r: &Resp) -> String {
    let text: String = r.text.chars().take(160).collect();
    format!("{} {text}", r.status.as_u16())
}

struct Failure {
    route: String,
    who: Who,
    expected: Expect,
    got: u16,
    problems: Vec<String>,
}

/// Panics listing every failing cell.
fn report(what: &str, cells: usize, failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    let lines: Vec<String> = failures
        .iter()
        .map(|f| {
            format!("  {} × {}: expected {}, got {} — {}", f.route, f.who, f.expected, f.got, f.problems.join("; "))
        })
        .collect();
    panic!("{what}: {} of {cells} cells contradict the contract:\n{}\n", failures.len(), lines.join("\n"));
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_contract_says() {
    let mut w = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for ep in ENDPOINTS {
        w.make_lacking_token(ep.permission).await;
        for who in CALLERS {
            let Some(expect) = expected(ep, who) else { continue };
            cells += 1;
            let (got, problems) = w.run_cell(ep, who, 0, expect).await;
            if !problems.is_empty() {
                failures.push(Failure { route: ep.id.to_string(), who, expected: expect, got, problems });
            }
        }
        w.drop_lacking_token().await;
    }
    // 65 routes × 13 callers, plus "without websiteId" on the 24 Website API routes.
    assert_eq!(cells, 65 * 13 + 24);
    report("authorization matrix", cells, &failures);
}

/// Every route a website key can read, with the key of each website and with the owner's
/// token on each website: the answer shows nothing of the other website.
#[tokio::test]
async fn answers_about_one_website_never_show_the_other() {
    let mut w = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    let readable = ENDPOINTS.iter().filter(|ep| ep.method == Method::Get && ep.tokens == TokenRule::Any);
    for ep in readable.filter(|ep| on_website(ep)) {
        for side in [0, 1] {
            for who in [Who::OwnKey, Who::Owner] {
                cells += 1;
                let (got, problems) = w.run_cell(ep, who, side, Expect::Success).await;
                if !problems.is_empty() {
                    let route = if side == 0 { ep.id.to_string() } else { format!("{} (website B)", ep.id) };
                    failures.push(Failure { route, who, expected: Expect::Success, got, problems });
                }
            }
        }
    }
    assert!(cells >= 4 * 20, "{cells} cells: the registry lost its website reads?");
    report("website isolation", cells, &failures);
}

/// The derivation itself, on rows whose answer the contract states outright.
#[test]
fn expectations_follow_the_contract_tables() {
    use datafast_contract::registry::find;
    let at = |id: &str, who| expected(find(id).unwrap(), who);
    let ok = Some(Expect::Success);
    let forbidden = Some(Expect::Refused(403));
    assert_eq!(at("analytics.overview", Who::Viewer), ok);
    assert_eq!(at("goals.create", Who::Viewer), forbidden);
    assert_eq!(at("goals.create", Who::OwnKey), ok);
    assert_eq!(at("admin.team.invite", Who::Member), forbidden);
    assert_eq!(at("admin.team.invite", Who::OwnKey), forbidden);
    assert_eq!(at("admin.team.invite", Who::Owner), ok);
    assert_eq!(at("admin.team.list", Who::Viewer), ok);
    assert_eq!(at("admin.websites.delete", Who::Owner), forbidden);
    assert_eq!(at("admin.tokens.list", Who::OwnKey), forbidden);
    assert_eq!(at("admin.account.get", Who::OtherSiteKey), ok);
    assert_eq!(at("admin.apikeys.list", Who::OtherSiteKey), forbidden);
    assert_eq!(at("admin.websites.get", Who::OutsideWebsiteList), forbidden);
    assert_eq!(at("admin.websites.list", Who::OutsideWebsiteList), ok);
    assert_eq!(at("visitors.list", Who::OwnerWithoutWebsiteId), Some(Expect::Refused(400)));
    assert_eq!(at("admin.funnels.list", Who::OwnerWithoutWebsiteId), None);
    assert_eq!(at("identify", Who::RevokedKey), Some(Expect::Refused(401)));
    // Account-level writes are not gated by a website role.
    assert_eq!(at("admin.tokens.create", Who::Viewer), ok);
    assert_eq!(at("admin.websites.create", Who::Viewer), ok);
}
