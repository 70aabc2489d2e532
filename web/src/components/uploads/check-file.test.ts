import { describe, expect, it } from '@jest/globals';
import { checkFile } from './check-file.ts';

const limits = { maxBytes: 1024 * 1024, allowedTypes: ['image/png', 'application/pdf'] };

describe('checkFile (the API’s limits, applied in the browser)', () => {
  it('accepts an allowed file within the limit and normalizes it like the API', () => {
    expect(checkFile({ name: ' cat.png ', type: 'image/png', size: 10 }, limits)).toEqual({
      ok: true,
      request: { filename: 'cat.png', contentType: 'image/png', size: 10 },
    });
  });

  it('refuses a type the API does not accept, naming the accepted ones', () => {
    expect(checkFile({ name: 'a.gif', type: 'image/gif', size: 10 }, limits)).toEqual({
      ok: false,
      message: 'Not uploaded. It is a image/gif file; accepted types are PNG, PDF.',
    });
    expect(checkFile({ name: 'a', type: '', size: 10 }, limits)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Its type is unknown'),
    });
  });

  it('refuses empty and oversized files with their sizes', () => {
    expect(checkFile({ name: 'e.png', type: 'image/png', size: 0 }, limits)).toEqual({
      ok: false,
      message: 'Not uploaded. The file is empty.',
    });
    expect(checkFile({ name: 'b.png', type: 'image/png', size: 3 * 1024 * 1024 }, limits)).toEqual({
      ok: false,
      message: 'Not uploaded. It is 3 MB; the limit is 1 MB.',
    });
  });
});
