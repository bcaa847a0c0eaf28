import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVERLESS_ESBUILD_CHECKED_VERSION, serverlessEsbuildProblems } from '../../offline/aws/serverless-esbuild.mjs';
import { SERVERLESS_OFFLINE_CHECKED_VERSION, serverlessOfflineProblems } from '../../offline/aws/serverless-offline.js';

/**
 * npm start reaches into two tools beyond their documented use, each from one file. An upgrade that
 * changes what those files rely on would break npm start quietly (no hot reload, triggers not run):
 * these tests fail first, naming the tool, the version installed and the version the file was checked against.
 */
const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

describe("the tools' internals npm start relies on", () => {
  it('pins serverless-esbuild and serverless-offline exactly, at the versions their files were checked against', () => {
    expect({ 'serverless-esbuild': pinned['serverless-esbuild'], 'serverless-offline': pinned['serverless-offline'] }).toEqual({
      'serverless-esbuild': SERVERLESS_ESBUILD_CHECKED_VERSION,
      'serverless-offline': SERVERLESS_OFFLINE_CHECKED_VERSION,
    });
  });

  it('serverless-esbuild still has the plugin shape offline/aws/serverless-esbuild.mjs reads', () => {
    expect(serverlessEsbuildProblems()).toEqual([]);
  }, 30_000); // loading serverless-esbuild (and esbuild, effect, ...) takes seconds on a busy machine

  it('serverless-offline still has the Lambda runner offline/aws/serverless-offline.ts drives', async () => {
    expect(await serverlessOfflineProblems()).toEqual([]);
  }, 30_000);
});
