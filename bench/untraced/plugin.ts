import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * An esbuild plugin that builds our code without its trace context: adapters/shared/tracing.ts,
 * trace-context.ts and trace-carriers.ts are replaced by the stubs beside this file (same exports, no work). The bench builds
 * a function with and without it, with the same options otherwise, to pair what trace context costs in
 * bytes, cold init and per request (issue 22's budgets) in one run.
 */
export const untraced: Plugin = {
  name: 'untraced',
  setup(build) {
    build.onResolve({ filter: /(^|\/)(tracing|trace-context|trace-carriers)\.js$/ }, (args) => {
      if (args.importer.includes('/bench/untraced/') || args.importer.includes('/node_modules/')) return undefined;
      const name = args.path.slice(args.path.lastIndexOf('/') + 1).replace(/\.js$/, '.ts');
      return { path: fileURLToPath(new URL(`./${name}`, import.meta.url)) };
    });
  },
};
