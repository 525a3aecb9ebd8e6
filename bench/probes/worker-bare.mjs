// Control worker: the same first request with fetch + JSON.parse and no package.
import env from './env.mjs';

export async function bareHandler() {
  const response = await fetch(`${env.baseUrl}/api/v1/analytics/pages?limit=10`, {
    headers: { Authorization: `Bearer ${env.siteKey}`, Accept: 'application/json' },
  });
  const page = JSON.parse(await response.text());
  return Response.json({ rows: page.data.length });
}

export default { fetch: bareHandler };
