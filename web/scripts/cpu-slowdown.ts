// Lighthouse's mobile profile slows the CPU down 4×, a figure chosen so that a high-end desktop
// (benchmark index ≈ 1500) behaves like the mid-tier phone the score is defined for. On a slower
// or busy host the same 4× emulates a phone far slower than that, and the score falls for
// reasons that are not the page's. Lighthouse warns about it ("The tested device appears to have
// a slower CPU than Lighthouse expects") and its docs (docs/throttling.md, "Calibrating
// multipliers") point to the Lighthouse team's calculator, whose piecewise-linear map from
// benchmark index to multiplier is reproduced here:
// https://github.com/patrickhulce/lighthouse-cpu-throttling-calculator (pages/index.js).

/** Below this index the calculator gives no multiplier: the host cannot emulate the phone. */
export const MIN_BENCHMARK_INDEX = 150;

/**
 * The CPU slowdown multiplier that makes a host with this Lighthouse benchmark index emulate
 * Lighthouse's reference phone: 150 → 1×, 800 → 2×, 1300 → 3×, 1533 → 4×, 2000 → 6×.
 * Throws for an index the calculator has no answer for (not finite, or below 150).
 */
export function calibratedCpuSlowdown(benchmarkIndex: number): number {
  if (!Number.isFinite(benchmarkIndex) || benchmarkIndex < MIN_BENCHMARK_INDEX) {
    throw new RangeError(
      `benchmark index ${benchmarkIndex} is outside what Lighthouse's calibration covers (≥ ${MIN_BENCHMARK_INDEX}): this host is too slow to emulate a mid-tier phone`,
    );
  }
  if (benchmarkIndex >= 1300) return 3 + (benchmarkIndex - 1300) / 233;
  if (benchmarkIndex >= 800) return 2 + (benchmarkIndex - 800) / 500;
  return 1 + (benchmarkIndex - 150) / 650;
}
