//! `--faults`: failures injected into API responses, so that clients' error handling can be
//! tested against the emulator.
//!
//! A spec is a comma-separated list of `KIND[:RATE]`:
//!
//! | kind      | effect                                                              |
//! |-----------|---------------------------------------------------------------------|
//! | `500`     | `500` with the JSON error envelope; the request is not handled      |
//! | `502`     | `502` with an HTML body, as a proxy answers; not handled            |
//! | `503`     | `503` with the JSON error envelope; not handled                     |
//! | `slow=MS` | handled normally, the response held back `MS` milliseconds          |
//! | `drop`    | the connection is closed without a response; not handled           |
//!
//! `RATE` is the probability (0 to 1, default 1) that a request gets that fault. At most one
//! fault applies to a request, so the rates add up to 1 or less. `off` (or an empty spec)
//! turns faults off. The draws come from a generator seeded by `--seed`, so the same seed
//! and the same sequence of requests give the same faults; setting a plan restarts it.
//!
//! A route filter (`--faults-routes`) limits faults to registry endpoint ids, exactly or by
//! glob (`analytics.*`). Without one every request outside `/__emulator/` is eligible.

use crate::http::error_body;
use crate::rng::Rng;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use datafast_contract::ENDPOINTS;
use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

/// Names the injected fault on every faulted response that has one, to ease debugging.
pub const X_EMULATOR_FAULT: HeaderName = HeaderName::from_static("x-emulator-fault");

/// Longest `slow=MS` delay: ten minutes.
const MAX_DELAY_MS: u64 = 600_000;

const KINDS_HINT: &str = "500, 502, 503, slow=MS or drop";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    InternalError,
    BadGateway,
    Unavailable,
    Slow { ms: u64 },
    Drop,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::InternalError => f.write_str("500"),
            Fault::BadGateway => f.write_str("502"),
            Fault::Unavailable => f.write_str("503"),
            Fault::Slow { ms } => write!(f, "slow={ms}"),
            Fault::Drop => f.write_str("drop"),
        }
    }
}

impl Fault {
    fn parse(kind: &str) -> Result<Fault, String> {
        match kind {
            "500" => Ok(Fault::InternalError),
            "502" => Ok(Fault::BadGateway),
            "503" => Ok(Fault::Unavailable),
            "drop" => Ok(Fault::Drop),
            "slow" => Err("`slow` needs a delay: slow=MS, e.g. slow=2000".to_string()),
            _ => match kind.strip_prefix("slow=") {
                Some(ms) => match ms.parse::<u64>() {
                    Ok(ms) if (1..=MAX_DELAY_MS).contains(&ms) => Ok(Fault::Slow { ms }),
                    _ => Err(format!("delay `{ms}` must be a whole number of milliseconds from 1 to {MAX_DELAY_MS}")),
                },
                None => Err(format!("unknown kind `{kind}`; use {KINDS_HINT}")),
            },
        }
    }

    /// Two `slow` entries are the same kind whatever their delays.
    fn same_kind(self, other: Fault) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// Which faults to inject, how often and on which routes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultPlan {
    rules: Vec<(Fault, f64)>,
    /// Endpoint ids or globs; empty = every route.
    routes: Vec<String>,
}

impl FaultPlan {
    /// No faults.
    pub fn off() -> FaultPlan {
        FaultPlan::default()
    }

    /// Parses a fault spec and an optional route filter (syntax in the module docs). Errors
    /// name the offending part.
    pub fn parse(faults: &str, routes: Option<&str>) -> Result<FaultPlan, String> {
        let rules = parse_rules(faults)?;
        let routes = match routes {
            Some(r) => parse_routes(r)?,
            None => Vec::new(),
        };
        Ok(FaultPlan { rules, routes })
    }

    pub fn is_off(&self) -> bool {
        self.rules.is_empty()
    }

    /// The spec in canonical form (`500:0.1,slow=2000:0.05`), `off` without faults.
    pub fn spec(&self) -> String {
        if self.rules.is_empty() {
            return "off".to_string();
        }
        self.rules.iter().map(|(fault, rate)| format!("{fault}:{rate}")).collect::<Vec<_>>().join(",")
    }

    /// The route filter, `*` for every route.
    pub fn routes_spec(&self) -> String {
        if self.routes.is_empty() {
            "*".to_string()
        } else {
            self.routes.join(",")
        }
    }

