// The playground page: endpoint browser, credentials, generated form, live preview, response.
import { catalog } from 'datafast-wasm/catalog';
import { preview, sendCall } from './api.js';
import { buildForm } from './form.js';
import { curlSnippet, jsSnippet, cliSnippet } from './snippets.js';
import { jsonTree, rowsOf, sortableTable, timeseriesChart, errorCard, describeRateLimit } from './response.js';
import { h } from './dom.js';
import './style.css';

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = 'datafast-playground';

// ---- credentials: memory, or sessionStorage when the box is ticked ----

const cred = { token: $('cred-token'), websiteId: $('cred-website'), baseUrl: $('cred-base'), remember: $('cred-remember') };

function credentials() {
  return { token: cred.token.value.trim(), websiteId: cred.websiteId.value.trim(), baseUrl: cred.baseUrl.value.trim() };
}

function restoreCredentials() {
  cred.baseUrl.value = location.origin;
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    saved = null;
  }
  if (saved) {
    cred.token.value = saved.token ?? '';
    cred.websiteId.value = saved.websiteId ?? '';
    cred.baseUrl.value = saved.baseUrl || location.origin;
    cred.remember.checked = true;
  }
}

function persistCredentials() {
  if (cred.remember.checked) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials()));
  else sessionStorage.removeItem(STORAGE_KEY);
}

$('cred-show').addEventListener('click', (e) => {
  const show = cred.token.type === 'password';
  cred.token.type = show ? 'text' : 'password';
  e.currentTarget.textContent = show ? 'Hide' : 'Show';
  e.currentTarget.setAttribute('aria-pressed', String(show));
});

// ---- endpoint browser ----

const byId = new Map(catalog.endpoints.map((e) => [e.id, e]));
const groupsBox = $('groups');
const links = new Map();

function renderBrowser() {
  for (const group of catalog.groups) {
    const items = catalog.endpoints.filter((e) => e.group === group.id);
    const list = h('ul', {}, items.map((e) => {
      const a = h('a', { href: `#${e.id}`, class: 'ep-link', 'data-id': e.id },
        h('span', { class: `method m-${e.method.toLowerCase()}` }, e.method),
        // Line breaks only after `.` and `_`, never inside a word.
        h('span', { class: 'ep-name' }, e.id.replace(/^admin\./, '').split(/(?<=[._])/).flatMap((part) => [part, h('wbr')])),
        e.tokens.length === 1 ? h('span', { class: 'tag', title: 'Needs a dft_ account token' }, 'dft_') : null);
      links.set(e.id, a);
      return h('li', {}, a);
    }));
    const headingId = `group-${group.id}`;
    groupsBox.append(h('section', { class: 'ep-group', 'data-group': group.id, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, group.title, h('span', { class: 'surface' }, group.surface === 'admin' ? 'Account API' : 'Website API')),
      list));
  }
}

function filterBrowser() {
  const words = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const section of groupsBox.children) {
    let any = false;
    for (const li of section.querySelectorAll('li')) {
      const e = byId.get(li.firstChild.dataset.id);
      const text = `${e.id} ${e.method} ${e.path} ${e.group} ${e.permission}`.toLowerCase();
      const match = words.every((w) => text.includes(w));
      li.hidden = !match;
      any ||= match;
      shown += match ? 1 : 0;
    }
    section.hidden = !any;
  }
  $('search-count').textContent = `${shown} of ${catalog.endpoints.length} endpoints`;
}

// ---- the selected endpoint ----

let current = null; // { endpoint, form, touched }
let lastPreview = null; // { request, args } when the input is valid

