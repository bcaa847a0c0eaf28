/**
 * `npm start`: the whole app locally, on the same AWS adapters that run on Lambda.
 *   HTTP            http://localhost:3000        (serverless-offline; Lambda invoke API on 3002)
 *   DynamoDB Local  http://localhost:8000        (java; data in .local-data/, kept across restarts)
 *   SQS             http://localhost:9324        (local-aws-sqs, in memory)
 * `npm start -- --fresh` deletes .local-data/ first. Ctrl-C stops everything.
 */
import { rmSync } from 'node:fs';
import { MissingJavaError, startLocalStack } from './local-stack.js';

const dataDir = '.local-data';
if (process.argv.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });

try {
  const stack = await startLocalStack({ httpPort: 3000, lambdaPort: 3002, dynamodbPort: 8000, sqsPort: 9324, dataDir, output: 'inherit' });
  console.log(`\nMyEvents is running at ${stack.baseUrl} (DynamoDB Local ${stack.dynamodbEndpoint}, SQS ${stack.sqsEndpoint}). Ctrl-C stops it.\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof MissingJavaError ? `\n${error.message}\n` : error);
  process.exit(1);
}
