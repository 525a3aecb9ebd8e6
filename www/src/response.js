// Showing a result: rows as a sortable table, a timeseries as a chart, everything as foldable
// JSON, failures as the DataFastError's fields.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

// ---- JSON with folding (native <details>, so the keyboard works) ----

function scalar(value) {
  if (value === null) return h('span', { class: 'j-null' }, 'null');
  if (typeof value === 'string') return h('span', { class: 'j-str' }, JSON.stringify(value));
  if (typeof value === 'number') return h('span', { class: 'j-num' }, String(value));
  if (typeof value === 'boolean') return h('span', { class: 'j-bool' }, String(value));
  return h('span', {}, String(value));
}

function jsonNode(key, value, depth) {
  const label = key === null ? null : h('span', { class: 'j-key' }, `${JSON.stringify(key)}: `);
  if (value === null || typeof value !== 'object') return h('div', { class: 'j-line' }, label, scalar(value));
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
  const summary = isArray ? `[ ${entries.length} item${entries.length === 1 ? '' : 's'} ]` : `{ ${entries.length} key${entries.length === 1 ? '' : 's'} }`;
  if (entries.length === 0) return h('div', { class: 'j-line' }, label, isArray ? '[]' : '{}');
  return h('details', { class: 'j-node', open: depth < 2 },
    h('summary', {}, label, h('span', { class: 'j-sum' }, summary)),
    h('div', { class: 'j-children' }, entries.map(([k, v]) => jsonNode(isArray ? null : k, v, depth + 1))));
}

export function jsonTree(value) {
  return h('div', { class: 'json' }, jsonNode(null, value, 0));
}

// ---- rows as a sortable table ----

/** The rows of a result worth a table: an array of objects, or a page's `data`. */
export function rowsOf(data) {
  const rows = Array.isArray(data) ? data : Array.isArray(data?.data) ? data.data : null;
  return rows && rows.length && rows.every((r) => r && typeof r === 'object' && !Array.isArray(r)) ? rows : null;
}

const cellText = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function sortableTable(rows, caption) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = new Set(columns.filter((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === 'number')));
  const tbody = h('tbody');
  const headers = [];
  let sort = { column: null, dir: 1 };
  const render = () => {
    const sorted = sort.column === null ? rows : [...rows].sort((a, b) => {
      const x = a[sort.column];
      const y = b[sort.column];
      const cmp = numeric.has(sort.column) ? (x ?? -Infinity) - (y ?? -Infinity) : cellText(x).localeCompare(cellText(y));
      return cmp * sort.dir;
    });
    tbody.replaceChildren(...sorted.map((r) => h('tr', {}, columns.map((c) => h('td', { class: numeric.has(c) ? 'num' : undefined }, cellText(r[c]))))));
    headers.forEach((th, i) => th.setAttribute('aria-sort', columns[i] === sort.column ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'));
  };
  const head = h('tr', {}, columns.map((c) => {
    const th = h('th', { scope: 'col', class: numeric.has(c) ? 'num' : undefined },
      h('button', { type: 'button', class: 'sort', onclick: () => {
        sort = { column: c, dir: sort.column === c ? -sort.dir : numeric.has(c) ? -1 : 1 };
        render();
      } }, c, h('span', { class: 'sort-mark', 'aria-hidden': 'true' })));
    headers.push(th);
    return th;
  }));
  render();
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: 'rows' }, h('caption', {}, caption, h('span', { class: 'hint' }, ' — choose a column heading to sort')), h('thead', {}, head), tbody));
}

// ---- timeseries as a chart ----

const SERIES_COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c'];

/**
 * Draws a timeseries page (rows with `timestamp` and numeric metrics) into a new element;
 * `fields` are the endpoint's `fields` values from the catalogue, in its order.
 */
export function timeseriesChart(page, fields) {
  const rows = page.data.filter((r) => typeof r.timestamp === 'string');
  const metrics = fields.filter((m) => rows.some((r) => typeof r[m] === 'number'));
  const box = h('figure', { class: 'chart' });
  const plotBox = h('div', { class: 'plot', role: 'img', 'aria-label': `Chart of ${metrics.join(', ')} per ${page.interval ?? 'bucket'}, ${rows.length} points` });
  box.append(plotBox, h('figcaption', { class: 'hint' }, `${metrics.join(', ')} per ${page.interval ?? 'bucket'}${page.timezone ? ` (${page.timezone})` : ''}`));
  const data = [rows.map((r) => Date.parse(r.timestamp) / 1000), ...metrics.map((m) => rows.map((r) => r[m] ?? null))];
  const opts = {
    width: 600,
    height: 260,
    series: [{}, ...metrics.map((m, i) => ({ label: m, stroke: SERIES_COLORS[i % SERIES_COLORS.length], width: 2, scale: m === 'revenue' || m === 'conversion_rate' ? m : 'count' }))],
    axes: [{}, { scale: 'count' }, ...metrics.filter((m) => m === 'revenue').map(() => ({ scale: 'revenue', side: 1, grid: { show: false } }))],
    legend: { live: false },
  };
  // Sized once it is in the page, and again when its box changes (phones, rotation).
  requestAnimationFrame(() => {
    const plot = new uPlot({ ...opts, width: Math.max(260, plotBox.clientWidth) }, data, plotBox);
    new ResizeObserver(() => plot.setSize({ width: Math.max(260, plotBox.clientWidth), height: 260 })).observe(plotBox);
  });
  return box;
}

// ---- failures and rate limits ----

export function errorCard(error) {
  const fields = ['name', 'status', 'code', 'message', 'endpoint', 'field', 'retryable', 'rateLimit'];
  return h('div', { class: 'error-card' },
    h('h3', {}, 'DataFastError'),
    h('dl', {}, fields.flatMap((f) => [h('dt', {}, f), h('dd', {}, h('code', {}, f === 'message' ? String(error?.[f] ?? '') : JSON.stringify(error?.[f] ?? null)))])));
}

export function describeRateLimit(rl, now = Date.now() / 1000) {
  if (!rl) return [];
  const out = [];
  if (rl.remaining !== null && rl.limit !== null) out.push(['Remaining', `${rl.remaining} of ${rl.limit}`]);
  if (rl.reset !== null) out.push(['Resets', `in ${Math.max(0, Math.round(rl.reset - now))} s`]);
  return out;
}
