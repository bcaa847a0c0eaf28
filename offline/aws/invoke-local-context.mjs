// The context `sls invoke local` hands a function (serverless-plugin.mjs's before:invoke:local:invoke hook).
import { randomUUID } from 'node:crypto';

/**
 * `sls invoke local` hands node functions a context with `memoryLimitInMB: '1024'` whatever serverless.yml
 * says (osls 4.3, invoke-local/index.js; only its AWS_LAMBDA_FUNCTION_MEMORY_SIZE is right), so the logs
 * reported 1024 MB. Give it the configured one; a --context of the user's still wins.
 */
export function invokeLocalContext(serverless, cliOptions) {
  if (cliOptions.context || cliOptions.contextPath) return;
  const { provider } = serverless.service;
  const definition = serverless.service.getFunction(cliOptions.function);
  const timeoutMs = Number(definition.timeout ?? provider.timeout ?? 6) * 1000;
  const started = Date.now();
  cliOptions.context = {
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
