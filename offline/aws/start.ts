/**
 * `npm start`: the whole app locally, on the same AWS adapters that run on Lambda.
 *   HTTP            http://localhost:3000        (serverless-offline; Lambda invoke API on 3002)
 *   DynamoDB Local  http://localhost:8000        (java; data in .local-data/, kept across restarts)
 *   SQS             http://localhost:9324        (local-aws-sqs, in memory; see README for crash safety)
 * `npm start -- --fresh` deletes the data folder first; `--data-dir`, `--http-port`, `--lambda-port`,
 * `--dynamodb-port` and `--sqs-port` move it (the tests run stacks side by side). Ctrl-C stops everything.
 * If sls offline or DynamoDB Local dies, the whole stack stops with exit code 1 and says which one.
 */
import { rmSync } from 'node:fs';
// Read when the first SDK client is made (below): the "node 20 support ends" notice is in the README once.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
import { parseArgs } from 'node:util';
import { trustDevKeyUnlessConfigured } from '../../adapters/local/dev-auth.js';
import { httpFunctions } from '../../functions/routes.js';
import { busyPortMessages } from '../shared/ports.js';
import { MissingJavaError, startLocalStack } from './local-stack.js';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '.local-data' },
    'http-port': { type: 'string', default: '3000' },
    'lambda-port': { type: 'string', default: '3002' },
    'dynamodb-port': { type: 'string', default: '8000' },
    'sqs-port': { type: 'string', default: '9324' },
  },
});
const dataDir = values['data-dir'];
const busy = await busyPortMessages([
  { port: Number(values['http-port']), flag: '--http-port', purpose: 'HTTP' },
  { port: Number(values['lambda-port']), flag: '--lambda-port', purpose: 'the Lambda invoke API' },
  { port: Number(values['dynamodb-port']), flag: '--dynamodb-port', purpose: 'DynamoDB Local' },
  { port: Number(values['sqs-port']), flag: '--sqs-port', purpose: 'SQS' },
]);
if (busy.length > 0) {
  console.error(`\n${busy.join('\n')}\n`);
  process.exit(1);
}
if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
// Tokens from `npm run token` are accepted here (sls offline inherits AUTH_*; serverless.yml passes them on).
await trustDevKeyUnlessConfigured();

try {
  const stack = await startLocalStack({
    httpPort: Number(values['http-port']),
    lambdaPort: Number(values['lambda-port']),
    dynamodbPort: Number(values['dynamodb-port']),
    sqsPort: Number(values['sqs-port']),
    dataDir,
    output: 'inherit',
    verbose: values.verbose,
  });
  console.log(
    [
      '',
      `MyEvents is running at ${stack.baseUrl}   (GET /health, GET /openapi.json)`,
      `  HTTP functions  ${Object.keys(httpFunctions).join(', ')}   (the stream and queue triggers are listed above)`,
      `  engines         DynamoDB Local ${stack.dynamodbEndpoint}, SQS ${stack.sqsEndpoint}, data in ${dataDir}`,
      `Traces, queues and dead letters: ${stack.baseUrl}/_local/`,
      `One line per request below; \`npm start -- --verbose\` shows every log line. Ctrl-C stops it.`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(code));
  };
  stack.onFailure((message) => {
    console.error(`\nMyEvents stopped: ${message}.\nThe rest of the stack has been stopped too (a half-running stack would answer wrongly). Run \`npm start\` again; the data in ${dataDir} is kept.\n`);
    shutdown(1);
  });
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
} catch (error) {
  console.error(error instanceof MissingJavaError ? `\n${error.message}\n` : error);
  process.exit(1);
}
