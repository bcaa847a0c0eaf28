import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { context as esbuildContext, type BuildContext, type Metafile } from 'esbuild';
import { buildGcp, gcpBundleOptions, GCP_FUNCTIONS, writeGcpManifest, type GcpFunctionName } from '../../scripts/build-gcp.js';

/**
 * What start:gcp runs its functions from: the bundles of build:gcp (built once, or kept as esbuild
 * contexts the hot reload rebuilds), one functions-framework process per function (gcp-function-host.mjs),
 * and a guard process that kills them all if start:gcp itself is killed. gcp-stack.ts wires them.
 */

/** The script each function's process runs: functions-framework's server on 127.0.0.1. */
export const FUNCTION_HOST = fileURLToPath(new URL('./gcp-function-host.mjs', import.meta.url));
const ORPHAN_GUARD = fileURLToPath(new URL('./orphan-guard.mjs', import.meta.url));

/** offline/gcp/orphan-guard.mjs: kills the stack's processes if this process dies without stopping them (SIGKILL). */
export function startOrphanGuard(): { watch(pid: number | undefined): void; forget(pid: number | undefined): void; stop(): void } {
  const guard = spawn(process.execPath, [ORPHAN_GUARD], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  guard.on('error', () => undefined);
  // Neither the guard nor its channel keeps this process alive.
  guard.unref();
  guard.channel?.unref();
  const send = (message: object): void => void (guard.connected && guard.send(message, () => undefined));
  return {
    watch: (pid) => pid !== undefined && send({ watch: pid }),
    forget: (pid) => pid !== undefined && send({ forget: pid }),
    stop: () => guard.connected && guard.disconnect(),
  };
}

/** The bundles: built once (buildGcp), or kept as esbuild contexts that the hot reload rebuilds. */
export async function buildBundles(outDir: string, watch: boolean): Promise<{ contexts: Partial<Record<GcpFunctionName, { context: BuildContext; metafile?: Metafile }>>; dispose(): Promise<void> }> {
  if (!watch) {
    await buildGcp(outDir);
    return { contexts: {}, dispose: async () => undefined };
  }
  rmSync(outDir, { recursive: true, force: true });
  const contexts: Partial<Record<GcpFunctionName, { context: BuildContext; metafile?: Metafile }>> = {};
  try {
    for (const name of Object.keys(GCP_FUNCTIONS) as GcpFunctionName[]) {
      writeGcpManifest(name, outDir);
      // Silent: the hot reload prints a compiler error once (esbuild would print it per bundle).
      const context = await esbuildContext({ ...gcpBundleOptions(name, outDir, true), metafile: true, logLevel: 'silent' });
      contexts[name] = { context };
      contexts[name].metafile = (await context.rebuild()).metafile;
    }
  } catch (error) {
    await Promise.all(Object.values(contexts).map(({ context }) => context.dispose()));
    throw error;
  }
  return { contexts, dispose: async () => void (await Promise.all(Object.values(contexts).map(({ context }) => context.dispose()))) };
}
