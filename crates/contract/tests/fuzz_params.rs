//! Property fuzzing of the parameter checker (`params::check`) and the input rules: any input,
//! for any endpoint, is answered with `Ok` or a violation naming a field and a rule, never a
//! panic; what a rule accepts, it accepts again unchanged.
//!
//! `cargo test` runs a short round (proptest's default 256 cases per property, or
//! `PROPTEST_CASES`); the long run and its figures are in `fuzz/README.md`. The hand-picked
//! hostile inputs in `SEEDS` run on every test.

use datafast_contract::params::{self, Input};
use datafast_contract::registry::ENDPOINTS;
use datafast_contract::rules::{self, RuleViolation, PAYMENT_AMOUNT_MAX};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// A JSON-like value, as the client and the emulator hand to `params::check`.
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

impl Input for V {
    fn is_null(&self) -> bool {
        matches!(self, V::Null)
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            V::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn items(&self) -> Option<Vec<&V>> {
        match self {
            V::Arr(items) => Some(items.iter().collect()),
            _ => None,
        }
    }
    fn entries(&self) -> Option<Vec<(&str, &V)>> {
        match self {
            V::Obj(entries) => Some(entries.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            _ => None,
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "a boolean",
            V::Num(_) => "a number",
            V::Str(_) => "a string",
            V::Arr(_) => "an array",
            V::Obj(_) => "an object",
        }
    }
}

/// Strings near the rules' edges: valid-looking ids, dates, names, and arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9_:-]{0,70}",
        "[0-9a-f]{22,26}",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
        "[a-zA-Z0-9 .@,_/+-]{0,300}",
        Just(String::new()),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        (-5i64..2000).prop_map(|n| n as f64),
        Just(PAYMENT_AMOUNT_MAX),
        Just(f64::MAX),
        Just(-0.0),
        Just(1e15),
    ]
}

fn value() -> impl Strategy<Value = V> {
    let leaf = prop_oneof![
        Just(V::Null),
        any::<bool>().prop_map(V::Bool),
        number().prop_map(V::Num),
        text().prop_map(V::Str),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(V::Arr),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..6).prop_map(V::Obj),
        ]
    })
}

/// An endpoint and a parameter object whose keys are mostly its own fields, so the checks
/// behind the key lookup are reached, plus stray keys and stray shapes.
fn call() -> impl Strategy<Value = (usize, Option<V>)> {
    (0..ENDPOINTS.len()).prop_flat_map(|i| {
        let names: Vec<String> = params::of(ENDPOINTS[i].id).all().map(|f| f.name.to_string()).collect();
        let key = if names.is_empty() {
            "[a-zA-Z_]{1,12}".boxed()
        } else {
            prop_oneof![4 => prop::sample::select(names), 1 => "[a-zA-Z_]{1,12}"].boxed()
        };
        let object = prop::collection::vec((key, value()), 0..8).prop_map(V::Obj);
        let input = prop_oneof![8 => object.prop_map(Some), 1 => value().prop_map(Some), 1 => Just(None)];
        (Just(i), input)
    })
}

fn assert_named(v: &RuleViolation) {
    assert!(!v.field.is_empty(), "a violation without a field: {v:?}");
    assert!(!v.rule.is_empty(), "a violation without a rule: {v:?}");
}

/// The checker on one call: `Ok` or a named violation, the same both times.
fn check_call(i: usize, input: Option<&V>) {
    let id = ENDPOINTS[i].id;
    let first = params::check(id, params::of(id), input);
    if let Err(v) = &first {
        assert_named(v);
    }
    assert_eq!(first, params::check(id, params::of(id), input), "{id}: not deterministic");
}

