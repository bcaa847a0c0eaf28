import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';

it('`sls offline start` typed alone, with no engines running, exits 1 at once saying to run npm start', async () => {
  // Prepare: endpoints where nothing listens, and free ports for sls offline itself.
  const nothing = `http://127.0.0.1:${await freePort()}`;
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];

  // Act
  const result = spawnSync(
    process.execPath,
    ['node_modules/serverless/bin/serverless.js', 'offline', 'start', '--stage', 'local', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    { encoding: 'utf8', timeout: 90_000, env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: nothing, LOCAL_SQS_URL: nothing, ESBUILD_WORK_FOLDER: `.esbuild-alone-${httpPort}` } },
  );

  for (const folder of [`.esbuild-alone-${httpPort}`, `.esbuild-alone-${httpPort}-offline`]) rmSync(folder, { recursive: true, force: true });

  // Assess: it ended by itself (no timeout signal), with the sentence.
  expect(result.signal).toBeNull();
  expect(result.status).toBe(1);
  expect(`${result.stdout}${result.stderr}`).toContain(`sls offline needs DynamoDB Local at ${nothing} and SQS at ${nothing}, and nothing answers there. Run \`npm start\` instead`);
}, 120_000);
