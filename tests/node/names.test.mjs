// The shipped JS is minified (scripts/build-pkg.sh): the names users see must survive it, in
// the ES modules and in the CommonJS bundles, where one scope holds the wasm-bindgen glue's
// classes and the package's same-named subclasses. Loads the built package from pkg/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const builds = {
  'node.js': () => import('../../pkg/node.js'),
  'inline.js': () => import('../../pkg/inline.js'),
  'node.cjs': async () => require('../../pkg/node.cjs'),
  'inline.cjs': async () => require('../../pkg/inline.cjs'),
};

for (const [file, load] of Object.entries(builds)) {
  test(`${file}: the classes keep their names`, async () => {
    const { WebsiteClient, AdminClient, DataFastError } = await load();
    assert.equal(WebsiteClient.name, 'WebsiteClient');
    assert.equal(AdminClient.name, 'AdminClient');
    assert.equal(DataFastError.name, 'DataFastError');
    const client = new WebsiteClient({ token: 'df_namestestkey0000000000000000', baseUrl: 'http://127.0.0.1:9' });
    assert.equal(client.constructor.name, 'WebsiteClient');
    const error = await client.analytics.pages({ limit: -1 }).catch((e) => e);
    assert.ok(error instanceof DataFastError);
    assert.equal(error.constructor.name, 'DataFastError');
    assert.match(String(error), /^DataFastError: /);
    client.free();
  });
}
