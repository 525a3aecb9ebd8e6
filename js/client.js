// Runtime-independent part of the package: the error class, the two client classes with
// their namespaced methods, and environment defaults. Each runtime entry instantiates the
// wasm module its own way, then calls `finishInit`.
import * as wasm from './datafast_wasm.js';
import { callEndpoint, configureDriver, plainParams, setLocalErrorFactory } from './driver.js';

// Frames from this package's own files (and the wasm) are dropped from error stacks, so an
// uncaught error points at the caller's line. Only the package's file names in this file's
// folder count: once a bundler has merged the package into an app's file, nothing of that
// file is dropped (the app's frames stay). Bundlers may leave no usable import.meta.url
// (workerd bundles): then only the wasm frames are recognised.
const PACKAGE_FILE = packageFilePattern();
function packageFilePattern() {
  try {
    // Bundled into an app's file (not one of the package's own): recognise no package files.
    const names = '(datafast_wasm|client|driver|instance|node|deno|workerd|browser|inline)\\.c?js';
    if (!new RegExp(`/${names}$`).test(new URL(import.meta.url).pathname)) return null;
    // Stacks name ES modules by URL and CommonJS files by path.
    const folder = new URL('.', import.meta.url);
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(${escape(folder.href)}|${escape(decodeURIComponent(folder.pathname))})${names}:`);
  } catch {
    return null;
  }
}

/** Every failure of the client; see the `.d.ts` for its fields. */
export class DataFastError extends Error {
  constructor(fields) {
    // The stack passes through the package and the wasm before it reaches the caller: capture
    // deeper than the runtime's default (V8: 10 frames), then keep the caller's frames only.
    const limit = Error.stackTraceLimit;
    if (typeof limit === 'number') Error.stackTraceLimit = limit + 40;
    super(fields.message);
    if (typeof limit === 'number') Error.stackTraceLimit = limit;
    Object.defineProperty(this, 'name', { value: 'DataFastError', enumerable: false, configurable: true, writable: true });
    this.status = fields.status;
    this.code = fields.code;
    this.endpoint = fields.endpoint;
    this.retryable = fields.retryable;
    this.field = fields.field;
    this.rateLimit = fields.rateLimit;
    this.headers = fields.headers ?? null;
    trimStack(this, typeof limit === 'number' ? limit : Infinity);
  }

  /** `JSON.stringify(error)` keeps the message (an Error's own `message` is not enumerable). */
  toJSON() {
    const { name, message, status, code, endpoint, retryable, field, rateLimit, headers } = this;
    return { name, message, status, code, endpoint, retryable, field, rateLimit, headers };
  }
}

function trimStack(error, frames) {
  const stack = error.stack;
  if (typeof stack !== 'string') return;
  const lines = stack.split('\n');
  const fromPackage = (line) =>
    (PACKAGE_FILE !== null && PACKAGE_FILE.test(line)) || line.includes('wasm://') || line.includes('(node:internal/');
  const kept = lines.filter((line, i) => i === 0 || !fromPackage(line)).slice(0, frames + 1);
  error.stack = kept.join('\n');
}

// Environment defaults (Node and Deno only): the names DataFast's own CLI reads.
let readEnv = null;

function withEnvironment(options, surface) {
  if (readEnv === null) return options;
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') return options;
  let token, baseUrl;
  try {
    ({ token, baseUrl } = options);
  } catch {
    return options; // the constructor reports the unreadable option by name
  }
  if (token != null && baseUrl != null) return options;
  const env = (name) => {
    try {
      const v = readEnv(name);
      return typeof v === 'string' && v !== '' ? v : undefined;
    } catch {
      return undefined; // e.g. Deno without --allow-env
    }
  };
  // A copy of the caller's properties as they are (getters stay getters, unread), so the
  // constructor still reports each option by name.
  let merged;
  try {
    merged = Object.defineProperties({}, Object.getOwnPropertyDescriptors(options));
  } catch {
    return options;
  }
  if (token == null) {
    const names = surface === 'website' ? ['DATAFAST_SITE_KEY', 'DATAFAST_TOKEN'] : ['DATAFAST_TOKEN', 'DATAFAST_SITE_KEY'];
    const fromEnv = env(names[0]) ?? env(names[1]);
    if (fromEnv !== undefined) merged.token = fromEnv;
  }
  if (baseUrl == null) {
    const fromEnv = env('DATAFAST_API_BASE');
    if (fromEnv !== undefined) merged.baseUrl = fromEnv;
  }
  return merged;
}

// Set by the entry (js/instance.js): instantiates the wasm, synchronously, if it is not yet.
let instantiate = () => {};
export function setInstantiate(fn) {
  instantiate = fn;
}

export class WebsiteClient extends wasm.WebsiteClient {
  constructor(options) {
    instantiate();
    super(withEnvironment(options, 'website'));
  }
}

export class AdminClient extends wasm.AdminClient {
  constructor(options) {
    instantiate();
    super(withEnvironment(options, 'admin'));
  }
}

const endpointIndex = new Map();
const namespaceCache = new WeakMap();

// `{ funnels: { create: 12 } }` (registry indexes) → an object of bound methods.
function bindNamespace(client, tree) {
  const ns = {};
  for (const [name, node] of Object.entries(tree)) {
    ns[name] = typeof node === 'number' ? (...args) => callEndpoint(client, node, args) : bindNamespace(client, node);
  }
  return Object.freeze(ns);
}

// Adds one prototype member per top-level name: a method for a leaf (`identify`), a cached
// getter for a group (`analytics`); and `request(endpointId, …args)` for calls by registry id.
function attach(Class, surface, tree) {
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'number') {
      Object.defineProperty(Class.prototype, name, {
        value(...args) { return callEndpoint(this, node, args); },
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
  Object.defineProperty(Class.prototype, 'request', {
    value(endpointId, ...args) {
      let index;
      try {
        index = endpointIndexOf(endpointId, surface);
      } catch (error) {
        return Promise.reject(error);
      }
      return callEndpoint(this, index, args);
    },
    configurable: true, writable: true,
  });
  // Node's console shows the same redacted description as String(client).
  Object.defineProperty(Class.prototype, Symbol.for('nodejs.util.inspect.custom'), {
    value() { return this.toString(); },
    configurable: true,
  });
}

/**
 * What a call would send, checked as a client checks it, without sending it (the playground's
 * preview): `previewRequest("analytics.pages", [{ limit: 10 }], { token })`.
 */
export function previewRequest(endpointId, args, options) {
  instantiate();
  const index = endpointIndexOf(endpointId, null);
  const list = Array.isArray(args) ? args : [];
  return wasm.__preview(index, list, plainParams(index, list), options ?? {});
}

/** The registry index of `endpointId` (of `surface`, when given), or the DataFastError naming it. */
function endpointIndexOf(endpointId, surface) {
  const entry = endpointIndex.get(endpointId);
  if (entry !== undefined && (surface === null || entry.surface === surface)) return entry.index;
  const known = typeof endpointId === 'string' ? `\`${endpointId}\`` : `a ${typeof endpointId}`;
  const whose = surface === null ? '' : ' of this client';
  throw wasm.__localError('invalid_params', 'endpoint', `${known} is not an endpoint id${whose}`, undefined);
}

let initialized = false;

/**
 * Called by each entry once the wasm instance exists. `runtime.env` reads an environment
 * variable (Node, Deno); `runtime.server` says whether a User-Agent may be set;
 * `runtime.onNewSignal` prepares each AbortSignal the driver shares between requests.
 */
export function finishInit(runtime = {}) {
  if (initialized) return;
  initialized = true;
  readEnv = runtime.env ?? null;
  wasm.__setErrorClass(DataFastError);
  setLocalErrorFactory(wasm.__localError);
  const rows = wasm.__endpoints();
  configureDriver({
    endpoints: rows,
    userAgent: runtime.server ? `datafast-wasm/${wasm.__version()}` : null,
    onNewSignal: runtime.onNewSignal,
  });
  const trees = { website: {}, admin: {} };
  rows.forEach(([methodPath, id, surface], index) => {
    endpointIndex.set(id, { index, surface });
    const parts = methodPath.split('.');
    const leaf = parts.pop();
    let node = trees[surface];
    for (const part of parts) node = node[part] ??= {};
    node[leaf] = index;
  });
  attach(WebsiteClient, 'website', trees.website);
  attach(AdminClient, 'admin', trees.admin);
}