/// Every string rule: no panic, a named violation, and what passes passes again unchanged.
fn check_rules(s: &str) {
    type Normalizing = fn(&str, &str) -> Result<String, RuleViolation>;
    let normalizing: [(&str, Normalizing); 9] = [
        ("goal_name", |f, s| rules::goal_name(f, s, rules::GOAL_NAME_MAX)),
        ("email", rules::email),
        ("domain", rules::domain),
        ("currency", rules::currency),
        ("account_name", rules::account_name),
        ("transaction_id", rules::transaction_id),
        ("user_id", rules::user_id),
        ("alert_name", rules::alert_name),
        ("alert_message", rules::alert_message),
    ];
    for (name, rule) in normalizing {
        match rule("field", s) {
            Ok(out) => assert_eq!(rule("field", &out).as_ref(), Ok(&out), "{name}({s:?}) is not stable"),
            Err(v) => assert_named(&v),
        }
    }
    type Checking = fn(&str, &str) -> Result<(), RuleViolation>;
    let checking: [Checking; 6] = [
        rules::date,
        rules::object_id,
        rules::visitor_id,
        rules::timezone_name,
        |f, s| rules::goal_color(f, s).map(|_| ()),
        rules::stripe_restricted_key,
    ];
    for rule in checking {
        if let Err(v) = rule("field", s) {
            assert_named(&v);
        }
    }
    let _ = rules::kebab_case(s);
    let _ = rules::is_placeholder_name(s);
    let _ = rules::permissions("permissions", s.split(','));
}

fn check_numbers(n: f64) {
    match rules::payment_amount("amount", n) {
        Ok(a) => assert!((0.0..=PAYMENT_AMOUNT_MAX).contains(&a) && a.is_sign_positive(), "{n} → {a}"),
        Err(v) => assert_named(&v),
    }
    if let Ok(l) = rules::limit("limit", n, rules::BREAKDOWN_LIMIT_MAX) {
        assert!((1..=rules::BREAKDOWN_LIMIT_MAX).contains(&l));
    }
    if let Ok(o) = rules::offset("offset", n) {
        assert!(o as f64 == n);
    }
}

proptest! {
    // Failing cases are kept beside this file (`*.regressions`) and replayed first.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_call_is_checked_without_panic((i, input) in call()) {
        check_call(i, input.as_ref());
    }

    #[test]
    fn any_string_meets_every_rule_without_panic(s in text()) {
        check_rules(&s);
    }

    #[test]
    fn any_number_meets_the_numeric_rules_without_panic(n in number()) {
        check_numbers(n);
    }
}

/// Hostile inputs kept as regression seeds: each runs through every endpoint and rule.
const SEEDS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "é",
    "ǅ",
    "İ",
    "\u{FEFF}x",
    "a\u{0301}",
    "2026-02-30",
    "9999-12-31T23:59:59.999999999+23:59",
    "0000-01-01T00:00Z",
    "2026-05-01T10:30:00.+05:30",
    "2026-05-01T-",
    "-",
    "@",
    "a@b@c.d",
    "a@.",
    "...",
    "xn--",
    "rk_live_",
    "identify",
    "undefined undefined",
    "*,*,,",
];

#[test]
fn seeds_meet_every_rule_and_endpoint() {
    let long = "x".repeat(100_000);
    let nums = [f64::NAN, f64::INFINITY, -f64::INFINITY, f64::MAX, f64::MIN_POSITIVE, -0.0, 1e308, 1e11 + 1.0];
    for s in SEEDS.iter().copied().chain([long.as_str()]) {
        check_rules(s);
        for (i, ep) in ENDPOINTS.iter().enumerate() {
            let every_field: Vec<(String, V)> =
                params::of(ep.id).all().map(|f| (f.name.to_string(), V::Str(s.to_string()))).collect();
            check_call(i, Some(&V::Obj(every_field)));
            let as_numbers: Vec<(String, V)> = params::of(ep.id)
                .all()
                .zip(nums.iter().cycle())
                .map(|(f, n)| (f.name.to_string(), V::Num(*n)))
                .collect();
            check_call(i, Some(&V::Obj(as_numbers)));
        }
    }
    for n in nums {
        check_numbers(n);
    }
}
