/** Summaries of repeated measurements: median and spread, never a single run. */

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** Quartiles (linear interpolation), the interquartile range; reported from IQR_MIN_N samples on. */
  q1: number;
  q3: number;
  /** Every sample, in the order measured. */
  samples: number[];
}

/** With fewer samples the quartiles say little beyond min and max. */
export const IQR_MIN_N = 5;

/** The q-quantile of sorted values, interpolating between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

export function summarize(xs: readonly number[]): Summary {
  const finite = xs.filter((x) => Number.isFinite(x));
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    n: finite.length,
    median: quantile(sorted, 0.5),
    min: finite.length ? sorted[0]! : Number.NaN,
    max: finite.length ? sorted.at(-1)! : Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    samples: [...xs],
  };
}

export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "12.3" (n = 1), "12.3 [10.1–14.0]" (min–max), and from IQR_MIN_N samples "12.3 [10.1–14.0; IQR 11.2–13.1]". */
export function fmt(s: Summary, digits = 1, unit = ''): string {
  if (s.n === 0) return 'n/a';
  const f = (x: number) => round(x, digits).toFixed(digits);
  const m = `${f(s.median)}${unit}`;
  if (s.n === 1) return m;
  const iqr = s.n >= IQR_MIN_N && Number.isFinite(s.q1) ? `; IQR ${f(s.q1)}–${f(s.q3)}` : '';
  return `${m} [${f(s.min)}–${f(s.max)}${iqr}]`;
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
