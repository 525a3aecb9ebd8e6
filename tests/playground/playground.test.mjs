// The playground in Chromium, served by the emulator (`--www www/dist`): run by run.sh, which
// exports the emulator's address and demo credentials. Screenshots go to .work/playground/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const base = process.env.DATAFAST_API_BASE;
const siteKey = process.env.DATAFAST_SITE_KEY;
const visitorId = process.env.DATAFAST_VISITOR_ID;
assert.ok(base && siteKey && visitorId, 'run through tests/playground/run.sh (needs the emulator variables)');
const shots = '.work/playground';
mkdirSync(shots, { recursive: true });

let browser;
let context;
let page;
const requests = []; // every request the page made: { url, method, headers }

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await context.newPage();
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), headers: r.headers() }));
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${base}/`);
  await tokenInput().fill(siteKey);
});

after(async () => {
  await browser?.close();
});

const apiCalls = () => requests.filter((r) => new URL(r.url).pathname.startsWith('/api/'));

/** Opens an endpoint from the browser list (as a user would, by its link). */
async function open(id) {
  await page.getByRole('link', { name: new RegExp(`${id.replace(/^admin\./, '').replaceAll('.', '\\.')}\\b`) }).first().click();
  await page.getByRole('heading', { level: 2, name: id, exact: true }).waitFor();
}

/** Sends the current form and waits for the status line to settle. */
async function send() {
  const before = apiCalls().length;
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForFunction(() => !document.querySelector('#send').disabled && !/Sending/.test(document.querySelector('#status').textContent));
  return apiCalls().length - before;
}

const status = () => page.locator('#status').innerText();
const tokenInput = () => page.getByRole('textbox', { name: 'Token', exact: true });

/** The control of a form field, found through its label (`<label for><code>name</code> *</label>`). */
async function field(name) {
  const id = await page.locator(`#ep-fields label.label:has(> code:text-is("${name}"))`).getAttribute('for');
  return page.locator(`[id="${id}"]`);
}

/** The rows of the result table as objects of cell text. */
async function tableRows() {
  return page.locator('table.rows').evaluate((t) => {
    const cols = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    return [...t.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries([...tr.children].map((td, i) => [cols[i], td.textContent])));
  });
}

test('lists all 65 endpoints in the docs groups and finds them by search', async () => {
  assert.equal(await page.locator('.ep-link').count(), 65);
  const groups = await page.locator('.ep-group h2').allTextContents();
  assert.ok(groups[0].startsWith('Analytics') && groups[1].startsWith('Breakdowns'), groups.join('|'));
  await page.getByLabel('Search endpoints').fill('funnels');
  assert.match(await page.locator('#search-count').innerText(), /^[1-9]\d* of 65 endpoints$/);
  const visible = await page.locator('.ep-link:visible').allInnerTexts();
  assert.ok(visible.length >= 5 && visible.every((t) => /funnel/.test(t)), visible.join('|'));
  await page.getByLabel('Search endpoints').fill('');
  assert.equal(await page.locator('.ep-link:visible').count(), 65);
});

test('runs overview with a df_ key; the preview shows what was sent, token masked', async () => {
  await open('analytics.overview');
  const preview = await page.locator('#preview').innerText();
  assert.match(preview, new RegExp(`^GET ${base}/api/v1/analytics/overview\\n`));
  assert.match(preview, /Authorization: Bearer df_\[redacted\]/);
  assert.ok(!preview.includes(siteKey), 'the token must not appear in the preview');
  assert.equal(await send(), 1);
  assert.match(await status(), /^200 · analytics\.overview/);
  assert.match(await page.locator('#response .json').innerText(), /"visitors": \d+/);
  assert.match(await page.locator('#ratelimit').innerText(), /Remaining: \d+ of \d+/);
  // The request went out with the token and the headers the preview listed.
  const sent = apiCalls().at(-1);
  assert.equal(sent.headers.authorization, `Bearer ${siteKey}`);
  assert.equal(sent.headers.accept, 'application/json');
  await page.screenshot({ path: `${shots}/overview-desktop.png`, fullPage: true });
});

