// The package's default entry, as the README shows it: browsers `await init()` (bundlers emit
// the .wasm the entry points at); elsewhere the first client loads the module itself.
import * as datafast from 'datafast-wasm';
import { inBrowser, report } from './report.mjs';

report(async () => {
  if (inBrowser) await datafast.init();
  return datafast;
});
