// serverless-offline companion: DynamoDB Streams and SQS triggers with Lambda's event source mapping
// semantics (partial batch responses; streams: bisect, bounded retries, on-failure destination; queues:
// redelivery after the visibility timeout, then the DLQ), and the template's tables and queues created
// in the local emulators. The logic is TypeScript in this folder, loaded with tsx.
import { randomUUID } from 'node:crypto';
import { tsImport } from 'tsx/esm/api';
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
      'before:invoke:local:invoke': () => this.invokeContext(),
      // `sls deploy` packages first (and `sls deploy function` has its own step): both stop here.
      'before:package:initialize': () => this.requireAuthSettings(),
      'before:deploy:function:initialize': () => this.requireAuthSettings(),
    };
  }

  /**
   * A deployment without the token settings would answer 500 on every protected route (fail closed, but
   * broken): refuse to package one, naming what is missing. Local runs (offline, invoke local) trust the
   * development key that npm start and npm run invoke set instead.
   */
  requireAuthSettings() {
    const environment = this.serverless.service.provider.environment ?? {};
    const missing = ['AUTH_ISSUER', 'AUTH_AUDIENCE'].filter((name) => !environment[name]);
    if (!environment.AUTH_JWKS_URL && !environment.AUTH_JWKS) missing.push('AUTH_JWKS_URL');
    if (missing.length === 0) return;
    throw new this.serverless.classes.Error(
      `Set ${missing.join(', ')} before packaging or deploying: the functions and the API's JWT authorizer check tokens against the issuer (README, Authentication).`,
    );
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

  /**
   * `sls invoke local` hands node functions a context with `memoryLimitInMB: '1024'` whatever serverless.yml
   * says (osls 4.3, invoke-local/index.js; only its AWS_LAMBDA_FUNCTION_MEMORY_SIZE is right), so the logs
   * reported 1024 MB. Give it the configured one; a --context of the user's still wins.
   */
  invokeContext() {
    if (this.cliOptions.context || this.cliOptions.contextPath) return;
    const { provider } = this.serverless.service;
    const definition = this.serverless.service.getFunction(this.cliOptions.function);
    const timeoutMs = Number(definition.timeout ?? provider.timeout ?? 6) * 1000;
    const started = Date.now();
    this.cliOptions.context = {
      awsRequestId: randomUUID(),
      functionName: definition.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${provider.region ?? 'us-east-1'}:000000000000:function:${definition.name}`,
      memoryLimitInMB: String(definition.memorySize ?? provider.memorySize ?? 1024),
      logGroupName: `/aws/lambda/${definition.name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(timeoutMs - (Date.now() - started), 0),
    };
  }

  async stop() {
    this.unwatch?.();
    this.reload?.stop();
    await this.running?.stop();
  }
}
