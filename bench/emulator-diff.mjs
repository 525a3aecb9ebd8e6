// Differential check of two emulator builds: both load copies of one state file (same seed,
// same traffic end, so the same events), answer the same analytics requests, and every answer
// must be byte-for-byte equal. Run it when the event store or the analytics change, with the
// build before the change as `--before` (see "Emulator" in bench/README.md).
//
// node bench/emulator-diff.mjs --before BIN --after BIN [--events N] [--work DIR]
//
// Realtime routes are left out: they count from the current time, which moves between the
// two runs. Exit status 1 when any answer differs.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { progress } from './lib.mjs';
import { startEmulator } from '../js/testing.js';

const { values: opts } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string' },
    events: { type: 'string', default: '200000' },
    work: { type: 'string', default: '.work/bench/emulator-diff' },
  },
});
if (!opts.before || !opts.after) {
  console.error('usage: node bench/emulator-diff.mjs --before BIN --after BIN [--events N] [--work DIR]');
  process.exit(2);
}
mkdirSync(opts.work, { recursive: true });

const BREAKDOWNS = ['pages', 'referrers', 'countries', 'regions', 'cities', 'devices', 'browsers',
  'operating-systems', 'campaigns', 'hostnames', 'goals'];
const FILTERS = ['', 'filter_country=US', 'filter_country=US&filter_device=desktop', 'filter_device=is_not:mobile',
  'filter_page=contains:/docs', 'filter_entry_page=/pricing', 'filter_hostname=docs.demo.example.com',
  'filter_goal=signup', 'filter_referrer=Google&filter_browser=Safari', 'filter_utm_source=newsletter'];
const DAY = 86_400_000;
const date = (ms) => new Date(ms).toISOString().slice(0, 10);
/** No range, the last week in dates, and a window of instants read in another zone. */
const ranges = (end) => ['', `startAt=${date(end - 8 * DAY)}&endAt=${date(end - DAY)}`,
  `startAt=${new Date(end - 20 * DAY).toISOString()}&endAt=${new Date(end - 12.3 * DAY).toISOString()}&timezone=Asia/Tokyo`];

/** The requests both builds answer. */
function paths(visitor, end) {
  const out = [];
  for (const range of ranges(end)) {
    for (const filter of FILTERS) {
      const q = [range, filter].filter(Boolean).join('&');
      const qs = q ? `?${q}` : '';
      out.push(`/api/v1/analytics/overview${qs}`);
      out.push(`/api/v1/analytics/timeseries${qs}${qs ? '&' : '?'}interval=day&limit=1000`);
      for (const b of BREAKDOWNS) out.push(`/api/v1/analytics/${b}${qs}${qs ? '&' : '?'}limit=1000`);
      out.push(`/api/v1/visitors${qs}${qs ? '&' : '?'}limit=250`);
    }
  }
  out.push('/api/v1/analytics/metadata', '/api/v1/admin/goals/tracked', `/api/v1/visitors/${visitor}`);
  return out;
}

/** The emulator `bin` on the state file `state` (created with `--events` when missing). */
async function start(bin, state) {
  const e = await startEmulator({ bin, rateLimit: false, events: Number(opts.events), args: ['--state', state] });
  const site = e.tokens.websites.find((w) => w.domain === 'demo.example.com');
  return { stop: e.stop, base: new URL(e.baseUrl), key: site.key, visitor: site.sampleVisitorId, owner: e.tokens.owner };
}

function get(e, path, token) {
  return new Promise((resolve, reject) => {
    const req = request({ host: e.base.hostname, port: e.base.port, path, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve(`${res.statusCode} ${body}`));
      });
    req.on('error', reject);
    req.end();
  });
}

async function answers(bin, name, state) {
  const copy = join(opts.work, `${name}.json`);
  for (const f of [copy, `${copy}.journal`]) rmSync(f, { force: true });
  copyFileSync(state, copy);
  const e = await start(bin, copy);
  try {
    const out = new Map();
    const end = JSON.parse(readFileSync(copy, 'utf8')).trafficEndMs;
    for (const path of paths(e.visitor, end)) {
      const body = await get(e, path, path.includes('/admin/') ? e.owner : e.key);
      // The visitor detail's `timeSince*` count from the current time.
      out.set(path, body.replace(/"timeSince\w+":\d+/g, '"timeSince…":0'));
    }
    return out;
  } finally {
    await e.stop();
  }
}

const state = join(opts.work, 'state.json');
for (const f of [state, `${state}.journal`]) rmSync(f, { force: true });
progress(`creating a state file with --events ${opts.events} (before build)`);
await (await start(opts.before, state)).stop();

progress('answers of the build before');
const before = await answers(opts.before, 'before', state);
progress('answers of the build after');
const after = await answers(opts.after, 'after', state);
let differ = 0;
for (const [path, body] of before) {
  if (after.get(path) !== body) {
    differ++;
    if (differ <= 5) console.log(`DIFFERS ${path}\n  before ${body.slice(0, 300)}\n  after  ${after.get(path)?.slice(0, 300)}`);
  }
}
const ok = [...before.values()].filter((b) => b.startsWith('200 ')).length;
console.log(`${before.size} requests (${ok} answered 200), ${differ} differ`);
process.exit(differ === 0 ? 0 : 1);
