// Runtime-independent part of the package: the error class and the namespaced methods.
// Each runtime entry instantiates the wasm module its own way, then calls `finishInit`.
import * as wasm from './datafast_wasm.js';

export const { WebsiteClient, AdminClient } = wasm;

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

// `{ funnels: { create: "admin.funnels.create" } }` → an object of bound methods.
function bindNamespace(client, tree) {
  const ns = {};
  for (const [name, node] of Object.entries(tree)) {
    ns[name] = typeof node === 'string' ? (...args) => client.request(node, args) : bindNamespace(client, node);
  }
  return Object.freeze(ns);
}

// Adds one prototype member per top-level name: a method for a leaf (`identify`), a cached
// getter for a group (`analytics`).
function attach(Class, tree) {
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') {
      Object.defineProperty(Class.prototype, name, {
        value(...args) { return this.request(node, args); },
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
  for (const [methodPath, id, surface] of wasm.__endpoints()) {
    const parts = methodPath.split('.');
    const leaf = parts.pop();
    let node = trees[surface];
    for (const part of parts) node = node[part] ??= {};
    node[leaf] = id;
  }
  attach(WebsiteClient, trees.website);
  attach(AdminClient, trees.admin);
}