test('draws the timeseries chart', async () => {
  await open('analytics.timeseries');
  await page.getByRole('checkbox', { name: 'visitors', exact: true }).check();
  await page.getByRole('checkbox', { name: 'sessions', exact: true }).check();
  await (await field('interval')).selectOption('day');
  assert.equal(await send(), 1);
  assert.match(await status(), /^200 · analytics\.timeseries/);
  const canvas = page.locator('.plot canvas');
  await canvas.waitFor();
  // Pixels actually drawn: the series lines, axes and labels.
  const painted = await canvas.evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
  assert.ok(painted > 2000, `only ${painted} pixels drawn`);
  await page.locator('.chart').screenshot({ path: `${shots}/timeseries-chart.png` });
});

test('sorts the pages table by a column, both ways', async () => {
  await open('analytics.pages');
  await (await field('limit')).fill('25');
  assert.equal(await send(), 1);
  const visitors = async () => (await tableRows()).map((r) => Number(r.visitors));
  assert.ok((await visitors()).length > 3);
  const header = page.locator('th', { has: page.getByRole('button', { name: 'visitors' }) });
  await page.getByRole('button', { name: 'visitors', exact: true }).click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  const desc = await visitors();
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'visitors', exact: true }).press('Enter');
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  const asc = await visitors();
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  assert.notDeepEqual(asc, desc);
  // Text columns sort too.
  await page.getByRole('button', { name: 'path', exact: true }).click();
  const paths = (await tableRows()).map((r) => r.path);
  assert.deepEqual(paths, [...paths].sort((a, b) => a.localeCompare(b)));
  await page.locator('.table-wrap').screenshot({ path: `${shots}/pages-table.png` });
});

test('creates a goal and sees its count change', async () => {
  const completions = async () => {
    await open('analytics.goals');
    assert.equal(await send(), 1);
    assert.match(await status(), /^200 · analytics\.goals/);
    const row = (await tableRows().catch(() => [])).find((r) => r.goal === 'playground_signup');
    return row ? Number(row.completions) : 0;
  };
  const before = await completions();
  await open('goals.create');
  await (await field('datafast_visitor_id')).fill(visitorId);
  await (await field('name')).fill('Playground Signup');
  // The body shows the name as the client normalizes it.
  assert.match(await page.locator('#preview').innerText(), /"name": "playground_signup"/);
  assert.equal(await send(), 1);
  assert.match(await status(), /^200 · goals\.create/);
  assert.equal(await completions(), before + 1);
});

