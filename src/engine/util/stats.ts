/** Summary statistics shared by every part of the engine. */

export interface Summary {
  mean: number;
  /** Sample standard deviation (divides by n - 1); 0 for a single value. */
  std: number;
  count: number;
}

export function summarize(values: readonly number[]): Summary {
  const count = values.length;
  if (count === 0) return { mean: Number.NaN, std: Number.NaN, count: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / count;
  if (count === 1) return { mean, std: 0, count };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (count - 1);
  return { mean, std: Math.sqrt(variance), count };
}

/** Median of the values (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
