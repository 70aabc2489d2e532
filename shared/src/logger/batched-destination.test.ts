import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createBatchedDestination } from './batched-destination.ts';

describe('createBatchedDestination', () => {
  it('writes a turn’s lines with one write, after the turn, and everything on flush', async () => {
    const file = join(tmpdir(), `batched-${process.pid}-${Date.now()}.log`);
    const fd = openSync(file, 'w');
    try {
      const dest = createBatchedDestination({ fd, maxBufferChars: 1000 });
      dest.write('a\n');
      dest.write('b\n');
      expect(readFileSync(file, 'utf8')).toBe(''); // buffered within the turn
      await new Promise((r) => setImmediate(r));
      expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
      dest.write(`${'x'.repeat(1000)}\n`); // past maxBufferChars: written at once
      expect(readFileSync(file, 'utf8')).toHaveLength(4 + 1001);
      dest.write('c\n');
      dest.flush();
      expect(readFileSync(file, 'utf8').endsWith('c\n')).toBe(true);
      dest.close();
    } finally {
      closeSync(fd);
      rmSync(file, { force: true });
    }
  });
});
