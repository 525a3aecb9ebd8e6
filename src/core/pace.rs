//! Pacing: waiting for the rate-limit window instead of provoking a 429.
//!
//! The server limits each token to `limit` requests per window and reports, with every
//! response, how many are left (`remaining`) and when the window ends (`reset`). A [`Pacer`]
//! keeps what the responses of one token taught and decides, before each attempt, whether it
//! may go now or must wait for the window to end. Calls in flight count against what is left:
//! the server may already have counted them, so `remaining − in flight` requests may go
//! without any risk of a 429. All clients of a process (an isolate, a thread) that use the
//! same token against the same origin share one pacer ([`Pacer::shared`]), keyed by a hash of
//! the token, never the token itself.
//!
//! Before the first response nothing is known: one call goes alone and the others wait
//! briefly for what it learns ([`PROBE_WAIT_MS`]). Likewise, while the window has requests
//! left that calls in flight may or may not have used (the server may have counted them in
//! the `remaining` it reported), a call waits briefly for their answers rather than for the
//! reset, so no room in the window is left unused. When a window has ended, a fresh one is
//! assumed (`limit` requests, ending one window length later, the longest `reset − now` seen)
//! until a response of the new window says what it really holds. A server that sends no
//! rate-limit headers is not paced at all.
//!
//! Pure functions of the reports and the clock: [`crate::core::call`] asks [`Pacer::admit`]
//! before each attempt and reports each outcome with [`Pacer::learn`] or [`Pacer::release`].

use super::error::RateLimit;
use super::retry::until_reset_ms;
use std::cell::{RefCell, RefMut};
use std::rc::{Rc, Weak};

/// How long a call waits for the answers of calls in flight (the first of a token, or those
/// that may have used the window's last requests) before asking again.
pub const PROBE_WAIT_MS: f64 = 25.0;
/// Sent this long after a window's `reset`, so a server whose clock (or whole-second `reset`)
/// lags a little already counts the request in the new window.
pub const RESET_MARGIN_MS: f64 = 50.0;

/// What the pacer allows an attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Admission {
    /// Send now; the attempt counts as in flight until its outcome is reported.
    Go,
    /// Ask again after `ms`. `reset` is the window's end as the server states it (Unix
    /// seconds), when known: a call whose budget cannot fit the wait reports it.
    Wait { ms: f64, reset: Option<f64>, limit: Option<f64> },
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Knowledge {
    /// No response reported yet.
    #[default]
    Nothing,
    /// Responses came without rate-limit headers: the server does not limit this token.
    Unlimited,
    /// The window as the responses (or, between a reset and the next response, the
    /// prediction) describe it.
    Window {
        limit: u32,
        /// The least `remaining` reported for the window ending at `reset_ms`.
        remaining: u32,
        reset_ms: f64,
        /// The server's own `reset` value (for errors), or `None` for a predicted window.
        reset: Option<f64>,
    },
}

/// The pacing state of one token.
#[derive(Debug, Default)]
struct State {
    knowledge: Knowledge,
    in_flight: u32,
    /// The longest `reset − now` seen: a lower bound of the window's length.
    window_ms: f64,
}

/// The shared pacing state of one token at one origin. Single-threaded, like the runtimes
/// that drive calls (a JS isolate, the CLI): `Rc` and `RefCell` keep the .wasm free of a
/// mutex and atomics.
#[derive(Clone, Debug, Default)]
pub struct Pacer(Rc<RefCell<State>>);

impl PartialEq for Pacer {
    fn eq(&self, other: &Pacer) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    /// Pacers alive in this process (or isolate), by hash. Entries whose clients are all gone
    /// are dropped when the next pacer is made, so a server that makes clients for many
    /// tokens keeps no more than it uses.
    static SHARED: RefCell<Vec<(u64, Weak<RefCell<State>>)>> = const { RefCell::new(Vec::new()) };
}

impl Pacer {
    /// The pacer every client using `token` against `base_url` in this process shares.
    pub fn shared(token: &str, base_url: &str) -> Pacer {
        let key = key(token, base_url);
        SHARED.with_borrow_mut(|all| {
            all.retain(|(_, weak)| weak.strong_count() > 0);
            if let Some(state) = all.iter().find(|(k, _)| *k == key).and_then(|(_, weak)| weak.upgrade()) {
                return Pacer(state);
            }
            let pacer = Pacer::default();
            all.push((key, Rc::downgrade(&pacer.0)));
            pacer
        })
    }

