// One token's rate-limit window, as a shared limiter keeps it: the pacing policy of the
// package's core (src/core/pace.rs), in JS so that it can live in a Durable Object that every
// isolate of a Worker talks to. Keep the two in step.
//
// `acquire(now)` answers { waitMs: 0 } when an attempt may go (it then counts in flight until
// `report`), else how long to wait before asking again, with the window's reset and limit.
// `report(rateLimit, now)` is what a response said ({ limit, remaining, reset }, reset in Unix
// seconds; all null when the attempt got no response) and frees the attempt's place.

// How long a call waits for the answers of attempts in flight (the first of a token, or those
// that may have used the window's last requests) before asking again.
const PROBE_WAIT_MS = 25;
// Sent this long after a window's reset, so a server whose clock (or whole-second reset)
// lags a little already counts the request in the new window.
const RESET_MARGIN_MS = 50;
// An attempt whose report never came (its isolate died) stops counting after this long.
const LOST_AFTER_MS = 60_000;

export class TokenWindow {
  constructor() {
    this.limit = null; // null until a response reported one
    this.unlimited = false; // responses come without rate-limit headers
    this.remaining = 0; // the least remaining reported for the window ending at resetMs
    this.resetMs = 0;
    this.reset = null; // the server's reset, or null for a predicted window
    this.windowMs = 0; // the longest reset − now seen: a lower bound of the window's length
    this.inFlight = []; // when each attempt in flight was let go, oldest first
  }

  acquire(now) {
    while (this.inFlight.length > 0 && this.inFlight[0] < now - LOST_AFTER_MS) this.inFlight.shift();
    let go;
    if (this.unlimited) go = true;
    else if (this.limit === null) go = this.inFlight.length === 0;
    else {
      if (now >= this.resetMs + RESET_MARGIN_MS) {
        // The window is over: the next request opens a fresh one.
        this.remaining = this.limit;
        this.resetMs = now + this.windowMs;
        this.reset = null;
      }
      go = this.remaining > this.inFlight.length;
    }
    if (go) {
      this.inFlight.push(now);
      return { waitMs: 0 };
    }
    // Nothing known yet, or requests left that the attempts in flight may have used: their
    // answers come soon. Only a window spent for certain means waiting for its reset.
    if (this.limit === null || this.remaining > 0) return { waitMs: PROBE_WAIT_MS };
    return {
      waitMs: Math.max(1, this.resetMs + RESET_MARGIN_MS - now),
      reset: this.reset ?? this.resetMs / 1000,
      limit: this.limit,
    };
  }

  report(rateLimit, now) {
    this.inFlight.shift();
    const { limit, remaining, reset } = rateLimit ?? {};
    const known = (v) => typeof v === 'number' && Number.isFinite(v);
    if (!known(limit) || !known(remaining) || !known(reset)) {
      if (this.limit === null && limit == null && remaining == null && reset == null) this.unlimited = true;
      return;
    }
    const resetMs = untilResetMs(reset, now) + now;
    if (!(resetMs > now)) return; // a window already over says nothing about the current one
    this.windowMs = Math.max(this.windowMs, resetMs - now);
    let left = Math.max(0, Math.floor(remaining));
    if (this.limit !== null && this.reset !== null) {
      if (Math.abs(resetMs - this.resetMs) < 1) left = Math.min(left, this.remaining); // same window
      else if (resetMs < this.resetMs) return; // an older window's late response
    }
    this.unlimited = false;
    this.limit = Math.max(0, Math.floor(limit));
    this.remaining = Math.min(left, this.limit);
    this.resetMs = resetMs;
    this.reset = reset;
  }
}

// Milliseconds from now until a reset given in Unix seconds (documented), Unix milliseconds
// (>= 1e12) or seconds from now (< 1e9), as src/core/retry.rs reads it.
function untilResetMs(reset, now) {
  if (reset >= 1e12) return reset - now;
  if (reset >= 1e9) return reset * 1000 - now;
  return reset * 1000;
}
