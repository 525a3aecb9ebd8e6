// The inline entry: no asset, no init().
import * as datafast from 'datafast-wasm/inline';
import { report } from './report.mjs';

report(async () => datafast);