    /// Borrowed only within one method here, never across a call out: cannot be borrowed twice.
    fn state(&self) -> RefMut<'_, State> {
        self.0.borrow_mut()
    }

    /// May an attempt go at `now_ms` (Unix milliseconds)? On [`Admission::Go`] the attempt
    /// is in flight until [`Pacer::learn`] or [`Pacer::release`].
    pub fn admit(&self, now_ms: f64) -> Admission {
        let mut s = self.state();
        let window_ms = s.window_ms;
        let go = match &mut s.knowledge {
            Knowledge::Unlimited => true,
            Knowledge::Nothing => s.in_flight == 0,
            Knowledge::Window { limit, remaining, reset_ms, reset } => {
                if now_ms >= *reset_ms + RESET_MARGIN_MS {
                    // The window is over: the next request opens a fresh one.
                    *remaining = *limit;
                    *reset_ms = now_ms + window_ms;
                    *reset = None;
                }
                *remaining > s.in_flight
            }
        };
        if go {
            s.in_flight += 1;
            return Admission::Go;
        }
        match s.knowledge {
            Knowledge::Window { limit, remaining: 0, reset_ms, reset } => Admission::Wait {
                ms: (reset_ms + RESET_MARGIN_MS - now_ms).max(1.0),
                reset: Some(reset.unwrap_or(reset_ms / 1000.0)),
                limit: Some(f64::from(limit)),
            },
            _ => Admission::Wait { ms: PROBE_WAIT_MS, reset: None, limit: None },
        }
    }

    /// An attempt admitted by [`Pacer::admit`] got a response reporting `reported`.
    pub fn learn(&self, reported: RateLimit, now_ms: f64) {
        let mut s = self.state();
        s.in_flight = s.in_flight.saturating_sub(1);
        let (Some(limit), Some(remaining), Some(reset)) = (reported.limit, reported.remaining, reported.reset) else {
            if s.knowledge == Knowledge::Nothing && reported.is_empty() {
                s.knowledge = Knowledge::Unlimited;
            }
            return;
        };
        let reset_ms = now_ms + until_reset_ms(reset, now_ms);
        if !(limit.is_finite() && remaining.is_finite() && reset_ms.is_finite()) || reset_ms <= now_ms {
            return; // nonsense, or a window already over: nothing about the current one
        }
        let (limit, remaining) = (limit.clamp(0.0, f64::from(u32::MAX)) as u32, remaining.max(0.0) as u32);
        s.window_ms = s.window_ms.max(reset_ms - now_ms);
        let remaining = match s.knowledge {
            // Same window, already confirmed by the server: responses may arrive out of order.
            Knowledge::Window { remaining: known, reset_ms: known_ms, reset: Some(_), .. }
                if (reset_ms - known_ms).abs() < 1.0 =>
            {
                known.min(remaining)
            }
            // An older window's late response says nothing about the current one.
            Knowledge::Window { reset_ms: known_ms, reset: Some(_), .. } if reset_ms < known_ms => return,
            _ => remaining,
        };
        s.knowledge = Knowledge::Window { limit, remaining: remaining.min(limit), reset_ms, reset: Some(reset) };
    }

    /// An admitted attempt ended without a response (or was abandoned).
    pub fn release(&self) {
        let mut s = self.state();
        s.in_flight = s.in_flight.saturating_sub(1);
    }
}

