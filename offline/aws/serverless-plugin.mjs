// The project's Serverless Framework plugin (serverless.yml `plugins`), loaded by osls as plain JS. It
// wires three jobs to the framework's hooks:
// - `sls offline start`: DynamoDB Streams and SQS triggers with Lambda's event source mapping semantics
//   (partial batch responses; streams: bisect, bounded retries, on-failure destination; queues:
//   redelivery after the visibility timeout, then the DLQ) and the template's tables and queues created
//   in the local emulators (offline-streams.ts, offline-queues.ts); our hot reload in place of
//   serverless-esbuild's watcher (../shared/hot-reload.ts); and, under npm start, a watchdog that stops
//   DynamoDB Local and sls if npm start dies (parent-watchdog.ts);
// - `sls invoke local`: the configured memory size in the function's context (invoke-local-context.mjs);
// - `sls package` / `sls deploy`: refuse to build a deployment without the token settings (deploy-checks.mjs).
// Relies on: osls's plugin API (hooks, `serverless.service`, `processedInput`), serverless-esbuild's
// internals (serverless-esbuild.mjs, the one file that reads them), serverless-offline's Lambda runner
// (serverless-offline.ts) and tsx to load the TypeScript modules of this folder at start.
import { tsImport } from 'tsx/esm/api';
import { requireAuthSettings } from './deploy-checks.mjs';
import { invokeLocalContext } from './invoke-local-context.mjs';
import { findEsbuildPlugin, reloadableBuildOf, stopEsbuildWhenFirstBuildFails } from './serverless-esbuild.mjs';

export default class OfflineStreamsPlugin {
  constructor(serverless, cliOptions, { log }) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = log;
    this.running = undefined;
    if (serverless.processedInput?.commands?.[0] === 'offline') {
      // Our hot reload (offline/shared/hot-reload.ts) rebuilds and prints compiler errors once: serverless-esbuild's
      // watcher (every file of the project) is switched off and esbuild's own printing silenced.
      const esbuild = (serverless.service.custom ??= {}).esbuild ??= {};
      esbuild.watch = { pattern: [] };
      esbuild.logLevel = 'silent';
      // Which sources each bundle is built from, so an edit rebuilds only the bundles that include it.
      esbuild.metafile = true;
      // Into a folder of its own: `sls package` zips whatever lies in its build folder, so sharing one put
      // these *-meta.json files (and any stale bundle) into every deploy zip after an `npm start`.
      esbuild.outputWorkFolder = `${esbuild.outputWorkFolder ?? '.esbuild'}-offline`;
      // A compile error in the first build must end sls, not hang it (serverless-esbuild.mjs).
      stopEsbuildWhenFirstBuildFails(findEsbuildPlugin(serverless));
    }
    this.hooks = {
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
      'before:invoke:local:invoke': () => invokeLocalContext(this.serverless, this.cliOptions),
      // `sls deploy` packages first (and `sls deploy function` has its own step): both stop here.
      'before:package:initialize': () => requireAuthSettings(this.serverless),
      'before:deploy:function:initialize': () => requireAuthSettings(this.serverless),
    };
  }

  async start() {
    if (process.env.LOCAL_STACK_DYNAMODB_PID) {
      // npm start reads our output through pipes: if it dies, a write fails with EPIPE, which would crash
      // us before the watchdog below has stopped DynamoDB Local. Ignore it; the watchdog ends us.
      process.stdout.on('error', () => {});
      process.stderr.on('error', () => {});
      const { watchParent } = await tsImport('./parent-watchdog.ts', import.meta.url);
      this.unwatch = watchParent({ dynamodbPid: Number(process.env.LOCAL_STACK_DYNAMODB_PID), log: (message) => this.log.error(`offline: ${message}`) });
    }
    const { startOfflineStreams } = await tsImport('./offline-streams.ts', import.meta.url);
    const { startHotReload } = await tsImport('../shared/hot-reload.ts', import.meta.url);
    const { loadOfflineLambda } = await tsImport('./serverless-offline.ts', import.meta.url);
    const Lambda = await loadOfflineLambda();
    const options = { ...this.serverless.service.custom?.['serverless-offline'], ...this.cliOptions };
    const service = this.serverless.service;
    const esbuild = findEsbuildPlugin(this.serverless);
    if (esbuild) {
      // npm start's edge proxy answers for broken HTTP functions; it learns which over the IPC channel, if any.
      process.channel?.unref();
      this.reload = startHotReload({
        serviceDir: this.serverless.serviceDir,
        build: reloadableBuildOf(esbuild),
        log: this.log,
        catchAll: service.getAllFunctions().find((key) => (service.getFunction(key).events ?? []).some((event) => event.httpApi === '*')),
        report: (report) => process.send?.(report),
      });
    } else {
      this.log.warning('offline: serverless-esbuild not found; no hot reload');
    }
    try {
      this.running = await startOfflineStreams(this.serverless, options, Lambda, this.log, (functionKey) => this.reload?.isBroken(functionKey) ?? false);
    } catch (error) {
      if (error?.name !== 'EnginesMissingError') throw error;
      // Exit rather than throw: after a failed hook, the bundler's service process keeps sls alive, hanging.
      this.log.error(error.message);
      process.exit(1);
    }
  }

  async stop() {
    this.unwatch?.();
    this.reload?.stop();
    await this.running?.stop();
  }
}
