import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { inspectStream, ObjectTooLargeError, SNIFF_BYTES } from './inspect-stream.ts';

/** A stream of `count` chunks of `size` random bytes, generated on demand (never all in memory at once). */
function chunks(
  count: number,
  size: number,
): { stream: Readable; sha256: () => string; produced: () => number } {
  const hash = createHash('sha256');
  let produced = 0;
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) {
        const chunk = randomBytes(size);
        hash.update(chunk);
        produced += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, sha256: () => hash.digest('hex'), produced: () => produced };
}

describe('inspectStream', () => {
  it('hashes and counts the whole stream and keeps only the first bytes', async () => {
    const source = chunks(64, 1000);
    const result = await inspectStream(source.stream);
    expect(result.size).toBe(64_000);
    expect(result.sha256).toBe(source.sha256());
    expect(result.head.length).toBe(SNIFF_BYTES);
  });

  it('keeps a short object whole as its head', async () => {
    const body = Buffer.from('tiny');
    const result = await inspectStream(Readable.from([body]));
    expect(result.head.equals(body)).toBe(true);
    expect(result.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('stops reading (and destroys the source) past maxBytes', async () => {
    const source = chunks(1000, 1000);
    await expect(inspectStream(source.stream, { maxBytes: 5000 })).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    expect(source.stream.destroyed).toBe(true);
    expect(source.produced()).toBeLessThan(20_000);
  });

  it('rejects when the source fails mid-way (a cut connection)', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(100));
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(inspectStream(failing)).rejects.toThrow('socket hang up');
  });
});
