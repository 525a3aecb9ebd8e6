// The JS half of a call. The wasm core plans every call and decides every step
// (src/core/call.rs: validation, retries, backoff, rate-limit waits, the time budget); this
// file does the I/O it asks for — `fetch`, timers, the caller's AbortSignal — and reports
// each outcome back with one synchronous wasm call. It imports nothing: the client object it
// is given carries the wasm methods, so the same file serves the package and the
// wasm-bindgen test suites.

// Step codes, as src/wasm/client.rs declares them (tests/driver_protocol.rs checks they agree).
// A number >= 0 is a wait in ms (from __onResponse / __onFailure) or the next attempt's
// timeout (from __onWaitOver).
const DONE_FIRST_OF_DATA = -1;
const DONE_DATA = -2;
const DONE_BODY_WITHOUT_STATUS = -3;
const DONE_BODY = -4;
const DONE_NOTHING = -5;
const FAIL = -6;

// Bodies larger than this are not read (src/core/call.rs MAX_BODY_BYTES).
const MAX_BODY_BYTES = 16 << 20;
// How much of a non-JSON body is quoted in an error.
const SNIPPET_CHARS = 400;

let userAgent = null;
let endpoints = [];

/**
 * Called once by the package entry: the registry rows from `__endpoints()` and, in server
 * runtimes, the User-Agent to send (browsers forbid setting it).
 */
export function configureDriver(options) {
  endpoints = options.endpoints;
  userAgent = options.userAgent ?? null;
  onNewSignal = options.onNewSignal ?? null;
}

// Per client: [fetch, onRequest, onResponse, headers, calls, shared controller], where `calls`
// is the wasm object whose methods are the call's steps. Kept here, out of the client's reach, because
// the headers hold the token.
const ioCache = new WeakMap();
function ioOf(client) {
  let io = ioCache.get(client);
  if (io === undefined) {
    io = client.__io(userAgent ?? undefined);
    ioCache.set(client, io);
  }
  return io;
}

const META = Symbol('datafast.response');
const TIMED_OUT = Symbol('timed out');
const ABORTED = Symbol('aborted');

/**
 * Calls the endpoint at registry `index` with the method's arguments. The promise resolves to
 * the result and also offers `withResponse()` and, for pages, row iteration (`for await`).
 */
export function callEndpoint(client, index, args) {
  const meta = { response: null };
  const promise = run(client, index, args, meta);
  promise[META] = meta;
  promise.withResponse = withResponse;
  if (endpoints[index]?.[3]) {
    promise[Symbol.asyncIterator] = rowsOfPromise;
    promise.toArray = toArrayOfPromise;
  }
  return promise;
}

function withResponse() {
  const meta = this[META];
  return this.then((data) => {
    const headers = headersOf(meta.response);
    return { data, response: { status: meta.response.status, headers }, rateLimit: rateLimitOf(headers) };
  });
}

