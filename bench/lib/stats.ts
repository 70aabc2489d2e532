/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** ours / baseline, rounded to 3 decimals (NaN when the baseline is 0). */
export const ratio = (ours: number, baseline: number): number =>
  baseline === 0 ? Number.NaN : Math.round((ours / baseline) * 1000) / 1000;

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** 12345.6 → "12,346" (thousands separators, no decimals). */
export const int = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';

/**
 * The median of per-round ratios ours[r] / baseline[r]: each round's two runs are close in
 * time, so a load spike on a shared machine moves both and cancels out, where a ratio of
 * medians would pair figures from different moments.
 */
export const pairedRatio = (ours: readonly number[], baseline: readonly number[]): number =>
  round(median(ours.map((o, i) => o / baseline[i]!)), 3);

/** "0.44–0.79": the lowest and highest per-round ratio, for the page. */
export const ratioRange = (ours: readonly number[], baseline: readonly number[]): string => {
  const r = ours.map((o, i) => o / baseline[i]!);
  return `${round(Math.min(...r), 2)}–${round(Math.max(...r), 2)}`;
};

/** The value at quantile q (0–1) of a non-empty list, linear between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * The spread of per-round ratios, in % of their median: half the interquartile range
 * ("± x %"). Robust to one disturbed round, unlike min–max; 0 for a single round.
 */
export function ratioSpreadPct(ours: readonly number[], baseline: readonly number[]): number {
  const r = ours.map((o, i) => o / baseline[i]!);
  if (r.length < 2) return 0;
  const half = (quantile(r, 0.75) - quantile(r, 0.25)) / 2;
  return round((half / median(r)) * 100, 1);
}
