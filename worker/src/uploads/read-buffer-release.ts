import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type MinorGc = () => void;

/** Every 16 MiB read: ~1 ms of scavenge each, measured on this repo's bench machine. */
export const RELEASE_EVERY_BYTES = 16 * 1024 * 1024;

let cached: MinorGc | null | undefined;

/**
 * V8's minor (young-generation) collection, or null where it cannot be had. `node --expose-gc`
 * provides it; otherwise the flag is set at runtime and the function taken from a fresh
 * context — the documented way to reach `gc` after start-up. Only ever called as
 * `{ type: 'minor' }`: a scavenge of the young generation, never a full collection.
 */
export function minorGc(): MinorGc | null {
  if (cached !== undefined) return cached;
  try {
    let gc = (globalThis as { gc?: unknown }).gc;
    if (typeof gc !== 'function') {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc');
    }
    const fn = gc as (opts: { type: 'minor' }) => void;
    cached = typeof gc === 'function' ? () => fn({ type: 'minor' }) : null;
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * Releases the socket buffers a stream has already been read from, every `everyBytes`.
 *
 * Why: each chunk a socket reads is a fresh buffer outside the JS heap. A job that hashes and
 * drops them allocates almost nothing on the heap, so V8 collects only when that external
 * memory has grown by its 64 MiB soft limit — a worker streaming a big object held 75–110 MiB
 * of read, hashed, garbage buffers (bench/: `worker.rssGrowthMiB`). The buffers' JS objects
 * are young, so a scavenge frees them. Returns a function to call with each chunk's length.
 */
export function readBufferRelease(
  everyBytes: number = RELEASE_EVERY_BYTES,
  gc: MinorGc | null = minorGc(),
): (chunkBytes: number) => void {
  if (!gc) return () => {};
  let since = 0;
  return (chunkBytes) => {
    since += chunkBytes;
    if (since < everyBytes) return;
    since = 0;
    gc();
  };
}
