// The emulator benchmark's large data set: a `--state` file whose demo website holds a given
// number of events.
//
// The emulator's generator cannot make it: crates/emulator/src/seed.rs draws
// `visitors_per_30_days × min(days, 180) / 30` visitors per website, so --days above 180
// spreads the same ~121,000 events (both websites) over more days. The state file is the one
// way to load more into the real binary: its format (crates/emulator/src/persist.rs) keeps,
// per website, how many generated events open the list (`seeded`) and the events after them
// (`added`), which the emulator loads as they are. This module appends synthetic events to a
// state file the emulator wrote itself, so seed, fingerprint and accounts stay valid.
//
// The synthetic traffic follows the demo website's profile in seed.rs in its main weights
// (home market US ×5, devices 58/36/6, referrers, 14% UTM sessions, entry pages and pages,
// session and pageview counts, goals, 2% paying visitors, local-daytime peak); region and city
// lists are shorter. It lies within the same days as the generated traffic, deterministic
// for a given seed. Events are written in time order after the generated ones.
import { openSync, writeSync, closeSync, readFileSync } from 'node:fs';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const COUNTRIES = [
  ['United States', 'US', 150, [['California', ['San Francisco', 'Los Angeles']], ['New York', ['New York']], ['Texas', ['Austin']]]],
  ['United Kingdom', 'GB', 9, [['England', ['London', 'Manchester']], ['Scotland', ['Edinburgh']]]],
  ['Germany', 'DE', 8, [['Berlin', ['Berlin']], ['Bavaria', ['Munich']]]],
  ['France', 'FR', 7, [['Île-de-France', ['Paris']], ['Auvergne-Rhône-Alpes', ['Lyon']]]],
  ['India', 'IN', 7, [['Karnataka', ['Bengaluru']], ['Maharashtra', ['Mumbai']]]],
  ['Canada', 'CA', 5, [['Ontario', ['Toronto']], ['Quebec', ['Montreal']]]],
  ['Netherlands', 'NL', 3, [['North Holland', ['Amsterdam']]]],
  ['Brazil', 'BR', 3, [['São Paulo', ['São Paulo']]]],
  ['Spain', 'ES', 3, [['Madrid', ['Madrid']]]],
  ['Australia', 'AU', 3, [['New South Wales', ['Sydney']]]],
  ['Japan', 'JP', 2, [['Tokyo', ['Tokyo']]]],
  ['Sweden', 'SE', 2, [['Stockholm', ['Stockholm']]]],
  ['Poland', 'PL', 2, [['Masovia', ['Warsaw']]]],
  ['Italy', 'IT', 2, [['Lombardy', ['Milan']]]],
  ['Singapore', 'SG', 1, [['Singapore', ['Singapore']]]],
].map(([name, code, weight, regions]) => [{ name, code, regions }, weight]);

const DEVICES = [['desktop', 58], ['mobile', 36], ['tablet', 6]];
const OS_BY_DEVICE = {
  desktop: [['Windows', 48], ['Mac OS', 38], ['Linux', 10], ['Chrome OS', 4]],
  mobile: [['iOS', 45], ['Android', 55]],
  tablet: [['iOS', 70], ['Android', 30]],
};
const BROWSERS_BY_OS = {
  'Mac OS': [['Chrome', 55], ['Safari', 30], ['Firefox', 8], ['Edge', 3], ['Brave', 4]],
  Windows: [['Chrome', 65], ['Edge', 22], ['Firefox', 11], ['Brave', 2]],
  Linux: [['Chrome', 55], ['Firefox', 40], ['Brave', 5]],
  'Chrome OS': [['Chrome', 1]],
  iOS: [['Mobile Safari', 75], ['Chrome', 20], ['Firefox', 5]],
  Android: [['Chrome', 80], ['Samsung Internet', 15], ['Firefox', 5]],
};
const REFERRERS = [
  [['Direct/None', ''], 34], [['Google', 'google.com'], 27], [['X', 'x.com'], 7], [['GitHub', 'github.com'], 6],
  [['Hacker News', 'news.ycombinator.com'], 5], [['Reddit', 'reddit.com'], 5], [['LinkedIn', 'linkedin.com'], 3],
  [['Bing', 'bing.com'], 3], [['DuckDuckGo', 'duckduckgo.com'], 2], [['Product Hunt', 'producthunt.com'], 2],
  [['Facebook', 'facebook.com'], 2], [['dev.to', 'dev.to'], 2], [['indiepage.com', 'indiepage.com'], 2],
];
const CAMPAIGNS = [
  [['newsletter', 'email', 'spring_launch', '', ''], 4],
  [['twitter', 'social', 'launch_week', '', 'thread'], 3],
  [['google', 'cpc', 'brand_search', 'web analytics', 'ad_a'], 2],
  [['google', 'cpc', 'brand_search', 'privacy analytics', 'ad_b'], 2],
  [['producthunt', 'referral', 'ph_launch', '', ''], 1],
];
const HOSTS = [['demo.example.com', 94], ['www.demo.example.com', 6]];
const DOCS_HOST = 'docs.demo.example.com';
const ENTRY_PAGES = [
  ['/', 40], ['/blog/privacy-first-analytics', 8], ['/blog/how-we-grew-to-10k', 7], ['/blog/rust-and-wasm', 5],
  ['/blog/launch-announcement', 4], ['/docs/getting-started', 8], ['/docs', 5], ['/pricing', 8], ['/features', 5],
  ['/integrations/stripe', 2], ['/changelog', 2], ['/login', 6],
];
const PAGES = [
  ['/', 14], ['/pricing', 12], ['/features', 8], ['/docs', 8], ['/docs/getting-started', 8], ['/docs/installation', 5],
  ['/docs/api', 5], ['/docs/api/authentication', 3], ['/docs/goals', 3], ['/docs/revenue', 3], ['/blog', 5],
  ['/blog/launch-announcement', 4], ['/blog/privacy-first-analytics', 4], ['/blog/how-we-grew-to-10k', 3],
  ['/blog/rust-and-wasm', 3], ['/changelog', 3], ['/about', 2], ['/contact', 2], ['/signup', 6], ['/login', 4],
  ['/integrations/stripe', 2],
];
/** `[goal, chance per session, page it happens on or null = any viewed page]`. */
const GOALS = [['signup', 0.07, '/signup'], ['newsletter_signup', 0.04, null], ['demo_request', 0.015, '/contact'], ['docs_search', 0.05, '/docs']];
const SESSIONS_PER_VISITOR = [[1, 65], [2, 20], [3, 9], [4, 4], [6, 2]];
const PAGEVIEWS_PER_SESSION = [[1, 45], [2, 20], [3, 14], [4, 9], [5, 6], [7, 4], [10, 2]];
const PAYMENT_CHANCE = 0.02;
const CHECKOUT_PATH = '/pricing';
const PRICES = [9, 19, 29, 49, 99, 199];
const CURRENCY = 'USD';
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 10, 10, 9, 9, 8, 7, 7, 6, 5, 4, 3];