    fn applies_to(&self, endpoint_id: Option<&str>) -> bool {
        if self.routes.is_empty() {
            return true;
        }
        endpoint_id.is_some_and(|id| self.routes.iter().any(|pattern| glob_match(pattern, id)))
    }

    /// The fault whose slice of `[0, 1)` holds `roll`, if any.
    fn pick(&self, roll: f64) -> Option<Fault> {
        let mut upto = 0.0;
        for (fault, rate) in &self.rules {
            upto += rate;
            if roll < upto {
                return Some(*fault);
            }
        }
        None
    }
}

/// Parses the `KIND[:RATE],…` part of a spec (also `--faults` on its own).
pub fn parse_rules(spec: &str) -> Result<Vec<(Fault, f64)>, String> {
    let spec = spec.trim();
    if spec.is_empty() || spec.eq_ignore_ascii_case("off") {
        return Ok(Vec::new());
    }
    let mut rules: Vec<(Fault, f64)> = Vec::new();
    for item in spec.split(',').map(str::trim) {
        let bad = |why: String| format!("fault `{item}`: {why}");
        if item.is_empty() {
            return Err(format!("empty entry in fault spec `{spec}`; separate faults with single commas"));
        }
        let (kind, rate) = match item.split_once(':') {
            Some((kind, rate)) => (kind.trim(), Some(rate.trim())),
            None => (item, None),
        };
        let fault = Fault::parse(kind).map_err(bad)?;
        let rate = match rate {
            None => 1.0,
            Some(r) => match r.parse::<f64>() {
                Ok(p) if (0.0..=1.0).contains(&p) => p,
                _ => return Err(bad(format!("rate `{r}` must be a number from 0 to 1 (e.g. 0.05 for 5%)"))),
            },
        };
        if rules.iter().any(|(f, _)| f.same_kind(fault)) {
            return Err(bad("this kind is listed twice".to_string()));
        }
        rules.push((fault, rate));
    }
    let total: f64 = rules.iter().map(|(_, r)| r).sum();
    if total > 1.0 + 1e-9 {
        return Err(format!(
            "the fault rates in `{spec}` add up to {total}; at most one fault applies per request, so they must add up to 1 or less"
        ));
    }
    Ok(rules)
}

/// Parses a route filter: comma-separated endpoint ids or globs, each matching at least one
/// registry endpoint (a typo would otherwise silently disable the faults).
pub fn parse_routes(spec: &str) -> Result<Vec<String>, String> {
    let mut routes = Vec::new();
    for pattern in spec.split(',').map(str::trim) {
        if pattern.is_empty() {
            return Err(format!("empty entry in route filter `{spec}`; separate routes with single commas"));
        }
        if !ENDPOINTS.iter().any(|ep| glob_match(pattern, ep.id)) {
            let what =
                if pattern.contains('*') { "matches no registry endpoint id" } else { "is not a registry endpoint id" };
            return Err(format!("route `{pattern}` {what} (ids look like analytics.overview or admin.funnels.create)"));
        }
        routes.push(pattern.to_string());
    }
    Ok(routes)
}

