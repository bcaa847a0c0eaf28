import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { untraced } from './plugin.js';

export type Variant = 'traced' | 'untraced';
export const VARIANTS: readonly Variant[] = ['untraced', 'traced'];

/** A runtime to measure on: its binary and flags. */
export interface Runtime {
  label: string;
  node: string;
  flags?: string[];
}

/**
 * What trace context costs per request and per batch with no SDK registered (issue 22's budget: ≤ +1.5 µs
 * per request): entry.ts built twice with the same options (our code bundled, packages from node_modules),
 * with its trace context and without (plugin.ts), each run by its own child process (bench/trace-overhead.ts)
 * and the two asked for one sample after the other, alternately first. Two processes rather than one, so that
 * nothing one build turns on for its process weighs on the other (an AsyncLocalStorage did: once used, it turns
 * node's promise hooks on for every promise; the hop is passed explicitly since). Returns µs per call, per
 * runtime, variant and case.
 */
export async function measureTraceOverhead(runtimes: readonly Runtime[], samples: number): Promise<Record<string, Record<Variant, Record<string, number[]>>>> {
  // Inside node_modules so that the bundles' bare imports (@opentelemetry/api, zod, ...) resolve.
  const cache = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'myevents-trace-variants-'));
  const script = fileURLToPath(new URL('../trace-overhead.ts', import.meta.url));
  const results: Record<string, Record<Variant, Record<string, number[]>>> = {};
  try {
    const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));
    const options: BuildOptions = { entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' };
    await build({ ...options, outfile: join(dir, 'traced.mjs') });
    await build({ ...options, outfile: join(dir, 'untraced.mjs'), plugins: [untraced] });
    for (const runtime of runtimes) {
      const children = Object.fromEntries(
        VARIANTS.map((variant) => [
          variant,
          fork(script, [join(dir, `${variant}.mjs`)], {
            execPath: runtime.node,
            execArgv: [...(runtime.flags ?? []), '--import', 'tsx'],
            env: { ...process.env, LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'WARN' },
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          }),
        ]),
      ) as Record<Variant, ReturnType<typeof fork>>;
      const ask = (variant: Variant): Promise<Record<string, number>> =>
        new Promise((resolve, reject) => {
          const child = children[variant];
          const exited = (code: number | null): void => reject(new Error(`${script} (${variant}, ${runtime.label}) exited with ${code}`));
          child.once('exit', exited);
          child.once('message', (figures) => {
            child.off('exit', exited);
            resolve(figures as Record<string, number>);
          });
          child.send('sample');
        });
      const byVariant: Record<Variant, Record<string, number[]>> = { traced: {}, untraced: {} };
      try {
        for (let sample = -3; sample < samples; sample += 1) {
          const order = sample % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
          for (const variant of order) {
            const figures = await ask(variant);
            if (sample < 0) continue;
            for (const [name, value] of Object.entries(figures)) (byVariant[variant][name] ??= []).push(value);
          }
        }
      } finally {
        for (const child of Object.values(children)) child.kill();
      }
      results[runtime.label] = byVariant;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
