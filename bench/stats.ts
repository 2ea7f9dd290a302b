/** Summaries of repeated measurements: median and spread, never a single run. */

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** Every sample, in the order measured. */
  samples: number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(xs: readonly number[]): Summary {
  const finite = xs.filter((x) => Number.isFinite(x));
  return {
    n: finite.length,
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    samples: [...xs],
  };
}

export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "12.3 [10.1–14.0]" (n > 1) or "12.3". */
export function fmt(s: Summary, digits = 1, unit = ''): string {
  if (s.n === 0) return 'n/a';
  const m = `${round(s.median, digits).toFixed(digits)}${unit}`;
  if (s.n === 1) return m;
  return `${m} [${round(s.min, digits).toFixed(digits)}–${round(s.max, digits).toFixed(digits)}]`;
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
