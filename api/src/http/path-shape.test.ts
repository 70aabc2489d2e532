import { describe, expect, it } from '@jest/globals';
import { pathShape } from './path-shape.ts';

describe('pathShape', () => {
  it.each([
    ['/v2/whatever', '/v2/whatever'],
    ['/', '/'],
    ['/.env', '/.env'],
    ['/wp-admin/setup-config.php', '/wp-admin/setup-config.php'],
    ['/reset-password/Q7hT2kP9xZ4mW8vR3nY6bL1c', '/reset-password/:value'],
    ['/v1/uploads/0b6c3f1e-8d2a-4c57-9e1f-2a3b4c5d6e7f/nope', '/v1/uploads/:value/nope'],
    ['/invite/jane.doe@example.com', '/invite/:value'],
    ['/a/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig/b', '/a/:value/b'],
    ['/x/%2Fetc%2Fpasswd', '/x/:value'],
  ])('%s → %s', (path, shape) => {
    expect(pathShape(path)).toBe(shape);
  });

  it('bounds what it keeps of a very long path', () => {
    expect(pathShape(`/a${'/b'.repeat(2000)}`).length).toBeLessThanOrEqual(512);
  });
});
