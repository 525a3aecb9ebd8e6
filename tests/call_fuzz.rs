//! Property fuzzing of the call state machine (`src/core/call.rs`): whatever a server answers,
//! whatever a transport reports and however the clock moves, paced or not, driving a call
//! never panics, never waits past its budget, never sends more than `maxRetries + 1` times, always ends, and
//! answers a misplaced event with an error instead of a panic.
//!
//! `cargo test --test call_fuzz` runs a short round; the long run (figures in fuzz/README.md:
//! 10M cases, 0 failures): `PROPTEST_CASES=5000000 cargo test --release --test call_fuzz`,
//! twice side by side.
#![cfg(not(target_arch = "wasm32"))]

use datafast_contract::ENDPOINTS;
use datafast_wasm::core::call::{Call, CallOptions, ClientConfig, Failure, ResponseHead, Step};
use datafast_wasm::core::response::{BodyView, EnvelopeFacts};
use datafast_wasm::core::{Credentials, Pacer, RateLimit};
use proptest::prelude::*;

const NOW: f64 = 1_700_000_000_000.0;

#[derive(Clone, Debug)]
// Built once per generated case and consumed at once: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Event {
    Response { status: f64, head: RateLimit, retry_after: Option<String>, body: BodyView },
    Network(String),
    Timeout,
    WaitOver,
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        0.0..1e13f64,
        (0u32..2_000_000_000).prop_map(f64::from),
        any::<f64>(),
    ]
}

fn rate_limit() -> impl Strategy<Value = RateLimit> {
    (proptest::option::of(number()), proptest::option::of(number()), proptest::option::of(number()))
        .prop_map(|(limit, remaining, reset)| RateLimit { limit, remaining, reset })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[ -~]{0,40}", any::<String>()]
}

fn body() -> impl Strategy<Value = BodyView> {
    let facts = (
        any::<bool>(),
        proptest::option::of(prop_oneof![Just("success".to_string()), Just("error".to_string()), text()]),
        any::<bool>(),
        proptest::option::of(number()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        rate_limit(),
    )
        .prop_map(|(is_object, status, has_data, error_code, error_message, error_text, message, rate_limit)| {
            BodyView::Json(EnvelopeFacts {
                is_object,
                status,
                has_data,
                error_code,
                error_message,
                error_text,
                message,
                rate_limit,
            })
        });
    prop_oneof![
        Just(BodyView::Empty),
        text().prop_map(|snippet| BodyView::NotJson { snippet }),
        any::<u64>().prop_map(|bytes| BodyView::TooLarge { bytes }),
        facts,
    ]
}

fn status() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop_oneof![
            Just(200.0),
            Just(204.0),
            Just(400.0),
            Just(401.0),
            Just(408.0),
            Just(429.0),
            Just(500.0),
            Just(501.0),
            Just(503.0)
        ],
        (0u32..1000).prop_map(f64::from),
        number(),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        4 => (status(), rate_limit(), proptest::option::of(prop_oneof![
            (0u32..100_000).prop_map(|s| s.to_string()),
            Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
            Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
            text(),
        ]), body())
            .prop_map(|(status, head, retry_after, body)| Event::Response { status, head, retry_after, body }),
        1 => text().prop_map(Event::Network),
        1 => Just(Event::Timeout),
        2 => Just(Event::WaitOver),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn driving_a_call_never_panics_and_respects_its_budget(
        endpoint in 0..ENDPOINTS.len(),
        key in any::<bool>(),
        paced in any::<bool>(),
        timeout_ms in 1u32..600_000,
        max_retries in 0u32..=10,
        events in proptest::collection::vec((event(), 0.0..120_000.0f64, 0.0..1.0f64), 0..24),
    ) {
        let ep = &ENDPOINTS[endpoint];
        let token = if key { "df_fuzzkey0000" } else { "dft_fuzztoken0000" };
        let website = if key { None } else { Some("665f0b3c4d2e1a0012345678".to_string()) };
        let mut config = ClientConfig::new(Credentials::new(token, website).unwrap(), "https://datafa.st".into());
        // A fresh pacer learns from whatever the responses report; its waits obey the budget too.
        config.pacer = paced.then(Pacer::default);
        let ids: Vec<String> = ep.path_params().map(|p| if p == "visitorId" {
            "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd".to_string()
        } else {
            "665f0b3c4d2e1a0012345678".to_string()
        }).collect();
        let options = CallOptions { timeout_ms: Some(timeout_ms), max_retries: Some(max_retries), headers: vec![] };
        let Ok((mut call, first)) = Call::start(ep, &config, options, &ids, None, NOW) else { return Ok(()) };
        prop_assert_eq!(first, Step::Send { timeout_ms });
        let deadline = NOW + f64::from(timeout_ms);
        let mut now = NOW;
        let mut sends = 1u32;
        let mut finished = false;
        for (event, advance, random) in events {
            now += advance;
            let step = match event {
                Event::Response { status, head, retry_after, body } => {
                    let head = ResponseHead { status, rate_limit: head, retry_after: retry_after.as_deref() };
                    call.on_response(&head, &body, now, random)
                }
                Event::Network(description) => call.on_failure(Failure::Network(description), now, random),
                Event::Timeout => call.on_failure(Failure::Timeout, now, random),
                Event::WaitOver => call.on_wait_over(now),
            };
            match step {
                Step::Send { timeout_ms: left } => {
                    prop_assert!(!finished);
                    sends += 1;
                    prop_assert!(sends <= max_retries + 1, "sent {} times with maxRetries {}", sends, max_retries);
                    prop_assert!(f64::from(left) <= deadline - now + 1.0, "attempt past the budget");
                }
                Step::Wait { ms } => {
                    prop_assert!(!finished);
                    prop_assert!(now + f64::from(ms) <= deadline, "a wait past the budget");
                }
                Step::Done(_) => finished = true,
                Step::Fail(e) => {
                    finished = true;
                    prop_assert_eq!(e.endpoint, Some(ep.id));
                    prop_assert!(!e.message.contains(token));
                }
            }
        }
    }
}
