import { writeSync } from 'node:fs';
/** Figures for benchmarks: these machines are noisy, so every figure is a median with its spread, compared with a baseline measured in the same run. */

export interface Summary {
  median: number;
  p10: number;
  p90: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

export const formatMs = (summary: Summary): string => `${summary.median.toFixed(2)} ms (p10 ${summary.p10.toFixed(2)}, p90 ${summary.p90.toFixed(2)})`;

/** Runs each case `rounds` times, interleaved (a, b, a, b, ...) so that drift in the machine's speed hits every case alike; returns milliseconds per case. */
export async function timeInterleaved(cases: Record<string, () => Promise<unknown>>, rounds: number, warmup = 5): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = -warmup; round < rounds; round += 1) {
    for (const [name, run] of Object.entries(cases)) {
      const started = performance.now();
      await run();
      if (round >= 0) samples[name]!.push(performance.now() - started);
    }
  }
  return samples;
}

/** CPU time of this process (user + system, all threads), in milliseconds. */
export const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Microseconds per call of each case: `samples` batches of `iterations` awaited calls, cases interleaved
 * batch by batch. Timed in CPU time by default: on a shared machine, wall time mostly measures how long
 * other processes held the CPU; this process's own CPU time does not grow with their load.
 */
export async function microsPerCall(
  cases: Record<string, () => unknown>,
  { samples = 25, iterations = 400, warmup = 3, clock = cpuMs }: { samples?: number; iterations?: number; warmup?: number; clock?: () => number } = {},
): Promise<Record<string, number[]>> {
  const perCall: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let sample = -warmup; sample < samples; sample += 1) {
    for (const [name, run] of Object.entries(cases)) {
      const started = clock();
      for (let call = 0; call < iterations; call += 1) await run();
      if (sample >= 0) perCall[name]!.push(((clock() - started) * 1000) / iterations);
    }
  }
  return perCall;
}

/** `median (p10–p90)` with the unit and precision given. */
export const formatSpread = (summary: Summary, unit: string, digits = 2): string =>
  `${summary.median.toFixed(digits)} ${unit} (${summary.p10.toFixed(digits)}–${summary.p90.toFixed(digits)})`;

/** `median ÷ baseline median` as `1.23×`. */
export const ratio = (summary: Summary, baseline: Summary): string => `${(summary.median / baseline.median).toFixed(2)}×`;

/** A markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/**
 * A case against its baseline, sample by sample: the cases of one round ran side by side, so the
 * ratio and difference of each pair cancel the machine's drift better than comparing two medians.
 */
export function paired(samples: readonly number[], baseline: readonly number[]): { ratio: Summary; difference: Summary } {
  const pairs = samples.map((value, index) => [value, baseline[index] ?? Number.NaN] as const);
  return { ratio: summarize(pairs.map(([value, base]) => value / base)), difference: summarize(pairs.map(([value, base]) => value - base)) };
}

/** A bench child's figures to its parent (bench/run.ts reads fd 3), or to stdout when run alone. */
export function reportFigures(samples: Record<string, number[]>): void {
  const out = JSON.stringify(samples);
  try {
    writeSync(3, out);
  } catch {
    console.log(out); // run alone: no fd 3
  }
}