async function run(client, index, args, meta) {
  if (!client || client.__wbg_ptr === 0) throw closedError(index);
  const row = endpoints[index];
  const [params, options, signal] = readArguments(index, row, args);
  if (signal?.aborted) throw abortedBeforeStart(index, signal);

  const io = ioOf(client);
  const [fetchFn, onRequest, onResponse, baseHeaders, calls] = io;
  const send = calls.start(index, args, params, options, Date.now());
  const id = send[0];
  const method = send[1];
  const url = send[2];
  const headers = send[5] === undefined ? { ...baseHeaders } : { ...baseHeaders, ...send[5] };
  const init = { method, headers, signal: undefined };
  if (send[3] !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = send[3];
  }
  let timeoutMs = send[4];
  const cancel = { current: null };
  const onAbort = signal ? () => cancel.current?.(signal.reason) : null;
  if (onAbort) signal.addEventListener('abort', onAbort, { once: true });

  try {
    for (let attempt = 1; ; attempt++) {
      const started = onResponse ? Date.now() : 0;
      if (onRequest) hook(onRequest, { endpoint: row[1], method, url, attempt });
      let step, read, failure;
      try {
        read = await exchange(io, fetchFn, url, init, timeoutMs, cancel, signal !== undefined);
      } catch (thrown) {
        if (thrown === ABORTED) throw aborted(calls, id, signal);
        failure = thrown;
      }
      if (read !== undefined) {
        meta.response = read[0];
        step = report(calls, id, read);
      } else {
        step = failure === TIMED_OUT
          ? calls.onFailure(id, true, '', Date.now(), Math.random())
          : calls.onFailure(id, false, describe(failure), Date.now(), Math.random());
      }
      if (onResponse) {
        const status = read === undefined ? 0 : read[0].status;
        hook(onResponse, { endpoint: row[1], method, url, attempt, status, durationMs: Date.now() - started });
      }
      if (step < 0) {
        if (step === FAIL) throw failed(calls, id, read, failure);
        return deliver(step, read[3], client, index, args);
      }
      try {
        await sleep(step, cancel);
      } catch {
        throw aborted(calls, id, signal);
      }
      timeoutMs = calls.onWaitOver(id, Date.now());
      if (timeoutMs === FAIL) throw failed(calls, id, undefined, undefined);
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    calls.end(id);
  }
}

// One attempt: fetch and read the body. Settles within `timeoutMs` whatever `fetch` does (a
// fetch that ignores its signal, a body that never ends): the timer rejects the race, and the
// request is aborted (see `signals`). Resolves to what `read` returns.
function exchange(io, fetchFn, url, init, timeoutMs, cancel, ownSignal) {
  const lease = ownSignal ? new Lease(null) : signals.lease(io);
  init.signal = lease.signal;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cancel.current = null;
      lease.release(true);
      reject(TIMED_OUT);
    }, timeoutMs);
    cancel.current = (reason) => {
      cancel.current = null;
      clearTimeout(timer);
      lease.abortNow(reason);
      reject(ABORTED);
    };
    const settled = () => {
      clearTimeout(timer);
      cancel.current = null;
      lease.release(false);
    };
    read(fetchFn, url, init).then(
      (out) => { settled(); resolve(out); },
      (error) => { settled(); reject(error); },
    );
  });
}

// Abort signals for attempts. Creating an AbortSignal costs more than the rest of a call's
// own work (about 5 µs in Node), so up to SHARED_LEASES attempts of one client share a
// controller; an attempt that times out dooms its controller: new attempts get a fresh one,
// and the doomed one is aborted as soon as its last attempt settles, which ends the hung
// request. The bound matters: Node's fetch leaves its listener on a signal until the request
// is garbage-collected, so a signal shared forever would collect listeners without end. Calls
// with the caller's own signal get a controller of their own, so their abort reaches the
// network at once.
class Shared {
  constructor() {
    this.controller = new AbortController();
    this.users = 0;
    this.leases = 0;
    this.doomed = false;
    onNewSignal?.(this.controller.signal);
  }
}
class Lease {
  constructor(shared) {
    this.shared = shared ?? new Shared();
    this.shared.users++;
    this.shared.leases++;
    this.signal = this.shared.controller.signal;
    this.released = false;
  }
  release(timedOut) {
    if (this.released) return;
    this.released = true;
    const shared = this.shared;
    shared.users--;
    if (timedOut) shared.doomed = true;
    if (shared.doomed && shared.users === 0) shared.controller.abort();
  }
  abortNow(reason) {
    this.released = true;
    this.shared.users--;
    this.shared.controller.abort(reason);
  }
}
const signals = {
  lease(io) {
    let shared = io[SHARED];
    if (shared === undefined || shared.doomed || shared.leases >= SHARED_LEASES) io[SHARED] = shared = new Shared();
    return new Lease(shared);
  },
};
const SHARED = 5; // the slot of an io entry that holds its client's shared controller
const SHARED_LEASES = 32;
// Node warns past ten listeners on one signal; its entry lifts the limit for shared signals.
let onNewSignal = null;

