/**
 * The one place that reaches into serverless-esbuild's internals (plain JavaScript: the plugin's
 * constructor needs it synchronously, before tsx is loaded). What we rely on, checked by
 * test/offline/tool-internals.test.ts against the version pinned in package.json:
 * - the plugin is the one whose class is named `EsbuildServerlessPlugin`;
 * - its `bundle()` (an own property, bound in the constructor) is the first build, and may be wrapped;
 * - after a build, `buildCache` maps each source entry to `{ bundlePath, context, result }` (an
 *   esbuild BuildContext and its first result with its metafile), `buildDirPath` is the folder
 *   `bundlePath` is relative to, and the `functionEntries` getter pairs entries with function names.
 * Hot reload (offline/shared/hot-reload.ts) sees only the neutral view reloadableBuildOf makes of them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const SERVERLESS_ESBUILD_CHECKED_VERSION = '1.57.2';

const require = createRequire(import.meta.url);

/** serverless-esbuild's plugin instance among the service's plugins, if it is loaded. */
export const findEsbuildPlugin = (serverless) => serverless.pluginManager.plugins.find((plugin) => plugin.constructor?.name === 'EsbuildServerlessPlugin');

/**
 * A compile error in the first build left that build's esbuild contexts open (serverless-esbuild
 * caches them only on success), so sls printed the error and then hung: stop esbuild's service when
 * the first build fails, so sls exits with the compiler's message.
 */
export function stopEsbuildWhenFirstBuildFails(plugin) {
  const firstBuild = plugin?.bundle;
  if (!plugin || !firstBuild) return;
  plugin.bundle = async function (...args) {
    plugin.bundle = firstBuild;
    try {
      return await firstBuild.apply(plugin, args);
    } catch (error) {
      require('esbuild').stop();
      throw error;
    }
  };
}

/** The plugin's contexts as hot reload's ReloadableBuild, read afresh each time (a build replaces buildCache). */
export function reloadableBuildOf(plugin) {
  return {
    bundles: () =>
      Object.entries(plugin.buildCache ?? {}).map(([entry, cached]) => [
        entry,
        {
          context: cached.context,
          metafile: cached.result?.metafile,
          requiredFile: cached.bundlePath && plugin.buildDirPath ? resolve(plugin.buildDirPath, cached.bundlePath) : undefined,
        },
      ]),
    functions: () => (plugin.functionEntries ?? []).map(({ entry, functionAlias }) => ({ entry, functionName: functionAlias })),
  };
}

/** What changed in the installed serverless-esbuild that we rely on, in plain sentences; empty when nothing did. */
export function serverlessEsbuildProblems() {
  const { version } = require('serverless-esbuild/package.json');
  const where = `serverless-esbuild ${version} (offline/aws/serverless-esbuild.mjs was checked against ${SERVERLESS_ESBUILD_CHECKED_VERSION})`;
  const problems = [];
  if (version !== SERVERLESS_ESBUILD_CHECKED_VERSION) problems.push(`${where}: check what that file relies on, then update SERVERLESS_ESBUILD_CHECKED_VERSION`);
  const Plugin = require('serverless-esbuild');
  const PluginClass = Plugin.default ?? Plugin;
  if (PluginClass.name !== 'EsbuildServerlessPlugin') problems.push(`${where}: its plugin class is named ${PluginClass.name}, not EsbuildServerlessPlugin`);
  // A plugin over a minimal service, as the Serverless Framework constructs it.
  const serverless = {
    config: { serviceDir: process.cwd() },
    service: { provider: { name: 'aws' }, custom: {}, functions: {}, getAllFunctions: () => [] },
    configSchemaHandler: { defineFunctionProperties: () => {} },
    cli: { log: () => {} },
  };
  const log = { error() {}, warning() {}, notice() {}, info() {}, debug() {}, verbose() {}, success() {} };
  const plugin = new PluginClass(serverless, {}, { log });
  if (typeof plugin.bundle !== 'function' || !Object.hasOwn(plugin, 'bundle')) problems.push(`${where}: bundle() is no longer an own function of the plugin`);
  if (typeof plugin.buildCache !== 'object' || plugin.buildCache === null) problems.push(`${where}: the plugin has no buildCache object`);
  if (!Object.getOwnPropertyDescriptor(PluginClass.prototype, 'functionEntries')?.get) problems.push(`${where}: functionEntries is no longer a getter`);
  // What a build stores is only seen after one: read from the source it ships.
  const dist = dirname(require.resolve('serverless-esbuild'));
  const index = readFileSync(join(dist, 'index.js'), 'utf8');
  const bundle = readFileSync(join(dist, 'bundle.js'), 'utf8');
  if (!index.includes('this.buildDirPath =')) problems.push(`${where}: buildDirPath is no longer set`);
  if (!bundle.includes('return { bundlePath, entry, result, context };') || !bundle.includes('acc[fileBuildResult.entry] = fileBuildResult;')) {
    problems.push(`${where}: buildCache entries are no longer { bundlePath, entry, result, context } by entry`);
  }
  if (!index.includes('functionAlias') && !readFileSync(join(dist, 'helper.js'), 'utf8').includes('functionAlias')) problems.push(`${where}: functionEntries no longer name functionAlias`);
  return problems;
}