/** mulberry32: small, fast and deterministic; statistical quality is enough for test data. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const word = () => ((next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  const hex = (n) => {
    let s = '';
    while (s.length < n) s += word();
    return s.slice(0, n);
  };
  return {
    next,
    chance: (p) => next() < p,
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo)),
    pick: (list) => list[Math.floor(next() * list.length)],
    weighted(list) {
      let total = 0;
      for (const [, w] of list) total += w;
      let r = next() * total;
      for (const [v, w] of list) if ((r -= w) < 0) return v;
      return list[list.length - 1][0];
    },
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[(next() * 4) | 0]}${hex(3)}-${hex(12)}`,
  };
}

/**
 * `count` synthetic events in `[end − days, end)`, as compact columns sorted by time:
 * `{ count, ts, session, host, path, kind, extra, sessions }`. Strings are indexes into the
 * tables above; `sessions[i]` holds the visitor id, session id and the dims as JSON.
 */
function syntheticEvents(count, { endMs, days, seed }) {
  const r = rng(seed);
  const start = endMs - days * DAY_MS;
  const ts = new Float64Array(count);
  const session = new Uint32Array(count);
  const kind = new Uint8Array(count); // 0 pageview, 1 goal, 2 payment
  const host = [];
  const path = [];
  const extra = []; // goal name or payment amount
  const sessions = [];
  let n = 0;
  const push = (t, s, k, h, p, x = null) => {
    if (n >= count) return;
    ts[n] = t; session[n] = s; kind[n] = k; host[n] = h; path[n] = p; extra[n] = x;
    n += 1;
  };
  const daytime = () => {
    let t = r.range(start, endMs);
    for (let i = 0; i < 8 && r.next() * 10 >= HOUR_WEIGHTS[Math.floor((t % DAY_MS) / HOUR_MS)]; i++) t = r.range(start, endMs);
    return t;
  };

  while (n < count) {
    const country = r.weighted(COUNTRIES);
    const [region, cities] = r.pick(country.regions);
    const device = r.weighted(DEVICES);
    const os = r.weighted(OS_BY_DEVICE[device]);
    const visitor = {
      id: r.uuid(), country: country.name, countryCode: country.code, region, city: r.pick(cities),
      device, browser: r.weighted(BROWSERS_BY_OS[os]), os,
    };
    const visits = r.weighted(SESSIONS_PER_VISITOR);
    const pays = r.chance(PAYMENT_CHANCE);
    let t = daytime();
    for (let v = 0; v < visits && t < endMs && n < count; v++) {
      const last = v + 1 === visits;
      t = syntheticSession(r, visitor, t, pays && last, endMs, sessions, push) + r.range(HOUR_MS, 5 * DAY_MS);
    }
  }
  const order = new Uint32Array(count).map((_, i) => i).sort((a, b) => ts[a] - ts[b] || a - b);
  return { count, ts, session, kind, host, path, extra, sessions, order };
}

