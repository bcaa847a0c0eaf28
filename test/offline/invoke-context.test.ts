import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import OfflineStreamsPlugin from '../../offline/aws/serverless-plugin.mjs';

/**
 * `npm run invoke` (sls invoke local): osls hands node functions a context with `memoryLimitInMB: '1024'`
 * whatever serverless.yml says; the plugin gives the configured memory instead, unless the user passes a context.
 */
const config = YAML.parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), { logLevel: 'silent' }) as {
  provider: { memorySize: number; timeout: number };
};

function invokeLocal(cliOptions: Record<string, unknown>): Record<string, unknown> {
  const serverless = {
    processedInput: { commands: ['invoke', 'local'] },
    service: { provider: { ...config.provider, region: 'us-east-1' }, getFunction: () => ({ name: 'myevents-local-eventsApi' }) },
  };
  const plugin = new OfflineStreamsPlugin(serverless, cliOptions, { log: {} });
  plugin.hooks['before:invoke:local:invoke']?.();
  return cliOptions;
}

describe('sls invoke local through the offline plugin', () => {
  it("hands the function a context with serverless.yml's memory and timeout", () => {
    const { context } = invokeLocal({ function: 'eventsApi' }) as { context: { memoryLimitInMB: string; functionName: string; getRemainingTimeInMillis(): number } };
    expect(config.provider.memorySize).toBe(256);
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.functionName).toBe('myevents-local-eventsApi');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan((config.provider.timeout - 1) * 1000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(config.provider.timeout * 1000);
  });

  it('leaves a context the user passed alone', () => {
    const own = { memoryLimitInMB: '512' };
    expect(invokeLocal({ function: 'eventsApi', context: own })['context']).toBe(own);
  });
});