// Body kinds, as __onResponse reads them.
const EMPTY = 0, NOT_JSON = 1, JSON_NOT_OBJECT = 2, JSON_OBJECT = 3, TOO_LARGE = 4;

/** Fetches and reads one response: [response, kind, text, parsed body, declared length]. */
async function read(fetchFn, url, init) {
  const res = await (fetchFn === undefined ? fetch(url, init) : fetchFn.call(globalThis, url, init));
  if (res === null || typeof res !== 'object' || typeof res.text !== 'function' || !res.headers) {
    throw new TypeError('fetch did not resolve to a Response');
  }
  const declared = num(res.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    try { res.body?.cancel?.().catch(() => {}); } catch { /* nothing to release */ }
    return [res, TOO_LARGE, '', undefined, declared];
  }
  const text = await res.text();
  if (typeof text !== 'string') throw new TypeError('the response body is not text');
  if (text.length > MAX_BODY_BYTES) return [res, TOO_LARGE, '', undefined, text.length];
  if (text.length === 0) return [res, EMPTY, text, undefined, 0];
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return [res, NOT_JSON, text, undefined, 0];
  }
  const kind = body !== null && typeof body === 'object' && !Array.isArray(body) ? JSON_OBJECT : JSON_NOT_OBJECT;
  return [res, kind, text, body, 0];
}

/** Hands what `read` saw to the core; answers the next step. */
function report(calls, id, [res, kind, text, body, bytes]) {
  const h = res.headers;
  const status = typeof res.status === 'number' ? res.status : NaN;
  const limit = num(h.get('x-ratelimit-limit'));
  const remaining = num(h.get('x-ratelimit-remaining'));
  const reset = num(h.get('x-ratelimit-reset'));
  const retryAfter = h.get('retry-after') ?? undefined;
  const now = Date.now();
  // The strings go in one array: [Retry-After, body start, envelope status, error.message,
  // error (a string), message] (src/wasm/client.rs, `ResponseText`).
  if (kind === JSON_OBJECT) {
    const e = body.error;
    const nested = e !== null && typeof e === 'object';
    return calls.onResponse(id, status, limit, remaining, reset, kind, 0, body.data !== undefined,
      nested ? num(e.code) : NaN, num(body.limit), num(body.remaining), num(body.reset), now, Math.random(),
      [retryAfter, undefined, str(body.status), nested ? str(e.message) : undefined, nested ? undefined : str(e),
        str(body.message)]);
  }
  return calls.onResponse(id, status, limit, remaining, reset, kind, bytes, false, NaN, NaN, NaN, NaN, now,
    Math.random(), [retryAfter, kind === NOT_JSON ? text.slice(0, SNIPPET_CHARS) : undefined]);
}

function sleep(ms, cancel) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { cancel.current = null; resolve(); }, ms);
    cancel.current = () => { cancel.current = null; clearTimeout(timer); reject(ABORTED); };
  });
}

const str = (v) => (typeof v === 'string' ? v : undefined);
const num = (v) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN);

function deliver(step, body, client, index, args) {
  switch (step) {
    case DONE_FIRST_OF_DATA: {
      const data = body.data;
      return Array.isArray(data) ? (data.length > 0 ? data[0] : null) : data;
    }
    case DONE_DATA: return body.data;
    case DONE_BODY_WITHOUT_STATUS:
      if (endpoints[index][3]) return new Page(body, { client, index, args });
      delete body.status;
      return body;
    case DONE_BODY: return body;
    case DONE_NOTHING: return undefined;
  }
  throw new TypeError(`unknown step ${step}`);
}

// ---- errors ----

/** The call's DataFastError, with the failing response's headers or the runtime's error. */
function failed(calls, id, read, failure) {
  const error = calls.error(id);
  if (read !== undefined) error.headers = headersOf(read[0]);
  else if (failure !== undefined && failure !== TIMED_OUT) error.cause = failure;
  return error;
}

function aborted(calls, id, signal) {
  const error = calls.abort(id);
  error.cause = signal?.reason;
  return error;
}