test('shows the checker\'s error inline and sends nothing', async () => {
  await open('analytics.pages');
  const limit = await field('limit');
  await limit.fill('5000');
  assert.equal(await send(), 0, 'no request may leave for invalid input');
  assert.match(await status(), /^Not sent: `limit` must be a whole number from 1 to 1000/);
  const error = await limit.getAttribute('aria-describedby').then((ids) => page.locator(`[id="${ids.split(' ')[1]}"]`).innerText());
  assert.equal(error, '`limit` must be a whole number from 1 to 1000');
  assert.equal(await limit.getAttribute('aria-invalid'), '');
  assert.ok(await limit.evaluate((el) => el === document.activeElement), 'focus moves to the field at fault');
  await limit.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/validation-error.png` });
  // A dft_-only route with a df_ key is refused before sending, beside the credentials.
  await open('admin.tokens.list');
  assert.equal(await send(), 0);
  assert.match(await page.locator('#cred-error').innerText(), /accepts only account tokens/);
});

test('copies the request as curl, JS and CLI without the token', async () => {
  await open('analytics.pages');
  await (await field('limit')).fill('10');
  const copied = async (name) => {
    await page.getByRole('button', { name }).click();
    await page.locator('#copy-status').filter({ hasText: 'Copied' }).waitFor();
    return page.evaluate(() => navigator.clipboard.readText());
  };
  const curl = await copied('Copy as curl');
  assert.ok(curl.startsWith(`curl -X GET '${base}/api/v1/analytics/pages?limit=10' \\\n`), curl);
  assert.match(curl, /Bearer \$DATAFAST_SITE_KEY/);
  assert.match(await copied('Copy as JS'), /website\.analytics\.pages\(\{\n {2}"limit": 10\n\}\)/);
  assert.match(await copied('Copy as CLI'), /datafast api analytics\.pages -p limit=10$/);
  for (const text of [curl, await copied('Copy as JS'), await copied('Copy as CLI')]) assert.ok(!text.includes(siteKey));
});

test('an account token with a websiteId calls both surfaces', async () => {
  const ownerToken = process.env.DATAFAST_TOKEN;
  const websiteId = process.env.DATAFAST_WEBSITE_ID;
  await tokenInput().fill(ownerToken);
  await open('analytics.overview');
  assert.match(await page.locator('#cred-error').innerText(), /need `websiteId`/);
  const websiteInput = page.getByRole('textbox', { name: /^Website ID/ });
  await websiteInput.fill(websiteId);
  assert.match(await page.locator('#preview').innerText(), new RegExp(`/analytics/overview\\?websiteId=${websiteId}\n`));
  assert.equal(await send(), 1);
  assert.match(await status(), /^200 · analytics\.overview/);
  // Account API routes take the website from the path, filled in from the credentials.
  await open('admin.funnels.list');
  assert.equal(await (await field('websiteId')).inputValue(), websiteId);
  assert.equal(await send(), 1);
  assert.match(await status(), /^200 · admin\.funnels\.list/);
  await websiteInput.fill('');
  await tokenInput().fill(siteKey);
});

test('shows a 401 for a bad token as the DataFastError fields', async () => {
  await tokenInput().fill('df_notarealkey0000000000');
  await open('analytics.overview');
  assert.equal(await send(), 1);
  assert.match(await status(), /^401 · unauthorized/);
  const card = await page.locator('.error-card').innerText();
  assert.match(card, /status\s+401/);
  assert.match(card, /code\s+"unauthorized"/);
  assert.match(card, /endpoint\s+"analytics\.overview"/);
  assert.ok(!card.includes('df_notarealkey0000000000'));
  // No rate-limit headers on an unauthenticated answer: the rate-limit line is hidden.
  assert.equal(await page.locator('#ratelimit').isVisible(), false);
  await page.locator('#response-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/unauthorized.png` });
  await tokenInput().fill(siteKey);
});

test('passes axe-core without serious violations (result, form with filters, phone)', async () => {
  // Evaluated through the DevTools protocol: the page's CSP forbids inline scripts.
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const check = async (what) => {
    await page.evaluate(axeSource);
    const { violations } = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], what);
  };
  await open('analytics.pages');
  await page.getByRole('button', { name: '+ Add filter' }).click();
  await page.getByLabel('filters 1: values (comma-separated)').fill('/pricing');
  assert.equal(await send(), 1);
  await check('pages with a filter row and a result table');
  await page.setViewportSize({ width: 390, height: 844 });
  await open('analytics.timeseries');
  await page.getByRole('checkbox', { name: 'visitors', exact: true }).check();
  await (await field('interval')).selectOption('week');
  assert.equal(await send(), 1);
  await page.locator('.plot canvas').waitFor();
  await check('phone, timeseries');
  // Readable on a phone: nothing wider than the screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'horizontal scrolling on a phone');
  await page.screenshot({ path: `${shots}/timeseries-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

/**
 * Reloads and waits for the page's script: it runs after the wasm's top-level `await init()`,
 * which may end after the `load` event, and renders the endpoint list in the same turn as it
 * restores the credentials.
 */
async function reload() {
  await page.reload();
  await page.locator('a.ep-link').first().waitFor();
}

test('remembers credentials for the tab only when asked', async () => {
  await reload();
  assert.equal(await tokenInput().inputValue(), '', 'memory only by default');
  await tokenInput().fill(siteKey);
  await page.getByLabel(/Remember for this tab/).check();
  await reload();
  assert.equal(await tokenInput().inputValue(), siteKey);
  await page.getByLabel(/Remember for this tab/).uncheck();
  await reload();
  assert.equal(await tokenInput().inputValue(), '');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
});

test('made no request to any host but the API it serves', () => {
  const origin = new URL(base).origin;
  const foreign = requests.filter((r) => !r.url.startsWith(`${origin}/`) && !r.url.startsWith('data:'));
  assert.deepEqual(foreign.map((r) => r.url), []);
  assert.ok(requests.length > 10);
});
