//! W17: how many visitors went through a funnel's steps, in order.
//!
//! A visitor reaches step `k` when, at or after the moment they reached step `k - 1`, they
//! viewed the step's page (pageview step) or completed its goal (goal step). Counting only
//! visitors who reached every earlier step makes the counts never increase.

use super::{money, MoneySums, Selection};
use crate::state::{Event, EventKind, FunnelStep};

/// One step's numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepResult {
    pub visitors: u64,
    /// Net revenue of the visitors who reached the step (their payments in the selection).
    pub revenue: f64,
}

/// What a step matches, prepared once.
enum Matcher<'s> {
    /// A path, or a path prefix when the step's URL ends with `*`.
    Page {
        path: &'s str,
        prefix: bool,
    },
    Goal(&'s str),
}

impl Matcher<'_> {
    fn new(step: &FunnelStep) -> Matcher<'_> {
        match (&step.goal_name, &step.url) {
            (Some(goal), _) if step.kind == "goal" => Matcher::Goal(goal),
            (_, Some(url)) => {
                let path = step_path(url);
                match path.strip_suffix('*') {
                    Some(prefix) => Matcher::Page { path: prefix, prefix: true },
                    None => Matcher::Page { path, prefix: false },
                }
            }
            // A step without a target (not creatable through the API) matches nothing.
            _ => Matcher::Goal(""),
        }
    }

    fn matches(&self, e: &Event) -> bool {
        match self {
            Matcher::Page { path, prefix } => {
                e.kind == EventKind::Pageview && {
                    let p = trim_slash(&e.path);
                    if *prefix {
                        p.starts_with(path)
                    } else {
                        p == trim_slash(path)
                    }
                }
            }
            Matcher::Goal(name) => {
                e.kind == EventKind::Goal && !name.is_empty() && e.goal_name.as_deref() == Some(*name)
            }
        }
    }
}

/// The path a pageview step means: `https://example.com/pricing?x=1` → `/pricing`; a bare
/// path is kept.
fn step_path(url: &str) -> &str {
    let url = url.trim();
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if without_scheme.starts_with('/') {
        without_scheme
    } else {
        without_scheme.find('/').map_or("/", |i| &without_scheme[i..])
    };
    path.split(['?', '#']).next().unwrap_or("/")
}

/// `/pricing/` and `/pricing` are the same page; `/` stays `/`.
fn trim_slash(p: &str) -> &str {
    if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    }
}

/// Step counts over the selected events (already limited to the range and filters).
pub fn funnel(sel: &Selection, steps: &[FunnelStep]) -> Vec<StepResult> {
    let matchers: Vec<Matcher> = steps.iter().map(Matcher::new).collect();
    let mut paid = vec![MoneySums::default(); sel.visitor_slots()];
    // (visitor, time, event) of every pageview and goal, walked per visitor in time order.
    let mut order: Vec<(usize, i64, &Event)> = Vec::with_capacity(sel.size_hint());
    for p in sel.iter() {
        match money(p.event) {
            Some(m) => {
                if let Some(sums) = paid.get_mut(p.visitor) {
                    sums.add(m);
                }
            }
            None => order.push((p.visitor, p.event.ts, p.event)),
        }
    }
    // Stable: events at the same instant keep their stored order.
    order.sort_by_key(|&(v, ts, _)| (v, ts));

    let mut results = vec![StepResult::default(); steps.len()];
    for run in order.chunk_by(|a, b| a.0 == b.0) {
        let mut reached = 0;
        for &(_, _, e) in run {
            let Some(m) = matchers.get(reached) else { break };
            if m.matches(e) {
                reached += 1;
            }
        }
        let revenue = run.first().and_then(|&(v, _, _)| paid.get(v)).map_or(0.0, MoneySums::revenue);
        for r in results.iter_mut().take(reached) {
            r.visitors += 1;
            r.revenue += revenue;
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Dims;
    use arcstr::ArcStr;
    use std::sync::Arc;

    fn ev(visitor: &ArcStr, ts: i64, kind: EventKind, path: &str, goal: Option<&str>) -> Event {
        let mut e = crate::analytics::test_event(visitor, visitor, ts, Arc::new(Dims::default()));
        e.kind = kind;
        e.path = path.into();
        e.goal_name = goal.map(Into::into);
        e.amount = (kind == EventKind::Payment).then_some(10.0);
        e
    }

    fn step(kind: &str, target: &str) -> FunnelStep {
        FunnelStep {
            id: target.into(),
            name: target.into(),
            kind: kind.into(),
            url: (kind == "pageview").then(|| target.to_string()),
            goal_name: (kind == "goal").then(|| target.to_string()),
        }
    }

    #[test]
    fn steps_count_in_order_and_never_increase() {
        let (a, b, c): (ArcStr, ArcStr, ArcStr) = ("a".into(), "b".into(), "c".into());
        let events = vec![
            // a: landing → pricing → signup, then pays.
            ev(&a, 1, EventKind::Pageview, "/", None),
            ev(&a, 2, EventKind::Pageview, "/pricing/", None),
            ev(&a, 3, EventKind::Goal, "/pricing", Some("signup")),
            ev(&a, 4, EventKind::Payment, "/pricing", None),
            // b: signs up before seeing pricing: only the first two steps count.
            ev(&b, 1, EventKind::Pageview, "/", None),
            ev(&b, 2, EventKind::Goal, "/", Some("signup")),
            ev(&b, 3, EventKind::Pageview, "/pricing", None),
            // c: never lands on `/`.
            ev(&c, 1, EventKind::Pageview, "/pricing", None),
            ev(&c, 2, EventKind::Goal, "/pricing", Some("signup")),
        ];
        let sel = Selection::all(crate::analytics::Indexed::new(&events, crate::analytics::index::standalone(&events)));
        let steps = [step("pageview", "https://example.com/"), step("pageview", "/pric*"), step("goal", "signup")];
        let r = funnel(&sel, &steps);
        assert_eq!(r.iter().map(|s| s.visitors).collect::<Vec<_>>(), [2, 2, 1]);
        assert_eq!(r[2].revenue, 10.0);
        assert_eq!(r[0].revenue, 10.0);
        assert!(r.windows(2).all(|w| w[0].visitors >= w[1].visitors));
    }

    #[test]
    fn step_paths() {
        assert_eq!(step_path("https://example.com/pricing?x=1"), "/pricing");
        assert_eq!(step_path("example.com"), "/");
        assert_eq!(step_path("/docs/*"), "/docs/*");
    }
}