/// The key of a token at an origin: a hash, so the token itself is kept nowhere else. FNV-1a
/// (64-bit): a few instructions in the .wasm where SipHash costs a kilobyte, the same in every
/// isolate and every build, which a limiter shared between isolates needs ([`limiter_key`]).
/// Tokens carry far more than 64 bits of secret, so the hash cannot be turned back into one.
fn key(token: &str, base_url: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    // A byte no URL or token holds separates the two, so ("ab", "c") and ("a", "bc") differ.
    base_url.bytes().chain([0xff]).chain(token.bytes()).fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// The name a shared limiter (e.g. a Durable Object) knows a token by at an origin: the
/// token's hash as 16 hex digits, never the token.
pub fn limiter_key(token: &str, base_url: &str) -> String {
    let hash = key(token, base_url);
    // By hand: `char::from_digit` and `format!("{:x}")` each link a panic path into the .wasm.
    let digit = |i: u32| b"0123456789abcdef".get(((hash >> (i * 4)) & 0xf) as usize).map_or('0', |&d| char::from(d));
    (0..16).rev().map(digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000_000.0;

    fn reported(limit: f64, remaining: f64, reset_s: f64) -> RateLimit {
        RateLimit { limit: Some(limit), remaining: Some(remaining), reset: Some(reset_s) }
    }

    fn wait_ms(a: Admission) -> f64 {
        match a {
            Admission::Wait { ms, .. } => ms,
            Admission::Go => panic!("expected a wait"),
        }
    }

    #[test]
    fn the_first_call_probes_alone() {
        let p = Pacer::default();
        assert_eq!(p.admit(NOW), Admission::Go);
        assert_eq!(wait_ms(p.admit(NOW)), PROBE_WAIT_MS);
        p.learn(reported(3.0, 2.0, NOW / 1000.0 + 10.0), NOW + 5.0);
        assert_eq!(p.admit(NOW + 6.0), Admission::Go);
        assert_eq!(p.admit(NOW + 6.0), Admission::Go);
        // 2 remaining, 2 in flight: whether they used them, their answers tell, soon.
        assert_eq!(wait_ms(p.admit(NOW + 7.0)), PROBE_WAIT_MS);
        p.learn(reported(3.0, 1.0, NOW / 1000.0 + 10.0), NOW + 8.0);
        assert_eq!(wait_ms(p.admit(NOW + 9.0)), PROBE_WAIT_MS);
        p.learn(reported(3.0, 0.0, NOW / 1000.0 + 10.0), NOW + 10.0);
        // Spent for certain: the wait is for the reset.
        let a = p.admit(NOW + 11.0);
        assert_eq!(
            a,
            Admission::Wait {
                ms: 10_000.0 - 11.0 + RESET_MARGIN_MS,
                reset: Some(NOW / 1000.0 + 10.0),
                limit: Some(3.0)
            }
        );
    }

    #[test]
    fn room_the_calls_in_flight_did_not_use_is_not_lost() {
        let p = Pacer::default();
        p.admit(NOW);
        p.learn(reported(20.0, 19.0, NOW / 1000.0 + 2.0), NOW);
        // 12 go; the server counts them all before any answer comes back.
        for _ in 0..12 {
            assert_eq!(p.admit(NOW + 1.0), Admission::Go);
        }
        p.learn(reported(20.0, 7.0, NOW / 1000.0 + 2.0), NOW + 5.0);
        // 7 left, 11 in flight: a short wait, not one until the reset.
        assert_eq!(wait_ms(p.admit(NOW + 6.0)), PROBE_WAIT_MS);
        for _ in 0..11 {
            p.learn(reported(20.0, 8.0, NOW / 1000.0 + 2.0), NOW + 20.0);
        }
        for _ in 0..7 {
            assert_eq!(p.admit(NOW + 31.0), Admission::Go);
        }
        for _ in 0..7 {
            p.learn(reported(20.0, 0.0, NOW / 1000.0 + 2.0), NOW + 40.0);
        }
        assert_eq!(wait_ms(p.admit(NOW + 41.0)), 2_000.0 - 41.0 + RESET_MARGIN_MS);
    }

    #[test]
    fn a_server_without_rate_limit_headers_is_not_paced() {
        let p = Pacer::default();
        assert_eq!(p.admit(NOW), Admission::Go);
        p.learn(RateLimit::default(), NOW + 1.0);
        for _ in 0..100 {
            assert_eq!(p.admit(NOW + 2.0), Admission::Go);
        }
    }

    #[test]
    fn a_failed_probe_lets_the_next_call_probe() {
        let p = Pacer::default();
        assert_eq!(p.admit(NOW), Admission::Go);
        p.release();
        assert_eq!(p.admit(NOW + 1.0), Admission::Go);
    }

    #[test]
    fn calls_in_flight_count_against_what_is_left() {
        let p = Pacer::default();
        p.admit(NOW);
        p.learn(reported(60.0, 5.0, NOW / 1000.0 + 60.0), NOW);
        for _ in 0..5 {
            assert_eq!(p.admit(NOW + 1.0), Admission::Go);
        }
        assert!(matches!(p.admit(NOW + 1.0), Admission::Wait { .. }));
        // Responses out of order: the least remaining wins; each response frees its slot.
        p.learn(reported(60.0, 1.0, NOW / 1000.0 + 60.0), NOW + 2.0);
        p.learn(reported(60.0, 3.0, NOW / 1000.0 + 60.0), NOW + 2.0);
        // remaining 1, 3 still in flight.
        assert!(matches!(p.admit(NOW + 3.0), Admission::Wait { .. }));
        for _ in 0..3 {
            p.learn(reported(60.0, 0.0, NOW / 1000.0 + 60.0), NOW + 4.0);
        }
        assert!(matches!(p.admit(NOW + 5.0), Admission::Wait { .. }));
    }

    #[test]
    fn a_new_window_is_predicted_then_confirmed() {
        let p = Pacer::default();
        p.admit(NOW);
        let reset = NOW / 1000.0 + 10.0;
        p.learn(reported(2.0, 0.0, reset), NOW); // window length seen: 10 s
        let ms = wait_ms(p.admit(NOW + 100.0));
        assert_eq!(ms, 9_900.0 + RESET_MARGIN_MS);
        // At the reset a fresh window of `limit` is assumed, ending a window length later.
        let t = NOW + 10_000.0 + RESET_MARGIN_MS;
        assert_eq!(p.admit(t), Admission::Go);
        assert_eq!(p.admit(t), Admission::Go);
        // Both in flight, nothing reported of the new window yet: a short wait for their answers.
        assert_eq!(wait_ms(p.admit(t)), PROBE_WAIT_MS);
        // The server's answer replaces the prediction, even when its window ends sooner.
        p.learn(reported(2.0, 1.0, reset + 9.0), t + 5.0);
        p.learn(reported(2.0, 0.0, reset + 9.0), t + 6.0);
        let a = p.admit(t + 7.0);
        assert_eq!(a, Admission::Wait { ms: 9_000.0 - 7.0, reset: Some(reset + 9.0), limit: Some(2.0) });
    }

    #[test]
    fn late_responses_of_an_old_window_change_nothing() {
        let p = Pacer::default();
        p.admit(NOW);
        p.learn(reported(5.0, 4.0, NOW / 1000.0 + 10.0), NOW);
        p.admit(NOW + 1.0);
        p.learn(reported(5.0, 0.0, NOW / 1000.0 + 5.0), NOW + 2.0);
        assert_eq!(p.admit(NOW + 3.0), Admission::Go, "still 4 left in the window ending at +10 s");
        // A reset already past says nothing either.
        p.learn(reported(5.0, 0.0, NOW / 1000.0 - 1.0), NOW + 4.0);
        assert_eq!(p.admit(NOW + 5.0), Admission::Go);
    }

    #[test]
    fn nonsense_reports_are_ignored() {
        let p = Pacer::default();
        p.admit(NOW);
        p.learn(reported(f64::NAN, f64::INFINITY, -1.0), NOW);
        p.learn(RateLimit { limit: Some(5.0), ..RateLimit::default() }, NOW);
        assert_eq!(p.admit(NOW), Admission::Go);
        p.learn(reported(1e300, -5.0, 1e300), NOW);
        assert!(matches!(p.admit(NOW), Admission::Wait { .. }), "0 remaining until a very distant reset");
    }

    #[test]
    fn clients_of_one_token_share_a_pacer() {
        let a = Pacer::shared("df_one", "https://datafa.st");
        let b = Pacer::shared("df_one", "https://datafa.st");
        let other_origin = Pacer::shared("df_one", "http://127.0.0.1:8787");
        let other_token = Pacer::shared("df_two", "https://datafa.st");
        assert!(a == b && a != other_origin && a != other_token);
        assert_eq!(a.admit(NOW), Admission::Go);
        assert!(matches!(b.admit(NOW), Admission::Wait { .. }), "b sees a's probe in flight");
        assert!(!limiter_key("df_one", "https://datafa.st").contains("one"));
        assert_eq!(limiter_key("df_one", "https://datafa.st").len(), 16);
        // FNV-1a of "https://datafa.st" 0xff "df_one": fixed across builds, as isolates need.
        assert_eq!(limiter_key("df_one", "https://datafa.st"), "aca124cda8ffbbfc");
        assert_ne!(key("ab", "c"), key("a", "bc"));
        drop((a, b));
        let fresh = Pacer::shared("df_one", "https://datafa.st");
        assert_eq!(fresh.admit(NOW), Admission::Go, "a pacer no client holds is gone");
    }
}