function abortedBeforeStart(index, signal) {
  const error = localError('aborted', undefined, 'the call was aborted by its signal before it started', index);
  error.cause = signal.reason;
  return error;
}

function closedError(index) {
  return localError('client_closed', undefined, 'this client was freed (free() or `using`); create a new one', index);
}

let makeLocalError = null;
/** The wasm's `__localError`, registered by the entry (the tests build plain errors). */
export function setLocalErrorFactory(factory) {
  makeLocalError = factory;
}
function localError(code, field, message, index) {
  if (makeLocalError) return makeLocalError(code, field, message, index);
  return Object.assign(new Error(field ? `\`${field}\` ${message}` : message), { code, field: field ?? null });
}

/** A runtime's fetch failure as text: `name: message (cause)`; never includes headers. */
function describe(error) {
  if (error === null || error === undefined) return 'unknown error';
  let message;
  try {
    message = typeof error.message === 'string' ? error.message : String(error);
    const inner = error.cause;
    const detail = inner && (typeof inner.message === 'string' && inner.message ? inner.message : inner.code);
    if (detail) message += ` (${detail})`;
  } catch {
    message = 'unknown error';
  }
  return message;
}

function hook(fn, event) {
  try {
    fn(event);
  } catch {
    // A logging hook must never break the call it observes.
  }
}

function headersOf(res) {
  const out = {};
  if (!res) return out;
  try {
    res.headers.forEach((value, name) => { out[name] = value; });
  } catch {
    // A fetch replacement whose headers cannot be listed: report none.
  }
  return out;
}

function rateLimitOf(headers) {
  const n = (name) => {
    const v = headers?.[name];
    return v === undefined ? null : Number.isFinite(Number(v)) ? Number(v) : null;
  };
  return { limit: n('x-ratelimit-limit'), remaining: n('x-ratelimit-remaining'), reset: n('x-ratelimit-reset') };
}

// ---- arguments ----

/** A method's parameters object as plain data (for previews): what `__start` would receive. */
export function plainParams(index, args) {
  return readArguments(index, endpoints[index], args)[0];
}

// The parameters object and per-call options, copied into plain data: whatever the caller
// passed (getters that throw, Proxies, Dates, cycles, BigInts), what reaches wasm cannot
// run caller code, and a failure is a DataFastError naming the field.
function readArguments(index, row, args) {
  const paramsIndex = row[4];
  const optionsIndex = row[5];
  let params;
  let options;
  let signal;
  if (paramsIndex >= 0) {
    const raw = args[paramsIndex];
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== 'object' || Array.isArray(raw)) {
        throw localError('invalid_params', 'params', `must be an object, got ${typeName(raw)}`, index);
      }
      params = plain(raw, '', 0, index);
    }
  }
  const rawOptions = args[optionsIndex];
  if (rawOptions !== undefined && rawOptions !== null) {
    if (typeof rawOptions !== 'object' || Array.isArray(rawOptions)) {
      throw localError('invalid_options', 'options', `must be an object such as { signal, timeoutMs }, got ${typeName(rawOptions)}`, index);
    }
    options = {};
    let keys;
    try { keys = Object.keys(rawOptions); } catch (e) { throw unreadable('options', e, index, 'invalid_options'); }
    for (const key of keys) {
      let value;
      let isSignal = false;
      try {
        value = rawOptions[key];
        if (key === 'signal' && value !== null && typeof value === 'object') {
          isSignal = typeof value.addEventListener === 'function' && typeof value.aborted === 'boolean';
        }
      } catch (e) {
        throw unreadable(key, e, index, 'invalid_options');
      }
      if (value === undefined) continue;
      switch (key) {
        case 'signal':
          if (value !== null && !isSignal) throw localError('invalid_options', 'signal', 'must be an AbortSignal', index);
          signal = value ?? undefined;
          break;
        case 'timeoutMs':
        case 'maxRetries':
          if (typeof value !== 'number') throw localError('invalid_options', key, 'must be a number', index);
          options[key] = value;
          break;
        case 'headers': {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            throw localError('invalid_options', 'headers', 'must be an object of header names to strings', index);
          }
          options.headers = plain(value, 'headers', 1, index, 'invalid_options');
          break;
        }
        default:
          throw localError('invalid_options', key, 'is not a per-call option; known: signal, timeoutMs, maxRetries, headers', index);
      }
    }
  }
  return [params, options, signal];
}