function select(id, { focus = false } = {}) {
  const endpoint = byId.get(id);
  if (!endpoint) return;
  for (const [eid, a] of links) a.toggleAttribute('aria-current', eid === id);
  $('ep-title').textContent = endpoint.id;
  const meta = $('ep-meta');
  meta.replaceChildren(
    h('span', { class: `method m-${endpoint.method.toLowerCase()}` }, endpoint.method), ' ',
    h('code', {}, `${catalog.apiPrefix}${endpoint.path}`), ' · ',
    `permission ${endpoint.permission}`, ' · ', `tokens ${endpoint.tokens.join(' or ')}`,
    ...(endpoint.docs ? [' · ', h('a', { href: endpoint.docs, rel: 'noreferrer', target: '_blank' }, 'docs')] : []));
  const defaults = { websiteId: credentials().websiteId };
  // Inline errors wait until the form is used; the preview shows the state from the start.
  current = { endpoint, form: buildForm(endpoint, $('ep-fields'), { pathDefaults: defaults }), touched: false };
  $('ep-error').textContent = '';
  $('copy-status').textContent = '';
  refreshPreview();
  if (focus) $('endpoint').focus();
}

/** Runs the client's checks on the form as it stands; shows the request or the error. */
function refreshPreview() {
  if (!current) return null;
  const { endpoint, form } = current;
  form.clearErrors();
  $('ep-error').textContent = '';
  $('cred-error').textContent = '';
  lastPreview = null;
  const creds = credentials();
  const collected = form.collect();
  if (collected.local) {
    form.showError(collected.local.field, collected.local.message);
    showPreviewText(`Not sent: ${collected.local.message}`);
    return collected.local;
  }
  if (!creds.token) {
    showPreviewText('Enter a token to see the request.');
    return { message: 'Enter a token (a df_ website key or a dft_ account token).', credentials: true };
  }
  try {
    const request = preview(endpoint, collected.args, websiteScoped(endpoint, creds));
    lastPreview = { request, args: collected.args };
    const lines = [`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`)];
    if (request.body !== null) lines.push('', JSON.stringify(JSON.parse(request.body), null, 2));
    showPreviewText(lines.join('\n'));
    renderSnippets();
    return null;
  } catch (error) {
    placeError(error, current.touched);
    showPreviewText(`Not sent: ${error.message}`);
    return error;
  }
}

/** Account API routes take the website from the path: the client options carry none. */
function websiteScoped(endpoint, creds) {
  return endpoint.surface === 'admin' ? { ...creds, websiteId: '' } : creds;
}

const CREDENTIAL_FIELDS = new Set(['token', 'websiteId', 'baseUrl']);
const CREDENTIAL_CODES = new Set(['invalid_token', 'token_not_allowed', 'missing_website_id', 'invalid_options']);

/**
 * An error of the checker goes beside the credentials or under the control it names (once the
 * form has been used: an empty form is not a mistake yet).
 */
function placeError(error, formTouched) {
  const field = error.field ?? '';
  const isPath = current.endpoint.pathParams.some((p) => p.name === field);
  if (CREDENTIAL_CODES.has(error.code) || (CREDENTIAL_FIELDS.has(field) && !isPath)) {
    $('cred-error').textContent = error.message;
    return;
  }
  if (!formTouched) return;
  if (!field || !current.form.showError(field, error.message)) $('ep-error').textContent = error.message;
}

function showPreviewText(text) {
  $('preview').textContent = text;
  if (!lastPreview) for (const k of ['curl', 'js', 'cli']) $(`snippet-${k}`).textContent = '';
}

function snippets() {
  const creds = credentials();
  const { endpoint } = current;
  return {
    curl: curlSnippet(lastPreview.request, creds),
    js: jsSnippet(endpoint, lastPreview.args, websiteScoped(endpoint, creds)),
    cli: cliSnippet(endpoint, lastPreview.args, websiteScoped(endpoint, creds)),
  };
}

function renderSnippets() {
  for (const [k, text] of Object.entries(snippets())) $(`snippet-${k}`).textContent = text;
}

