import { describe, expect, it } from '@jest/globals';
import { minorGc, readBufferRelease } from './read-buffer-release.ts';

describe('readBufferRelease', () => {
  it('collects once per `everyBytes` read, whatever the chunk sizes', () => {
    let collections = 0;
    const onChunk = readBufferRelease(100, () => collections++);
    for (let i = 0; i < 10; i++) onChunk(30); // 300 bytes → after 120, 240
    expect(collections).toBe(2);
    onChunk(1000);
    expect(collections).toBe(3);
  });

  it('does nothing where no collector is available', () => {
    expect(() => readBufferRelease(1, null)(10)).not.toThrow();
  });

  it('finds V8’s minor collector in this process, and it frees dropped buffers', async () => {
    const gc = minorGc();
    expect(gc).toBeInstanceOf(Function);
    gc!();
    const before = process.memoryUsage().arrayBuffers;
    // 32 MiB in socket-sized buffers, each dropped at once: what a hashed stream leaves behind.
    for (let i = 0; i < 512; i++) Buffer.allocUnsafeSlow(64 * 1024).fill(1);
    // Most of it is still held (V8 may have run a scavenge of its own during the loop, which is
    // why this is not the full 32 MiB: that made the check flaky on a loaded machine).
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    gc!();
    // Backing stores are freed by a background sweeper: give it a moment.
    for (let i = 0; i < 50 && process.memoryUsage().arrayBuffers - before > 4 * 1024 * 1024; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024);
  });
});
