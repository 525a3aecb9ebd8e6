//! The step codes are declared twice, once on each side of the JS/wasm boundary
//! (`src/wasm/client.rs` answers them, `js/driver.js` reads them): the two lists must agree.
#![cfg(not(target_arch = "wasm32"))]

const NAMES: &[&str] =
    &["WAIT", "DONE_FIRST_OF_DATA", "DONE_DATA", "DONE_BODY_WITHOUT_STATUS", "DONE_BODY", "DONE_NOTHING", "FAIL"];

/// The number after `const NAME` (`= -1;` in JS, `: f64 = -1.0;` in Rust).
fn constant(source: &str, name: &str) -> f64 {
    let line = source
        .lines()
        .find(|l| {
            let rest = l.trim_start().strip_prefix("const ").and_then(|r| r.strip_prefix(name));
            rest.is_some_and(|r| r.starts_with([' ', ':']))
        })
        .unwrap_or_else(|| panic!("no `const {name}`"));
    let value = line.split('=').nth(1).unwrap_or_default().trim().trim_end_matches(';');
    value.parse().unwrap_or_else(|_| panic!("`{line}` does not end in a number"))
}

#[test]
fn js_and_wasm_agree_on_the_step_codes() {
    let js = include_str!("../js/driver.js");
    let rust = include_str!("../src/wasm/client.rs");
    let mut seen = Vec::new();
    for name in NAMES {
        let (a, b) = (constant(js, name), constant(rust, name));
        assert_eq!(a, b, "{name}: js/driver.js says {a}, src/wasm/client.rs {b}");
        assert!(a < 0.0 && !seen.contains(&a), "{name}: codes are distinct negatives (>= 0 means wait or send)");
        seen.push(a);
    }
}