/// `*` matches any run of characters (dots included); everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// The active plan and its generator, shared by all requests.
#[derive(Debug)]
pub struct Faults {
    seed: u64,
    active: Mutex<(FaultPlan, Rng)>,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults { seed, active: Mutex::new((FaultPlan::off(), Faults::rng(seed))) }
    }

    fn rng(seed: u64) -> Rng {
        Rng::new(seed).fork("faults")
    }

    /// Replaces the plan and restarts the draws, so that a test sees the same faults each
    /// time it sets the same plan.
    pub fn set(&self, plan: FaultPlan) {
        *self.lock() = (plan, Faults::rng(self.seed));
    }

    pub fn plan(&self) -> FaultPlan {
        self.lock().0.clone()
    }

    /// The fault for one request to `endpoint_id` (`None`: a path no route matches). Draws
    /// only for eligible requests, so unrelated traffic does not shift the sequence.
    pub fn draw(&self, endpoint_id: Option<&str>) -> Option<Fault> {
        let mut active = self.lock();
        let (plan, rng) = &mut *active;
        if plan.is_off() || !plan.applies_to(endpoint_id) {
            return None;
        }
        plan.pick(rng.unit())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (FaultPlan, Rng)> {
        self.active.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What a proxy in front of the API answers when the API is down.
const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The response standing in for the handler's: every fault but `slow`, which delays the
/// real one (`None`). For `drop` the caller also cuts the connection; the failing body is
/// what is left when there is none (a router driven in-process).
pub fn response(fault: Fault) -> Option<Response> {
    let mut resp = match fault {
        Fault::InternalError => injected(StatusCode::INTERNAL_SERVER_ERROR, "internal server error"),
        Fault::Unavailable => injected(StatusCode::SERVICE_UNAVAILABLE, "service unavailable, try again later"),
        Fault::BadGateway => {
            (StatusCode::BAD_GATEWAY, [(header::CONTENT_TYPE, "text/html")], BAD_GATEWAY_HTML).into_response()
        }
        Fault::Drop => Response::new(Body::new(Severed)),
        Fault::Slow { .. } => return None,
    };
    if let Ok(v) = HeaderValue::from_str(&fault.to_string()) {
        resp.headers_mut().insert(X_EMULATOR_FAULT, v);
    }
    Some(resp)
}

fn injected(status: StatusCode, what: &str) -> Response {
    let message = format!("{what} (injected by the emulator's --faults)");
    (status, Json(error_body(status, &message))).into_response()
}

/// A body that fails at once: hyper then closes the connection, and in-process callers get
/// an error reading it, as from a dropped connection.
struct Severed;

impl http_body::Body for Severed {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by --faults",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let plan = FaultPlan::parse("500:0.1,502:0.05,503:0.05,slow=2000:0.1,drop:0.02", Some("analytics.*")).unwrap();
        assert_eq!(plan.spec(), "500:0.1,502:0.05,503:0.05,slow=2000:0.1,drop:0.02");
        assert_eq!(plan.routes_spec(), "analytics.*");
        assert!(plan.applies_to(Some("analytics.overview")));
        assert!(!plan.applies_to(Some("goals.create")));
        assert!(!plan.applies_to(None));
        assert_eq!(FaultPlan::parse("503", None).unwrap().spec(), "503:1");
        assert!(FaultPlan::parse("off", None).unwrap().is_off());
        assert!(FaultPlan::parse(" ", None).unwrap().is_off());
    }

    #[test]
    fn errors_name_the_bad_part() {
        let err = |spec: &str| FaultPlan::parse(spec, None).unwrap_err();
        assert!(err("500:0.1,404:0.1").contains("`404:0.1`"), "{}", err("500:0.1,404:0.1"));
        assert!(err("404").contains("500, 502, 503, slow=MS or drop"));
        assert!(err("500:1.5").contains("rate `1.5`"));
        assert!(err("500:x").contains("rate `x`"));
        assert!(err("slow=abc:0.1").contains("delay `abc`"));
        assert!(err("slow:0.1").contains("slow=MS"));
        assert!(err("500:0.6,503:0.6").contains("add up to"));
        assert!(err("slow=10:0.1,slow=20:0.1").contains("twice"));
        assert!(err("500,,503").contains("empty entry"));
        let e = FaultPlan::parse("500", Some("analytics.overveiw")).unwrap_err();
        assert!(e.contains("`analytics.overveiw` is not a registry endpoint id"), "{e}");
        let e = FaultPlan::parse("500", Some("nothing.*")).unwrap_err();
        assert!(e.contains("`nothing.*` matches no registry endpoint id"), "{e}");
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", "analytics.overview"));
        assert!(glob_match("analytics.*", "analytics.overview"));
        assert!(glob_match("admin.*.create", "admin.funnels.create"));
        assert!(!glob_match("admin.*.create", "admin.funnels.update"));
        assert!(glob_match("*.list", "admin.tokens.list"));
        assert!(!glob_match("goals.create", "goals.created"));
        assert!(!glob_match("a*a", "a"));
    }

    #[test]
    fn draws_follow_the_rates_and_the_seed() {
        let faults = Faults::new(7);
        faults.set(FaultPlan::parse("500:0.2,drop:0.1", None).unwrap());
        let first: Vec<Option<Fault>> = (0..1000).map(|_| faults.draw(Some("analytics.overview"))).collect();
        let count = |f: Fault| first.iter().filter(|x| **x == Some(f)).count();
        assert!((150..250).contains(&count(Fault::InternalError)), "{}", count(Fault::InternalError));
        assert!((60..140).contains(&count(Fault::Drop)), "{}", count(Fault::Drop));
        // Setting the plan again restarts the same sequence.
        faults.set(FaultPlan::parse("500:0.2,drop:0.1", None).unwrap());
        let again: Vec<Option<Fault>> = (0..1000).map(|_| faults.draw(Some("analytics.overview"))).collect();
        assert_eq!(first, again);
    }
}