/** One session from `t`; returns the time of its last event. */
function syntheticSession(r, visitor, t, pays, endMs, sessions, push) {
  const [referrer, referrerDomain] = r.weighted(REFERRERS);
  const [utmSource, utmMedium, utmCampaign, utmTerm, utmContent] = r.chance(0.14) ? r.weighted(CAMPAIGNS) : ['', '', '', '', ''];
  // Spelled out, not spread: object spread made this loop ten times slower.
  const dims = {
    country: visitor.country, country_code: visitor.countryCode, region: visitor.region, city: visitor.city,
    device: visitor.device, browser: visitor.browser, os: visitor.os,
    referrer, referrer_domain: referrerDomain, utm_source: utmSource, utm_medium: utmMedium,
    utm_campaign: utmCampaign, utm_term: utmTerm, utm_content: utmContent,
    ref_param: r.chance(0.04) ? r.pick(['indiepage', 'betalist', 'saashub']) : '',
    source_param: r.chance(0.02) ? r.pick(['newsletter', 'podcast']) : '',
    via_param: r.chance(0.02) ? r.pick(['alex', 'partner_jane']) : '',
  };
  const s = sessions.push({ visitor: visitor.id, session: `s_${r.hex(16)}`, dims: JSON.stringify(dims) }) - 1;
  const sessionHost = r.weighted(HOSTS);
  const paths = [r.weighted(ENTRY_PAGES)];
  for (let i = r.weighted(PAGEVIEWS_PER_SESSION); i > 1; i--) paths.push(r.weighted(PAGES));
  if (pays) paths.push(CHECKOUT_PATH);
  const viewed = [];
  for (const p of paths) {
    if (t >= endMs) break;
    const h = p.startsWith('/docs') && r.chance(0.5) ? DOCS_HOST : sessionHost;
    push(t, s, 0, h, p);
    viewed.push([t, p, h]);
    t += r.range(5_000, 180_000);
  }
  if (viewed.length === 0) return t;
  let last = viewed[viewed.length - 1][0];
  for (const [goal, chance, page] of GOALS) {
    if (!r.chance(chance)) continue;
    const [at, p] = viewed.find(([, vp]) => vp === page) ?? r.pick(viewed);
    const goalTs = Math.min(at + r.range(2_000, 30_000), endMs - 1);
    push(goalTs, s, 1, r.weighted(HOSTS), p, goal);
    last = Math.max(last, goalTs);
  }
  if (pays) {
    const [, p, h] = viewed[viewed.length - 1];
    const payTs = last + r.range(5_000, 60_000);
    if (payTs < endMs) push(payTs, s, 2, h, p, r.pick(PRICES));
  }
  return last;
}

/** One event as the state file stores it (the emulator's `Event`, serde field names). */
function eventJson(e, i, idPrefix) {
  const s = e.sessions[e.session[i]];
  const k = e.kind[i];
  const id = idPrefix + i.toString(16).padStart(24 - idPrefix.length, '0');
  const goal = k === 1 ? JSON.stringify(e.extra[i]) : 'null';
  const money = k === 2 ? `"amount":${e.extra[i]},"currency":"${CURRENCY}"` : '"amount":null,"currency":null';
  return `{"id":"${id}","visitor_id":"${s.visitor}","session_id":"${s.session}","ts":${e.ts[i]},` +
    `"kind":"${['pageview', 'goal', 'payment'][k]}","hostname":"${e.host[i]}","path":"${e.path[i]}","dims":${s.dims},` +
    `"goal_name":${goal},"description":null,"metadata":[],${money},"payment":null}`;
}

/**
 * Writes `outPath`: the state file at `basePath` (written by the emulator, unchanged since)
 * with synthetic events appended to the website on `domain` until it holds `total` events.
 * Returns `{ websiteId, seeded, added, bytes }`.
 */
export function writeLargeState(basePath, outPath, { domain, total, seed = 42 }) {
  const base = JSON.parse(readFileSync(basePath, 'utf8'));
  const website = base.store.websites.find((w) => w.domain === domain);
  if (!website) throw new Error(`${basePath} has no website ${domain}`);
  const slot = base.events[website.id];
  if (!slot || slot.added.length !== 0) throw new Error(`${basePath}: expected the untouched generated events of ${domain}`);
  const added = total - slot.seeded;
  if (added < 0) throw new Error(`${domain} already has ${slot.seeded} generated events, more than ${total}`);
  const events = syntheticEvents(added, { endMs: base.trafficEndMs, days: base.days, seed });

  // The base file with a marker where the events go, split around it and streamed.
  const marker = '__ADDED_EVENTS__';
  slot.added = marker;
  const [head, tail] = JSON.stringify(base).split(JSON.stringify(marker));
  const fd = openSync(outPath, 'w');
  let bytes = 0;
  const write = (s) => { bytes += writeSync(fd, s); };
  try {
    write(head + '[');
    const idPrefix = 'b'; // ids the generator (24 hex digits from its RNG) is unlikely to make
    let chunk = '';
    for (let j = 0; j < events.count; j++) {
      chunk += (j === 0 ? '' : ',') + eventJson(events, events.order[j], idPrefix);
      if (chunk.length > 1 << 22) { write(chunk); chunk = ''; }
    }
    write(chunk + ']' + tail + '\n');
  } finally {
    closeSync(fd);
  }
  return { websiteId: website.id, seeded: slot.seeded, added, bytes };
}
