// One Jest run for every workspace: a single worker pool (2 cores here) instead of one per
// package, and one place for the transform. Tests are ESM TypeScript run through @swc/jest
// (transform only; `tsc --noEmit` does the type checking).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2024',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'es6' },
  },
];

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.tsx?$': swc },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/\\.next(-[\\w-]+)?/', '/test-fixtures/'],
  // web/.next/standalone (and .next-supabase/, the e2e's Supabase-mode build) holds copies of
  // package.json files (the traced server): not modules.
  modulePathIgnorePatterns: ['/\\.next(-[\\w-]+)?/'],
  // Workspace packages resolve to their TypeScript sources (the "source" export condition).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
};

/** @type {import('jest').Config} */
export default {
  rootDir: '.',
  // Lifecycle and job tests spawn real processes against real services.
  testTimeout: 60000,
  projects: [
    ...['shared', 'api', 'worker'].map((name) => ({
      ...base,
      displayName: name,
      rootDir: `<rootDir>/${name}`,
      testMatch: ['<rootDir>/**/*.test.ts'],
      // The API's responses are checked against docs/openapi.json after every test.
      ...(name === 'api'
        ? { setupFilesAfterEnv: ['<rootDir>/test/support/conformance-setup.ts'] }
        : {}),
    })),
    {
      // Component tests of the Next.js app: React 19 in jsdom. The contracts resolve to their
      // sources by the "source" condition; the scrubber by web/tsconfig.json's path alias.
      ...base,
      displayName: 'web',
      rootDir: '<rootDir>/web',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
      testEnvironmentOptions: { customExportConditions: ['source', 'browser', 'default'] },
      moduleNameMapper: {
        '^@saas/shared/logger/scrub$': '<rootDir>/../shared/src/logger/scrub-value.ts',
      },
    },
    {
      ...base,
      displayName: 'repo',
      rootDir: '<rootDir>',
      testMatch: ['<rootDir>/scripts/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    },
  ],
};
