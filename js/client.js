// Runtime-independent part of the package: the error class and the namespaced methods.
// Each runtime entry instantiates the wasm module its own way, then calls `finishInit`.
import * as wasm from './datafast_wasm.js';

export const { WebsiteClient, AdminClient } = wasm;
/** What a call would send, checked as a client checks it, without sending it. */
export const { previewRequest } = wasm;

/** Every failure of the client; see the `.d.ts` for its fields. */
export class DataFastError extends Error {
  constructor(fields) {
    super(fields.message);
    Object.defineProperty(this, 'name', { value: 'DataFastError', enumerable: false, configurable: true });
    this.status = fields.status;
    this.code = fields.code;
    this.endpoint = fields.endpoint;
    this.retryable = fields.retryable;
    this.field = fields.field;
    this.rateLimit = fields.rateLimit;
  }
}

const namespaceCache = new WeakMap();
const pagedEndpoints = new Set();

// One call of an endpoint; pages come back able to fetch the pages after them.
async function call(client, id, args) {
  const result = await client.request(id, args);
  return pagedEndpoints.has(id) ? withPaging(client, id, args, result) : result;
}

// The offset of the page after `page`, or null after the last one. `total` (breakdowns,
// timeseries) and `hasMore` (visitors) both say whether rows follow; an empty page ends the
// walk whatever they say, so a walk always terminates.
function nextOffset(page) {
  const p = page.pagination;
  if (!p || !Array.isArray(page.data) || page.data.length === 0) return null;
  const next = (Number(p.offset) || 0) + page.data.length;
  const more = typeof p.hasMore === 'boolean' ? p.hasMore : typeof p.total === 'number' && next < p.total;
  return more ? next : null;
}

// Adds `hasNextPage`, `nextPage`, `pages` and row iteration to a page, as non-enumerable
// members so the page still serializes as the API sent it.
function withPaging(client, id, args, page) {
  if (page === null || typeof page !== 'object') return page;
  const last = args[args.length - 1];
  const hasQuery = last !== null && typeof last === 'object';
  const pathArgs = hasQuery ? args.slice(0, -1) : args;
  const query = hasQuery ? last : {};
  const define = (name, value) =>
    Object.defineProperty(page, name, { value, enumerable: false, configurable: true, writable: true });
  define('hasNextPage', () => nextOffset(page) !== null);
  define('nextPage', () => {
    const offset = nextOffset(page);
    return offset === null ? Promise.resolve(null) : call(client, id, [...pathArgs, { ...query, offset }]);
  });
  define('pages', async function* pages() {
    for (let current = page; current; current = await current.nextPage()) yield current;
  });
  define(Symbol.asyncIterator, async function* rows() {
    for await (const current of page.pages()) yield* current.data;
  });
  return page;
}

// `{ funnels: { create: "admin.funnels.create" } }` → an object of bound methods.
function bindNamespace(client, tree) {
  const ns = {};
  for (const [name, node] of Object.entries(tree)) {
    ns[name] = typeof node === 'string' ? (...args) => call(client, node, args) : bindNamespace(client, node);
  }
  return Object.freeze(ns);
}

// Adds one prototype member per top-level name: a method for a leaf (`identify`), a cached
// getter for a group (`analytics`).
function attach(Class, tree) {
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') {
      Object.defineProperty(Class.prototype, name, {
        value(...args) { return call(this, node, args); },
        configurable: true, writable: true,
      });
      continue;
    }
    Object.defineProperty(Class.prototype, name, {
      get() {
        let groups = namespaceCache.get(this);
        if (!groups) namespaceCache.set(this, (groups = {}));
        return groups[name] ??= bindNamespace(this, node);
      },
      configurable: true,
    });
  }
  // Node's console shows the same redacted description as String(client).
  Object.defineProperty(Class.prototype, Symbol.for('nodejs.util.inspect.custom'), {
    value() { return this.toString(); },
    configurable: true,
  });
}

let initialized = false;

/** Called by each entry once the wasm instance exists. */
export function finishInit() {
  if (initialized) return;
  initialized = true;
  wasm.__setErrorClass(DataFastError);
  const trees = { website: {}, admin: {} };
  for (const [methodPath, id, surface, paged] of wasm.__endpoints()) {
    if (paged) pagedEndpoints.add(id);
    const parts = methodPath.split('.');
    const leaf = parts.pop();
    let node = trees[surface];
    for (const part of parts) node = node[part] ??= {};
    node[leaf] = id;
  }
  attach(WebsiteClient, trees.website);
  attach(AdminClient, trees.admin);
}
