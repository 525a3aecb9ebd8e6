// Runtime-agnostic checks of the installed `datafast-wasm` package against the emulator.
// Runs unchanged in Node, Deno, workerd and Chromium, so it may use only `fetch` and
// standard globals: no Node APIs, no imports. The first failed assertion throws.

/**
 * @param {object} lib  the imported package namespace ({ WebsiteClient, AdminClient, DataFastError })
 * @param {object} env  the emulator's tokens file plus { runtime, dangerouslyAllowBrowser? }
 * @returns {Promise<object>} a small summary of what was checked
 */
export async function runChecks(lib, env) {
  const { WebsiteClient, AdminClient, DataFastError } = lib;
  for (const name of ["WebsiteClient", "AdminClient", "DataFastError"]) {
    assert(typeof lib[name] === "function", `package does not export ${name} (got ${typeof lib[name]})`);
  }
  const { baseUrl, ownerToken } = env;
  const [site, otherSite] = env.websites;
  assert(baseUrl && ownerToken && site?.key && site?.id, "tokens file lacks baseUrl/ownerToken/websites[0]");
  // A browser page must opt in; every other runtime must work without the flag.
  const optIn = env.dangerouslyAllowBrowser ? { dangerouslyAllowBrowser: true } : {};
  // Retries would only slow a failing run down and hide flakiness.
  const website = new WebsiteClient({ token: site.key, baseUrl, maxRetries: 0, ...optIn });
  const summary = { runtime: env.runtime };

  // Oracle: the client's result equals what the raw HTTP API returns.
  const rawOverview = await rawGet(baseUrl, "/analytics/overview", site.key);
  const overview = await settled(website.analytics.overview(), "website.analytics.overview()");
  assertDeepEqual(overview, rawOverview.data[0], "website.analytics.overview() vs raw data[0]");
  assert(typeof overview.visitors === "number" && overview.visitors > 0,
    `overview.visitors should be a positive number, got ${JSON.stringify(overview.visitors)}`);
  summary.visitors = overview.visitors;

  // previewRequest: the same checks and URL as the call, nothing sent.
  const planned = lib.previewRequest("analytics.pages", [{ limit: 10 }], { token: site.key, baseUrl });
  assert(planned.url === `${baseUrl}/api/v1/analytics/pages?limit=10` && planned.method === "GET" && planned.body === null,
    `previewRequest planned ${JSON.stringify(planned)}`);
  assert(!JSON.stringify(planned).includes(site.key), "previewRequest must mask the token");
  let refused;
  try { lib.previewRequest("analytics.pages", [{ limit: 5000 }], { token: site.key, baseUrl }); } catch (e) { refused = e; }
  assert(refused instanceof DataFastError && refused.field === "limit" && refused.status === 0,
    `previewRequest of limit 5000 should throw a DataFastError on limit, got ${refused}`);

  const admin = new AdminClient({ token: ownerToken, baseUrl, maxRetries: 0, ...optIn });
  const rawAccount = await rawGet(baseUrl, "/admin/account", ownerToken);
  const account = await settled(admin.account.get(), "admin.account.get()");
  assertDeepEqual(account, rawAccount.data[0], "admin.account.get() vs raw data[0]");
  assert(typeof account.email === "string", `account.email should be a string, got ${typeof account.email}`);

  const rawPages = await rawGet(baseUrl, "/analytics/pages?limit=5", site.key);
  const pages = await settled(website.analytics.pages({ limit: 5 }), "website.analytics.pages({limit: 5})");
  assert(Array.isArray(pages?.data), `pages().data should be an array, got ${describe(pages?.data)}`);
  assert(pages.data.length <= 5, `pages({limit: 5}) returned ${pages.data.length} rows`);
  assert(pages.pagination?.limit === 5, `pages().pagination.limit should be 5, got ${JSON.stringify(pages.pagination)}`);
  assertDeepEqual(pages.data, rawPages.data, "website.analytics.pages({limit: 5}).data vs raw data");
  assertDeepEqual(pages.pagination, rawPages.pagination, "website.analytics.pages({limit: 5}).pagination vs raw pagination");
  summary.pageRows = pages.data.length;

  // Pages walk on with the same query: nextPage() is the raw next offset, `for await` visits
  // every row exactly once, and the helpers stay out of JSON.
  assert(JSON.stringify(pages) === JSON.stringify({ data: pages.data, pagination: pages.pagination }),
    `a page should serialize as the API sent it, got keys ${Object.keys(pages)}`);
  assert(pages.hasNextPage() === rawPages.pagination.total > 5, "pages().hasNextPage() vs raw total");
  const second = await settled(pages.nextPage(), "pages().nextPage()");
  const rawSecond = await rawGet(baseUrl, "/analytics/pages?limit=5&offset=5", site.key);
  assertDeepEqual(second.data, rawSecond.data, "pages().nextPage().data vs raw offset=5");
  const devices = await settled(website.analytics.devices({ limit: 1 }), "devices({limit: 1})");
  const walked = [];
  for await (const row of devices) walked.push(row.device);
  assert(walked.length === devices.pagination.total && new Set(walked).size === walked.length,
    `for await over devices visited ${JSON.stringify(walked)}, total ${devices.pagination.total}`);
  let pageCount = 0;
  for await (const page of devices.pages()) pageCount += page.data.length === 1 ? 1 : 0;
  assert(pageCount === devices.pagination.total, `devices.pages() yielded ${pageCount} one-row pages`);
  summary.walkedRows = walked.length;

  // Every registry endpoint is a method: 24 Website API routes, 41 Account API routes.
  const countMethods = (node, seen = new Set()) => {
    let n = 0;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (typeof v === "function") n++;
      else if (v && typeof v === "object" && !seen.has(v)) { seen.add(v); n += countMethods(v, seen); }
    }
    return n;
  };
  const notEndpoints = new Set(["constructor", "request", "free", "toString", "toJSON", "baseUrl", "websiteId"]);
  const surface = (client, proto) => {
    const view = {};
    for (const k of Object.getOwnPropertyNames(proto)) if (!notEndpoints.has(k) && !k.startsWith("__")) view[k] = client[k];
    return countMethods(view);
  };
  const websiteMethods = surface(website, Object.getPrototypeOf(website));
  const adminMethods = surface(admin, Object.getPrototypeOf(admin));
  assert(websiteMethods === 24 && adminMethods === 41,
    `expected 24 + 41 endpoint methods, found ${websiteMethods} + ${adminMethods}`);
  assert(typeof admin.integrations.paddle.connect === "function" && typeof website.analytics.timeseries === "function",
    "methods follow the registry's dotted ids");
  summary.methods = websiteMethods + adminMethods;

  // An account token plus websiteId must see the same website as that website's own key.
  const viaOwner = new WebsiteClient({ token: ownerToken, websiteId: site.id, baseUrl, maxRetries: 0, ...optIn });
  const ownerOverview = await settled(viaOwner.analytics.overview(), "overview() via dft_ token");
  assertDeepEqual(ownerOverview, overview, "overview via dft_ token + websiteId vs via df_ key");
  if (otherSite?.key) {
    // Guards against a client that ignores the token/websiteId and always hits one site.
    const other = new WebsiteClient({ token: otherSite.key, baseUrl, maxRetries: 0, ...optIn });
    const rawOther = await rawGet(baseUrl, "/analytics/overview", otherSite.key);
    const otherOverview = await settled(other.analytics.overview(), "second website overview()");
    assertDeepEqual(otherOverview, rawOther.data[0], "second website's overview vs raw data[0]");
  }

  // Client-side rejection: websites.list accepts only dft_ tokens, so a df_ key must fail
  // before any request. The spy fetch and an unroutable baseUrl both catch a stray request.
  let requests = 0;
  const spyFetch = (...args) => { requests++; return fetch(...args); };
  const keyAdmin = new AdminClient({ token: site.key, baseUrl: "http://127.0.0.1:9", fetch: spyFetch, maxRetries: 0, ...optIn });
  const err = await rejectionOf(() => keyAdmin.websites.list(), "admin.websites.list() with a df_ key");
  assert(err instanceof DataFastError, `error should be a DataFastError, got ${describe(err)}: ${err}`);
  assert(err instanceof Error, "DataFastError should extend Error");
  assert(err.endpoint === "admin.websites.list", `err.endpoint should be "admin.websites.list", got ${JSON.stringify(err.endpoint)}`);
  assert(err.status === 0, `client-side error should have status 0, got ${JSON.stringify(err.status)}`);
  assert(typeof err.code === "string" && err.code.length > 0, `err.code should be a non-empty string, got ${JSON.stringify(err.code)}`);
  assert(requests === 0, `admin.websites.list() with a df_ key made ${requests} request(s)`);
  summary.clientErrorCode = err.code;

  // Server-side rejection travels through fetch and back as a DataFastError with the HTTP status.
  const badToken = "df_" + "0".repeat(32);
  const bad = new WebsiteClient({ token: badToken, baseUrl, maxRetries: 0, ...optIn });
  const httpErr = await rejectionOf(() => bad.analytics.overview(), "overview() with an unknown df_ key");
  assert(httpErr instanceof DataFastError, `HTTP error should be a DataFastError, got ${describe(httpErr)}: ${httpErr}`);
  assert(httpErr.status >= 400 && httpErr.status < 500, `unknown key should give a 4xx status, got ${JSON.stringify(httpErr.status)}`);
  assert(httpErr.endpoint === "analytics.overview", `HTTP error endpoint should be "analytics.overview", got ${JSON.stringify(httpErr.endpoint)}`);
  summary.httpError = `${httpErr.status} ${httpErr.code}`;

  // Secrecy: no way of printing a client or an error may reveal the token.
  for (const [label, client, token] of [["WebsiteClient(df_)", website, site.key], ["AdminClient(dft_)", admin, ownerToken],
    ["WebsiteClient(dft_)", viaOwner, ownerToken], ["AdminClient(df_)", keyAdmin, site.key], ["WebsiteClient(bad)", bad, badToken]]) {
    assertNoToken(`JSON.stringify(${label})`, JSON.stringify(client), token);
    assertNoToken(`String(${label})`, String(client), token);
  }
  for (const [label, e, token] of [["client-side error", err, site.key], ["HTTP error", httpErr, badToken]]) {
    for (const [what, text] of [["message", e.message], ["stack", e.stack], ["String()", String(e)], ["JSON.stringify()", JSON.stringify(e)]]) {
      assertNoToken(`${label} ${what}`, text, token);
    }
  }

  Object.assign(summary, await callChecks(lib, env, { website, site, baseUrl, optIn }));

  if (env.dangerouslyAllowBrowser) {
    // The opt-in exists because a page would leak the token; without it construction must fail.
    let threw = null;
    try { new WebsiteClient({ token: site.key, baseUrl }); } catch (e) { threw = e; }
    assert(threw, "new WebsiteClient() in a browser without dangerouslyAllowBrowser should throw");
    assertNoToken("browser opt-in error message", `${threw.message} ${threw.stack}`, site.key);
    summary.browserOptInError = threw.code ?? threw.name;
  }
  return summary;
}

