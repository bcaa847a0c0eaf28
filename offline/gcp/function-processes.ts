import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, context as esbuildContext, type BuildContext, type Metafile } from 'esbuild';
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

/**
 * offline/shared/span-export.ts as one plain CommonJS file (the SDK inside), which each function host
 * requires when started with an IPC channel (its path in MYEVENTS_SPAN_EXPORT): loading the TypeScript
 * through tsx took 0.44-0.61 s in each of the eight hosts (start:gcp's banner came 1.6-3.6 s later in two
 * runs on a loaded machine), this file about 0.1 s. Kept in node_modules/.cache under a name made of its
 * content, written once (by rename, so stacks starting side by side never read half a file): never in the
 * build folder, which deploy:gcp uploads, and nothing left behind per start, however start:gcp ends.
 */
export async function buildSpanExport(): Promise<string> {
  const { outputFiles } = await esbuild({ entryPoints: [fileURLToPath(new URL('../shared/span-export.ts', import.meta.url))], write: false, outfile: 'span-export.cjs', bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'silent' });
  const code = outputFiles[0]!.contents;
  const folder = fileURLToPath(new URL('../../node_modules/.cache/myevents-span-export/', import.meta.url));
  const path = join(folder, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(path)) {
    mkdirSync(folder, { recursive: true });
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, path);
  }
  return path;
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
