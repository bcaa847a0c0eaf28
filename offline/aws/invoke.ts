/**
 * `npm run invoke -- -f placePlayers -p events/aws/dynamodb-stream/players-table-insert.json`:
 * `sls invoke local` against the emulators `npm start` runs, so a function reads and writes the same
 * local tables and queues as the running app. The function's context reports its configured memory
 * (offline/aws/serverless-plugin.mjs); a stream or queue sample comes with a note on what it stands for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken, trustDevKeyUnlessConfigured } from '../../adapters/local/dev-auth.js';

// As under npm start: the function trusts `npm run token`'s tokens.
await trustDevKeyUnlessConfigured();
const serverlessBin = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const args = process.argv.slice(2);
const option = (...names: string[]): string | undefined => {
  const index = args.findIndex((arg) => names.includes(arg));
  return index >= 0 ? args[index + 1] : undefined;
};
const samplePath = option('-p', '--path');
// A stream or queue sample describes a change that never happened in the running app: say so, rather
// than let a player appear on the map with no player record behind it.
if (samplePath && /(dynamodb-stream|sqs)\//.test(samplePath)) {
  console.error(
    `Note: ${samplePath} is a sample payload. ${option('-f', '--function') ?? 'The function'} acts on it as if that change or message ` +
      'had happened, against the running app\'s tables; the ids it names exist there only if you created them (the sample ' +
      'player appears on GET /map with no player record behind it). The README walkthrough drives the same functions through real changes.\n',
  );
}
/**
 * An HTTP sample (API Gateway event) without an Authorization header gets an admin's development token,
 * in a temporary copy: samples in events/ carry none (any token in a file would have expired), and
 * without one every write route answers 401.
 */
async function withDevToken(path: string): Promise<string> {
  const sample = JSON.parse(readFileSync(path, 'utf8')) as { headers?: Record<string, string> | null };
  if (typeof sample.headers !== 'object' || sample.headers === null) return path;
  if (Object.keys(sample.headers).some((name) => name.toLowerCase() === 'authorization')) return path;
  sample.headers['authorization'] = `Bearer ${await mintDevToken({ subject: 'invoke', scopes: ['admin'] })}`;
  const copy = join(mkdtempSync(join(tmpdir(), 'myevents-invoke-')), 'event.json');
  writeFileSync(copy, JSON.stringify(sample));
  console.error(`Note: ${path} carries no token; invoking with a development admin token (npm run token -- --scope admin).\n`);
  return copy;
}
if (samplePath && /(http-api-v2|rest-api-v1)\//.test(samplePath)) {
  const signed = await withDevToken(samplePath);
  args[args.indexOf(samplePath)] = signed;
}
const result = spawnSync(process.execPath, [serverlessBin, 'invoke', 'local', '--stage', 'local', ...args], {
  stdio: 'inherit',
  env: {
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // The SDK's "node 20 support ends" notice would precede every invoke; the README says it once.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...process.env,
  },
});
process.exit(result.status ?? 1);
