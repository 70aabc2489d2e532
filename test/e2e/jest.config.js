// Browser tests (`npm run test:e2e`): run by test/e2e/run.ts, which starts the stack first and
// passes its URLs in E2E_WEB_URL / E2E_API_URL. Not part of the root jest.config.js projects:
// without the stack they cannot run. One worker: one browser, one stack, tests in order (files
// too: see sequencer.js).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2024' }, module: { type: 'es6' } },
];

/** @type {import('jest').Config} */
export default {
  rootDir: '../..',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  modulePathIgnorePatterns: ['/\\.next(-[\\w-]+)?/'],
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  maxWorkers: 1,
  testSequencer: '<rootDir>/test/e2e/sequencer.js',
  testTimeout: 120000,
};
