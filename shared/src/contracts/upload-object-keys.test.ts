import { describe, expect, test } from '@jest/globals';
import { uploadObjectKeys } from './upload-object-keys.ts';

describe('uploadObjectKeys', () => {
  const owner = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
  const id = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

  test('derives the incoming and the verified key from the two ids, lower-case', () => {
    expect(uploadObjectKeys(owner, id)).toEqual({
      incoming: `uploads/${owner.toLowerCase()}/${id}`,
      verified: `verified/${owner.toLowerCase()}/${id}`,
    });
  });

  test('refuses anything but two UUIDs: no other input shapes a key', () => {
    for (const [o, i] of [
      ['backups', id],
      [owner, '../../backups/db.dump'],
      [`${owner}/x`, id],
      [owner, ''],
    ] as const) {
      expect(() => uploadObjectKeys(o, i)).toThrow(TypeError);
    }
  });
});
