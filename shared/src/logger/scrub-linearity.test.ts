import { describe, expect, test } from '@jest/globals';
import { ADVERSARIAL_INPUTS } from './adversarial-inputs.ts';
import { SCRUB_RULES, type ScrubRule } from './scrub-rules.ts';
import { MAX_SCRUB_CHARS, scrubString } from './scrub-string.ts';

// No wall-clock limits (the machine is shared): each rule's CPU time on its worst input at n
// and 4n bytes. Linear work gives a ratio near 4; the JWT rule of before gave 12 (it rescanned
// the run from every `eyJ`). The bound of 8 leaves room for noise on a loaded machine, and
// each figure is the best of several interleaved trials of many repetitions.
const N = 4 * 1024;
const TRIALS = 5;
const MIN_TRIAL_US = 10_000;

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const apply = (rule: ScrubRule, s: string): string => {
  rule.pattern.lastIndex = 0;
  return typeof rule.replace === 'string'
    ? s.replace(rule.pattern, rule.replace)
    : s.replace(rule.pattern, rule.replace);
};

/** Repetitions of the small input that take about MIN_TRIAL_US, so timer noise stays small. */
function calibrate(rule: ScrubRule, s: string): number {
  for (let reps = 1; ; reps *= 2) {
    const t0 = cpuMicros();
    for (let i = 0; i < reps; i++) apply(rule, s);
    if (cpuMicros() - t0 >= MIN_TRIAL_US || reps >= 1 << 16) return reps;
  }
}

function costRatio(rule: ScrubRule, make: (bytes: number) => string): number {
  const small = make(N);
  const large = make(4 * N);
  const reps = calibrate(rule, small);
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let t = 0; t < TRIALS; t++) {
    let t0 = cpuMicros();
    for (let i = 0; i < reps; i++) apply(rule, small);
    bestSmall = Math.min(bestSmall, cpuMicros() - t0);
    t0 = cpuMicros();
    for (let i = 0; i < reps; i++) apply(rule, large);
    bestLarge = Math.min(bestLarge, cpuMicros() - t0);
  }
  return bestLarge / Math.max(bestSmall, 1);
}

describe('scrub rules run in linear time', () => {
  test('every rule has an adversarial input', () => {
    expect(Object.keys(ADVERSARIAL_INPUTS).sort()).toEqual(SCRUB_RULES.map((r) => r.name).sort());
  });

  test.each(SCRUB_RULES.map((rule) => [rule.name, rule] as const))(
    '%s: 4× the adversarial input costs less than 8× the time',
    (name, rule) => {
      const make = ADVERSARIAL_INPUTS[name]!;
      // The input must reach the rule's regex at all, or the figure says nothing.
      expect(rule.hint(make(N))).toBe(true);
      expect(costRatio(rule, make)).toBeLessThan(8);
    },
  );

  test('the scrubber reads at most MAX_SCRUB_CHARS of a string, however long', () => {
    const jwtRun = ADVERSARIAL_INPUTS.jwt!;
    expect(scrubString(jwtRun(1024 * 1024)).length).toBeLessThanOrEqual(MAX_SCRUB_CHARS);
  });
});
