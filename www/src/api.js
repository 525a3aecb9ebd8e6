// The one place the playground touches the client's call path: creating a client, previewing
// a call and sending it. Everything else works on plain data.
import { WebsiteClient, AdminClient, previewRequest } from 'datafast-wasm';

/**
 * A client for the endpoint's surface. `dangerouslyAllowBrowser`: the page is a local tool;
 * the reason is shown beside the credentials. `fetch` records whether anything was sent.
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
 * Sends one call: `endpoint` from the catalogue, `args` = path ids then the parameters object.
 * Resolves to `{ ok, data | error, status, rateLimit, ms, sent }`; `sent` is false when the
 * client refused the call before sending (the checker's errors).
 */
export async function sendCall(endpoint, args, credentials) {
  let sent = false;
  const recorder = (url, init) => {
    sent = true;
    return globalThis.fetch(url, init);
  };
  const started = performance.now();
  try {
    const client = clientFor(endpoint, credentials, recorder);
    const { data, response, rateLimit } = await client.request(endpoint.id, ...args).withResponse();
    const known = rateLimit.limit !== null || rateLimit.remaining !== null || rateLimit.reset !== null;
    return { ok: true, data, status: response.status, rateLimit: known ? rateLimit : null, ms: performance.now() - started, sent: true };
  } catch (error) {
    return { ok: false, error, status: error?.status ?? 0, rateLimit: error?.rateLimit ?? null, ms: performance.now() - started, sent };
  }
}
