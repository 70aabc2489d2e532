import { describe, expect, it } from '@jest/globals';
import { calibratedCpuSlowdown } from './cpu-slowdown.ts';

describe('calibratedCpuSlowdown (Lighthouse CPU throttling calculator)', () => {
  it.each([
    [150, 1],
    [800, 2],
    [1050, 2.5],
    [1300, 3],
    [1533, 4],
    [2000, 6],
  ])('benchmark index %d → %d× slowdown', (index, multiplier) => {
    expect(calibratedCpuSlowdown(index)).toBeCloseTo(multiplier, 2);
  });

  it('is continuous where the pieces meet, so a small change in load moves it a little', () => {
    for (const edge of [800, 1300]) {
      expect(
        Math.abs(calibratedCpuSlowdown(edge) - calibratedCpuSlowdown(edge - 0.001)),
      ).toBeLessThan(0.001);
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 149, 0, -5])(
    'refuses an index it has no answer for (%d) and says why',
    (index) => {
      expect(() => calibratedCpuSlowdown(index)).toThrow(/too slow to emulate|outside/);
    },
  );
});
