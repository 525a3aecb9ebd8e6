// Bench worker importing the package as users do (statically): when workerd loads it, it compiles
// the .wasm and runs the module bodies (the glue instantiates it) before it listens.
import { WebsiteClient } from 'datafast-wasm';
import env from './env.mjs';

let client;

export default {
  async fetch() {
    client ??= new WebsiteClient({ token: env.siteKey, baseUrl: env.baseUrl });
    const page = await client.analytics.pages({ limit: 10 });
    return Response.json({ rows: page.data.length });
  },
};
