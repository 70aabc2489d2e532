import { describe, expect, it } from '@jest/globals';
import { pathShape } from './path-shape.ts';

describe('pathShape', () => {
  it.each([
    ['/v2/whatever', '/:value/:value'],
    ['/v1/uploads/limits/x', '/v1/uploads/limits/:value'],
    ['/', '/'],
    ['/.env', '/:value'],
    ['/wp-admin/setup-config.php', '/:value/:value'],
    ['/reset-password/Q7hT2kP9xZ4mW8vR3nY6bL1c', '/:value/:value'],
    ['/v1/uploads/0b6c3f1e-8d2a-4c57-9e1f-2a3b4c5d6e7f/nope', '/v1/uploads/:value/:value'],
    ['/v1/uploads/correct-horse-battery-staple/x', '/v1/uploads/:value/:value'],
    ['/invite/jane.doe@example.com', '/:value/:value'],
    ['/a/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig/b', '/:value/:value/:value'],
    ['/x/%2Fetc%2Fpasswd', '/:value/:value'],
  ])('%s → %s', (path, shape) => {
    expect(pathShape(path)).toBe(shape);
  });

  it('bounds what it keeps of a very long path', () => {
    expect(pathShape(`/v1${'/uploads'.repeat(2000)}`).length).toBeLessThanOrEqual(512);
  });
});
