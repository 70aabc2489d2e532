import { describe, expect, it } from '@jest/globals';
import { checkOpenApi } from './openapi.ts';

describe('openapi drift', () => {
  it('docs/openapi.json matches the zod contracts (npm run openapi regenerates it)', () => {
    expect(checkOpenApi()).toEqual([]);
  });
});
