/** Latency and rate summaries for benchmark results: medians of runs, percentiles of samples. */
export interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
}

/** Nearest-rank percentiles of samples (milliseconds). */
export function percentiles(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: atRank(sorted, 50), p99: atRank(sorted, 99), p999: atRank(sorted, 99.9) };
}

/** Nearest-rank percentile `p` (0-100) of samples (milliseconds). */
export function percentile(samplesMs: number[], p: number): number {
  return atRank([...samplesMs].sort((a, b) => a - b), p);
}

function atRank(sorted: readonly number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/** Milliseconds since `start` (from process.hrtime.bigint()). */
export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

