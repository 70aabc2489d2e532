// One Jest run for every workspace: a single process pool (2 cores here) instead of one per
// package, and one place for the transform. Tests are ESM TypeScript run through @swc/jest.
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2024', transform: { react: { runtime: 'automatic' } } },
    module: { type: 'es6' },
  },
];

const project = (name) => ({
  displayName: name,
  rootDir: `<rootDir>/${name}`,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.tsx?$': swc },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
  // Resolve workspace packages to their TypeScript sources (see the "source" export condition).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
});

export default {
  rootDir: '.',
  projects: ['shared', 'api', 'worker'].map(project),
};
