import { describe, expect, it } from '@jest/globals';
import { checkEnvDocs } from './env-docs.ts';

describe('env docs drift', () => {
  it('.env.example and docs/env.md match the config schemas (npm run env:docs regenerates them)', () => {
    expect(checkEnvDocs()).toEqual([]);
  });
});
