// The one place the playground touches the client's call path: creating a client, previewing
// a call and sending it. Everything else works on plain data.
import { WebsiteClient, AdminClient, previewRequest } from 'datafast-wasm';

/**
 * A client for the endpoint's surface. `dangerouslyAllowBrowser`: the page is a local tool;
 * the reason is shown beside the credentials. `fetch` records each response's rate-limit
 * headers (see `sendCall`).
 */
function clientFor(endpoint, credentials, recorder) {
  const Client = endpoint.surface === 'admin' ? AdminClient : WebsiteClient;
  return new Client({
    token: credentials.token,
    websiteId: credentials.websiteId || undefined,
    baseUrl: credentials.baseUrl,
    maxRetries: 0,
    dangerouslyAllowBrowser: true,
    fetch: recorder,
  });
}

/** What the call would send (method, URL, masked headers, body); throws the DataFastError it would reject with. */
export function preview(endpoint, args, credentials) {
  return previewRequest(endpoint.id, args, {
    token: credentials.token,
    websiteId: credentials.websiteId || undefined,
    baseUrl: credentials.baseUrl,
  });
}

/**
 * The rate-limit state after a call. Until the client's `.withResponse()` exists, a success
 * reports it only through the response headers (read by the recording fetch); a failure
 * carries it as `error.rateLimit`. Switch to `(await promise.withResponse()).rateLimit` here.
 */
function rateLimitAfter(response, error) {
  if (error?.rateLimit) return error.rateLimit;
  if (!response) return null;
  const num = (name) => {
    const v = response.headers.get(name);
    return v === null || v === '' ? null : Number(v);
  };
  const rl = { limit: num('x-ratelimit-limit'), remaining: num('x-ratelimit-remaining'), reset: num('x-ratelimit-reset') };
  return rl.limit === null && rl.remaining === null && rl.reset === null ? null : rl;
}

/**
 * Sends one call: `endpoint` from the catalogue, `args` = path ids then the parameters object.
 * Resolves to `{ ok, data | error, status, rateLimit, ms, sent }`; `sent` is false when the
 * client refused the call before sending (the checker's errors).
 */
export async function sendCall(endpoint, args, credentials) {
  let lastResponse = null;
  let sent = false;
  const recorder = async (url, init) => {
    sent = true;
    lastResponse = await globalThis.fetch(url, init);
    return lastResponse;
  };
  const started = performance.now();
  try {
    const client = clientFor(endpoint, credentials, recorder);
    const data = await client.request(endpoint.id, args);
    return { ok: true, data, status: lastResponse?.status ?? 0, rateLimit: rateLimitAfter(lastResponse, null), ms: performance.now() - started, sent: true };
  } catch (error) {
    return { ok: false, error, status: error?.status ?? 0, rateLimit: rateLimitAfter(lastResponse, error), ms: performance.now() - started, sent };
  }
}
