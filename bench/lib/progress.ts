// Progress goes to stderr so `--json -` style output on stdout stays clean.
export { sleep, waitUntil } from '@saas/shared/test-support';

const started = Date.now();

const stamp = (): string => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;

export const progress = (message: string): void => {
  process.stderr.write(`[bench ${stamp()}] ${message}\n`);
};