const MAX_DEPTH = 16;

function plain(value, path, depth, index, code = 'invalid_params') {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
    case 'undefined':
      return value;
    case 'object':
      break;
    default:
      throw localError(code, path || 'params', `must be JSON-like (got a ${typeof value}; no functions, symbols or bigints)`, index);
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw localError(code, path || 'params', 'is nested too deeply (or refers to itself)', index);
  try {
    if (value instanceof Date) {
      const time = value.getTime();
      if (Number.isNaN(time)) throw localError(code, path || 'params', 'is an invalid Date', index);
      return value.toISOString();
    }
    if (Array.isArray(value)) {
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = plain(value[i], `${path}[${i}]`, depth + 1, index, code);
      return out;
    }
    const out = {};
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      let item;
      try {
        item = value[key];
      } catch (e) {
        throw unreadable(at, e, index, code);
      }
      if (item !== undefined) out[key] = plain(item, at, depth + 1, index, code);
    }
    return out;
  } catch (e) {
    if (isDataFastError(e)) throw e;
    throw unreadable(path || 'params', e, index, code);
  }
}

function unreadable(field, cause, index, code = 'invalid_params') {
  const error = localError(code, field, `could not be read: ${describe(cause)}`, index);
  error.cause = cause;
  return error;
}

function isDataFastError(e) {
  return e !== null && typeof e === 'object' && typeof e.code === 'string' && 'field' in e;
}

function typeName(v) {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

// ---- pages ----

/**
 * A page of a paginated endpoint: the API's body (minus its `status`) with helpers that fetch
 * the following pages with the same query. The helpers live on the prototype and the query in
 * a private field, so a page serializes as the API sent it.
 */
export class Page {
  #call;

  constructor(body, call) {
    for (const key in body) if (key !== 'status') this[key] = body[key];
    this.#call = call;
  }

  hasNextPage() {
    return nextOffset(this) !== null;
  }

  nextPage(options) {
    const offset = nextOffset(this);
    if (offset === null) return Promise.resolve(null);
    const { client, index, args } = this.#call;
    const row = endpoints[index];
    const next = args.slice(0, row[4]);
    next.push({ ...(args[row[4]] ?? {}), offset });
    if (options !== undefined) next.push(options);
    else if (args.length > row[5]) next.push(args[row[5]]);
    return callEndpoint(client, index, next);
  }

  async *pages() {
    for (let page = this; page; page = await page.nextPage()) yield page;
  }

  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) yield* page.data;
  }

  async toArray(options) {
    const limit = options?.limit ?? Infinity;
    if (!(limit >= 0)) throw new TypeError('toArray({ limit }): limit must be a number >= 0');
    const rows = [];
    if (limit === 0) return rows;
    for await (const row of this) {
      rows.push(row);
      if (rows.length >= limit) break;
    }
    return rows;
  }
}

// The promise of a paginated call iterates the rows of every page, and collects them.
async function* rowsOfPromise() {
  yield* await this;
}
async function toArrayOfPromise(options) {
  return (await this).toArray(options);
}

// A page's offset of the page after it, or null after the last one. `total` (breakdowns,
// timeseries) and `hasMore` (visitors) both say whether rows follow; an empty page ends the
// walk whatever they say, so a walk always terminates.
function nextOffset(page) {
  const p = page.pagination;
  if (!p || !Array.isArray(page.data) || page.data.length === 0) return null;
  const next = (Number(p.offset) || 0) + page.data.length;
  const more = typeof p.hasMore === 'boolean' ? p.hasMore : typeof p.total === 'number' && next < p.total;
  return more ? next : null;
}
