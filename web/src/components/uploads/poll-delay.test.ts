import { describe, expect, it } from '@jest/globals';
import { nextPollDelay } from './poll-delay.ts';

const s = { active: false, failures: 0, quietPolls: 0, hidden: false };

describe('nextPollDelay', () => {
  it('polls fast while something moves and slows down while nothing changes', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 9].map((q) => nextPollDelay({ ...s, active: true, quietPolls: q })),
    ).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    expect(nextPollDelay(s)).toBe(15_000);
  });

  it('backs off exponentially while the API fails, up to 30 s', () => {
    expect(
      [1, 2, 3, 4, 5, 8].map((failures) => nextPollDelay({ ...s, active: true, failures })),
    ).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('polls at most once a minute in a background tab', () => {
    expect(nextPollDelay({ ...s, active: true, hidden: true })).toBe(60_000);
  });
});
