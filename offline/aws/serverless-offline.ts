import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The one place that reaches into serverless-offline beyond its documented use as a plugin: its
 * Lambda runner (`serverless-offline/lambda`, exported but undocumented), through which the stream and
 * queue pollers (offline-streams.ts, offline-queues.ts) invoke functions exactly as its HTTP server
 * does: same bundles, same in-process handler cache, same context. What we rely on, checked by
 * test/offline/tool-internals.test.ts against the version pinned in package.json:
 * - the default export is a class `new Lambda(serverless, options)` with `create([{ functionKey,
 *   functionDefinition }])`, `get(functionKey)` and `cleanup()`;
 * - `get` answers a LambdaFunction with `setEvent(event)` and `runHandler()` (the handler's result).
 */
export const SERVERLESS_OFFLINE_CHECKED_VERSION = '14.8.2';

export interface OfflineLambda {
  create(lambdas: { functionKey: string; functionDefinition: unknown }[]): void;
  get(functionKey: string): { setEvent(event: unknown): void; runHandler(): Promise<unknown> };
  cleanup(): Promise<void>;
}

export type OfflineLambdaClass = new (serverless: unknown, options: unknown) => OfflineLambda;

/** serverless-offline's Lambda runner class. */
export async function loadOfflineLambda(): Promise<OfflineLambdaClass> {
  // A specifier TypeScript does not resolve: serverless-offline ships no types, the interface above says what we use.
  const specifier: string = 'serverless-offline/lambda';
  const { default: Lambda } = (await import(specifier)) as { default: OfflineLambdaClass };
  return Lambda;
}

/** The installed serverless-offline's folder (its package.json is not exported, so found from the export we use). */
function packageFolder(): string {
  // src/lambda/index.js -> the package root
  return dirname(dirname(dirname(createRequire(import.meta.url).resolve('serverless-offline/lambda'))));
}

/** What changed in the installed serverless-offline that we rely on, in plain sentences; empty when nothing did. */
export async function serverlessOfflineProblems(): Promise<string[]> {
  const folder = packageFolder();
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
  const problems: string[] = [];
  const where = `serverless-offline ${version} (offline/aws/serverless-offline.ts was checked against ${SERVERLESS_OFFLINE_CHECKED_VERSION})`;
  if (version !== SERVERLESS_OFFLINE_CHECKED_VERSION) problems.push(`${where}: check what that file relies on, then update SERVERLESS_OFFLINE_CHECKED_VERSION`);
  const Lambda = (await loadOfflineLambda()) as unknown as { prototype?: Record<string, unknown> };
  for (const method of ['create', 'get', 'cleanup']) {
    if (typeof Lambda.prototype?.[method] !== 'function') problems.push(`${where}: serverless-offline/lambda's class has no ${method}() any more`);
  }
  // LambdaFunction is not exported: its methods are read from its source.
  const source = readFileSync(join(folder, 'src/lambda/LambdaFunction.js'), 'utf8');
  for (const method of ['setEvent(', 'async runHandler(']) {
    if (!source.includes(method)) problems.push(`${where}: its LambdaFunction has no ${method.replace('async ', '')}) any more`);
  }
  return problems;
}
