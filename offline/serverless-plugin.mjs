// serverless-offline companion: DynamoDB Streams and SQS triggers with Lambda's event source mapping
// semantics (partial batch responses; streams: bisect, bounded retries, on-failure destination; queues:
// redelivery after the visibility timeout, then the DLQ), and the template's tables and queues created
// in the local emulators. The logic is TypeScript in this folder, loaded with tsx.
import { tsImport } from 'tsx/esm/api';

export default class OfflineStreamsPlugin {
  constructor(serverless, cliOptions, { log }) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = log;
    this.running = undefined;
    this.hooks = {
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
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
    const { default: Lambda } = await import('serverless-offline/lambda');
    const options = { ...this.serverless.service.custom?.['serverless-offline'], ...this.cliOptions };
    try {
      this.running = await startOfflineStreams(this.serverless, options, Lambda, this.log);
    } catch (error) {
      if (error?.name !== 'EnginesMissingError') throw error;
      // Exit rather than throw: after a failed hook, the bundler's service process keeps sls alive, hanging.
      this.log.error(error.message);
      process.exit(1);
    }
  }

  async stop() {
    this.unwatch?.();
    await this.running?.stop();
  }
}
