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
