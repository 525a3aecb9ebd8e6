// The package's default entry, as the README shows it: browsers `await init()` (bundlers emit
// the .wasm the entry points at); elsewhere the first client loads the module itself.
import * as datafast from 'datafast-wasm';
import { inBrowser, report } from './report.mjs';

report(async () => {
  if (inBrowser) {
    // Before init() a client cannot exist here, and the error says what to do.
    let error;
    try {
      new datafast.WebsiteClient({ token: 'df_x', dangerouslyAllowBrowser: true });
    } catch (e) {
      error = e;
    }
    if (!/await init\(\)/.test(error?.message)) throw new Error(`a client before init() should fail naming init(), got ${error}`);
    await datafast.init();
  }
  return datafast;
});
