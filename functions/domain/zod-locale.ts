import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * Schemas use zod/mini, zod's tree-shakeable build: the same schemas, issues and messages as `zod` at
 * about a third of the bundle (zod was 94 KB, 70 % of each function's bundle; BENCHMARKS.md). Unlike
 * `zod` it loads no locale by itself: this module sets the English messages our error details show, and
 * every schema module imports it. (Each imports `zod/mini` itself: a namespace passed around as a value
 * would keep all of zod in the bundle.)
 */
config(en());
