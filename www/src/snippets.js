// The previewed request as something to paste: curl, JS with this package, the `datafast` CLI.
// None of them contains the token: each reads it from the environment variable the CLI uses.
import { catalog } from 'datafast-wasm/catalog';

/** Quotes a word for POSIX shells. */
export function shellQuote(s) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The environment variable holding this kind of token (the CLI's names). */
function tokenVariable(token) {
  return token.startsWith('dft_') ? 'DATAFAST_TOKEN' : 'DATAFAST_SITE_KEY';
}

export function curlSnippet(request, credentials) {
  const lines = [`curl -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    // The real value from the environment, never the (masked) preview value.
    lines.push(name === 'Authorization' ? `-H "Authorization: Bearer $${tokenVariable(credentials.token)}"` : `-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body !== null) lines.push(`--data ${shellQuote(request.body)}`);
  return lines.join(' \\\n  ');
}


export function jsSnippet(endpoint, args, credentials) {
  const admin = endpoint.surface === 'admin';
  const Class = admin ? 'AdminClient' : 'WebsiteClient';
  const variable = admin ? 'admin' : 'website';
  const options = [`token: process.env.${tokenVariable(credentials.token)}`];
  if (!admin && credentials.token.startsWith('dft_') && credentials.websiteId) options.push(`websiteId: ${JSON.stringify(credentials.websiteId)}`);
  if (credentials.baseUrl && credentials.baseUrl !== catalog.defaultBaseUrl) options.push(`baseUrl: ${JSON.stringify(credentials.baseUrl)}`);
  const argText = args.map((a, i) => {
    const last = i === args.length - 1 && typeof a === 'object';
    return last ? JSON.stringify(a, null, 2) : JSON.stringify(a);
  });
  const trimmed = argText.length && argText[argText.length - 1] === '{}' ? argText.slice(0, -1) : argText;
  return [
    `import { ${Class} } from 'datafast-wasm';`,
    '',
    `const ${variable} = new ${Class}({ ${options.join(', ')} });`,
    `const result = await ${variable}.${endpoint.jsMethodPath}(${trimmed.join(', ')});`,
    'console.log(result);',
  ].join('\n');
}

/**
 * `datafast api <endpoint-id> [ids…] -p key=value…`: strings as they are, everything else
 * (numbers, booleans, lists, objects) as JSON.
 */
export function cliSnippet(endpoint, args, credentials) {
  const ids = endpoint.pathParams.map((_, i) => args[i]);
  const params = args.length > ids.length ? args[args.length - 1] : {};
  const words = ['datafast', 'api', endpoint.id, ...ids.map(shellQuote)];
  if (endpoint.surface === 'website' && credentials.token.startsWith('dft_') && credentials.websiteId) {
    words.push('--website', shellQuote(credentials.websiteId));
  }
  for (const [key, value] of Object.entries(params)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    words.push('-p', shellQuote(`${key}=${text}`));
  }
  const env = credentials.baseUrl && credentials.baseUrl !== catalog.defaultBaseUrl ? `DATAFAST_API_BASE=${shellQuote(credentials.baseUrl)} ` : '';
  return `# token from $${tokenVariable(credentials.token)}\n${env}${words.join(' ')}`;
}