/** Per-call options, cancellation, the time budget, withResponse, iteration and hooks. */
async function callChecks({ WebsiteClient, DataFastError }, env, { website, site, baseUrl, optIn }) {
  const summary = {};
  // JS names are camelCase; the registry's snake_case ids are not methods.
  assert(typeof website.analytics.operatingSystems === "function" && typeof website.analytics.realtimeMap === "function",
    "camelCase methods analytics.operatingSystems / realtimeMap");
  assert(website.analytics.operating_systems === undefined, "no snake_case method names");
  const os = await settled(website.analytics.operatingSystems({ limit: 2 }), "analytics.operatingSystems()");
  assertDeepEqual(os.data, (await rawGet(baseUrl, "/analytics/operating-systems?limit=2", site.key)).data, "operatingSystems rows vs raw");

  // The promise of a paged call is itself iterable, and collects.
  const devices = await settled(website.analytics.devices({ limit: 1 }), "devices({limit: 1})");
  const rows = [];
  for await (const row of website.analytics.devices({ limit: 1 })) rows.push(row.device);
  assert(rows.length === devices.pagination.total, `for await on the promise visited ${rows.length} of ${devices.pagination.total}`);
  const firstTwo = await settled(website.analytics.devices({ limit: 1 }).toArray({ limit: 2 }), "devices().toArray({limit: 2})");
  assertDeepEqual(firstTwo.map((r) => r.device), rows.slice(0, 2), "toArray({limit: 2})");

  // withResponse: the result plus status, headers and the rate-limit state.
  const withResponse = await settled(website.analytics.overview().withResponse(), "overview().withResponse()");
  assert(withResponse.response.status === 200, `withResponse status ${withResponse.response.status}`);
  assert(typeof withResponse.data.visitors === "number", "withResponse().data is the overview");
  assert(withResponse.rateLimit.limit > 0 && withResponse.rateLimit.remaining >= 0 && withResponse.rateLimit.reset > 1e9,
    `withResponse().rateLimit ${JSON.stringify(withResponse.rateLimit)}`);
  assert(withResponse.response.headers["x-ratelimit-limit"] === String(withResponse.rateLimit.limit), "headers are lower-case");

  // Per-call headers merge over the client's; Authorization cannot be replaced. (A canned
  // answer: a browser would send a custom header only to a server whose CORS allows it.)
  const seen = [];
  const canned = () => new Response(JSON.stringify({ status: "success", data: [{ visitors: 1 }] }), { status: 200 });
  const spy = new WebsiteClient({ token: site.key, baseUrl, ...optIn, fetch: async (url, init) => { seen.push(init); return canned(); } });
  await settled(spy.analytics.overview({}, { headers: { "X-Trace-Id": "t-1" } }), "overview with per-call headers");
  assert(seen[0].headers["X-Trace-Id"] === "t-1" && seen[0].headers.Authorization === `Bearer ${site.key}`, "per-call headers merged");
  const refused = await rejectionOf(() => spy.analytics.overview({}, { headers: { Authorization: "Bearer x" } }), "Authorization per call");
  assert(refused.code === "invalid_options" && refused.field === "headers.Authorization", `Authorization refused: ${refused.code} ${refused.field}`);
  assert(seen.length === 1, "a refused call sends nothing");

  // Aborting rejects promptly with the signal's reason, during the request, a backoff or a
  // rate-limit wait.
  const hung = (url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  const busy = async () => new Response("", { status: 503 });
  const limited = async () => new Response("{}", { status: 429, headers: { "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 20) } });
  for (const [when, fetchFn] of [["request", hung], ["backoff", busy], ["rate-limit wait", limited]]) {
    const client = new WebsiteClient({ token: site.key, baseUrl, ...optIn, fetch: fetchFn, maxRetries: 3 });
    const controller = new AbortController();
    const reason = new Error(`gave up during the ${when}`);
    setTimeout(() => controller.abort(reason), 30);
    const started = Date.now();
    const e = await rejectionOf(() => client.analytics.overview({}, { signal: controller.signal }), `abort during the ${when}`);
    assert(e instanceof DataFastError && e.code === "aborted", `abort during the ${when}: ${e?.code} ${e?.message}`);
    assert(e.cause === reason, `abort during the ${when}: cause is the signal's reason`);
    assert(Date.now() - started < 2000, `abort during the ${when} took ${Date.now() - started} ms`);
  }

  // A call never runs past timeoutMs: a window resetting later fails at once with its reset.
  const far = async () => {
    const reset = Math.floor(Date.now() / 1000) + 59;
    return new Response(JSON.stringify({ error: "Too many requests", message: "Rate limit exceeded", limit: 60, remaining: 0, reset }),
      { status: 429, headers: { "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(reset) } });
  };
  // Unpaced: clients of one token share its window in a process, and this fake one would hold
  // the later calls with the same key until its reset.
  const bounded = new WebsiteClient({ token: site.key, baseUrl, ...optIn, fetch: far, rateLimit: false });
  const startedBounded = Date.now();
  const limitedError = await rejectionOf(() => bounded.analytics.overview({}, { timeoutMs: 3000 }), "429 past the budget");
  assert(limitedError.code === "rate_limited" && limitedError.rateLimit.reset > Date.now() / 1000 + 50,
    `429 past the budget: ${limitedError.code} ${JSON.stringify(limitedError.rateLimit)}`);
  assert(Date.now() - startedBounded < 2000, "a 429 past the budget fails at once");

  // Logging hooks see each attempt, never the token.
  const events = [];
  const logged = new WebsiteClient({ token: site.key, baseUrl, ...optIn,
    onRequest: (e) => events.push(["request", e]), onResponse: (e) => events.push(["response", e]) });
  await settled(logged.analytics.pages({ limit: 2 }), "pages() with hooks");
  assert(events.length === 2 && events[1][1].status === 200 && events[1][1].endpoint === "analytics.pages" &&
    events[0][1].attempt === 1 && events[1][1].url.includes("/api/v1/analytics/pages?limit=2"), `hook events ${JSON.stringify(events)}`);
  assertNoToken("hook events", JSON.stringify(events), site.key);

  // Environment defaults where a server runtime has them (the drivers set DATAFAST_*).
  if (env.runtime === "node" || env.runtime === "deno") {
    const fromEnv = new WebsiteClient();
    assert(fromEnv.baseUrl === baseUrl, `baseUrl from DATAFAST_API_BASE: ${fromEnv.baseUrl}`);
    const viaEnv = await settled(fromEnv.analytics.overview(), "overview() with the token from DATAFAST_SITE_KEY");
    assert(typeof viaEnv.visitors === "number", "environment defaults work");
    summary.environmentDefaults = true;
  }

  // A freed client refuses calls with a DataFastError.
  const freed = new WebsiteClient({ token: site.key, baseUrl, ...optIn });
  freed.free();
  const closed = await rejectionOf(() => freed.analytics.overview(), "a call after free()");
  assert(closed instanceof DataFastError && closed.code === "client_closed", `after free(): ${closed?.code} ${closed}`);
  summary.callChecks = "ok";
  return summary;
}

async function rawGet(baseUrl, path, token) {
  let res;
  try {
    res = await settled(fetch(`${baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } }), `raw GET ${path}`);
  } catch (e) {
    if (e instanceof StuckError) throw e;
    throw new Error(`raw GET ${baseUrl}/api/v1${path} failed (is the emulator running?): ${e?.message ?? e}`);
  }
  const text = await settled(res.text(), `raw GET ${path} body`);
  assert(res.ok, `raw GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text);
  assert(body.status === "success" && Array.isArray(body.data), `raw GET ${path} is not a success envelope: ${text.slice(0, 200)}`);
  return body;
}

async function rejectionOf(fn, what) {
  let result;
  try { result = await settled(fn(), what); } catch (e) {
    if (e instanceof StuckError) throw e;
    return e;
  }
  throw new Error(`${what} should reject, but resolved to ${JSON.stringify(result)?.slice(0, 200)}`);
}

// Every awaited call gets a deadline, so a hang names the call instead of hitting the
// driver's timeout. Well under the drivers' budgets.
const CALL_TIMEOUT_MS = 10_000;

class StuckError extends Error {}

function settled(promise, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StuckError(`${what} did not settle within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

function assertNoToken(where, text, token) {
  assert(!String(text ?? "").includes(token), `${where} contains the token`);
}

function describe(v) {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}

// Structural equality of JSON-like values; key order is irrelevant, the first difference is named.
function assertDeepEqual(actual, expected, what) {
  const diff = firstDifference(actual, expected, "");
  if (diff !== null) {
    const show = (v) => JSON.stringify(v)?.slice(0, 400);
    throw new Error(`${what}: differs at ${diff || "(root)"}\n  actual:   ${show(actual)}\n  expected: ${show(expected)}`);
  }
}

function firstDifference(a, b, path) {
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  // A Map (e.g. from serde-wasm-bindgen defaults) is not the plain object the API returns.
  const proto = Object.getPrototypeOf(a);
  if (!Array.isArray(a) && proto !== Object.prototype && proto !== null) return `${path} (actual is a ${describe(a)})`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (!(k in a) || !(k in b)) return `${path}.${k}`;
    const d = firstDifference(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}