async function copy(kind) {
  const status = $('copy-status');
  if (!lastPreview) {
    status.textContent = 'Nothing to copy: the request is not valid yet.';
    return;
  }
  const text = snippets()[kind];
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `Copied the ${kind === 'js' ? 'JS' : kind === 'cli' ? 'CLI command' : 'curl command'}.`;
  } catch {
    // No clipboard permission: open the snippets and select the text for Ctrl+C.
    document.querySelector('.snippets').open = true;
    const pre = $(`snippet-${kind}`);
    getSelection().selectAllChildren(pre);
    pre.focus();
    status.textContent = 'Select-and-copy: the snippet is selected.';
  }
}

// ---- sending and showing the result ----

async function send() {
  current.touched = true;
  const problem = refreshPreview();
  if (problem) {
    // Nothing is sent: the client would refuse the same input.
    $('status').textContent = `Not sent: ${problem.message}`;
    $('status').className = 'status bad';
    if (problem.credentials) $('cred-error').textContent = problem.message;
    focusFirstError();
    return;
  }
  const { endpoint } = current;
  const button = $('send');
  button.disabled = true;
  $('status').textContent = 'Sending…';
  $('status').className = 'status';
  const result = await sendCall(endpoint, lastPreview.args, websiteScoped(endpoint, credentials()));
  button.disabled = false;
  showResult(endpoint, result);
}

function focusFirstError() {
  const el = $('cred-error').textContent ? cred.token : document.querySelector('#ep-form [aria-invalid]');
  el?.focus();
}

function showResult(endpoint, result) {
  const status = $('status');
  const box = $('response');
  box.replaceChildren();
  const ms = `${Math.round(result.ms)} ms`;
  if (result.ok) {
    status.textContent = `${result.status} · ${endpoint.id} · ${ms}`;
    status.className = 'status ok';
    const rows = rowsOf(result.data);
    if (endpoint.id === 'analytics.timeseries' && rows) {
      box.append(h('h3', {}, 'Chart'), timeseriesChart(result.data, endpoint.params.properties.fields['x-values']));
    }
    if (rows) box.append(h('h3', {}, 'Table'), sortableTable(rows, `${rows.length} row${rows.length === 1 ? '' : 's'} of ${endpoint.id}`));
    box.append(h('h3', {}, 'JSON'), result.data === undefined ? h('p', { class: 'hint' }, 'No content.') : jsonTree(result.data));
  } else {
    const e = result.error;
    status.textContent = result.sent
      ? `${e.status || 'No response'} · ${e.code} · ${ms}`
      : `Not sent: the client refused the call (${e.code})`;
    status.className = 'status bad';
    box.append(errorCard(e));
  }
  const rl = $('ratelimit');
  const parts = describeRateLimit(result.rateLimit);
  rl.hidden = parts.length === 0;
  rl.replaceChildren(h('dt', {}, 'Rate limit'), h('dd', {}, parts.map(([k, v]) => `${k}: ${v}`).join(' · ')));
}

// ---- wiring ----

renderBrowser();
restoreCredentials();
filterBrowser();
$('search').addEventListener('input', filterBrowser);
$('search').addEventListener('keydown', (e) => {
  // Enter opens the first match.
  if (e.key !== 'Enter') return;
  const first = groupsBox.querySelector('li:not([hidden]) a');
  if (first) {
    location.hash = first.dataset.id;
    e.preventDefault();
  }
});
window.addEventListener('hashchange', () => select(decodeURIComponent(location.hash.slice(1)), { focus: true }));
$('credentials').addEventListener('input', (e) => {
  persistCredentials();
  if (e.target === cred.websiteId) current?.form.defaultPath('websiteId', credentials().websiteId);
  refreshPreview();
});
$('credentials').addEventListener('submit', (e) => e.preventDefault());
const touch = () => {
  if (current) current.touched = true;
  refreshPreview();
};
$('ep-form').addEventListener('input', touch);
$('ep-form').addEventListener('change', touch);
$('ep-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
$('reset').addEventListener('click', () => {
  current?.form.clear();
  refreshPreview();
});
for (const b of document.querySelectorAll('[data-copy]')) b.addEventListener('click', () => copy(b.dataset.copy));
select(byId.has(location.hash.slice(1)) ? location.hash.slice(1) : 'analytics.overview');
