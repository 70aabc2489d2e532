import { describe, expect, it } from '@jest/globals';
import { newTraceparent } from './traceparent.ts';

describe('newTraceparent', () => {
  it('is a W3C version-00 traceparent with fresh ids each call', () => {
    const a = newTraceparent();
    const b = newTraceparent();
    expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(a.slice(3, 35)).not.toBe(b.slice(3, 35));
  });

  it('never sends the invalid all-zero ids', () => {
    let calls = 0;
    // Zeros first, then bytes of 1: the generator must draw again.
    const random = (arr: Uint8Array) => arr.fill(calls++ < 2 ? 0 : 1);
    expect(newTraceparent(random)).toBe(`00-${'01'.repeat(16)}-${'01'.repeat(8)}-01`);
  });
});
