export { sleep, waitUntil as waitFor } from '@saas/shared/test-support';

/** When the suite started: progress lines and the report count seconds from here. */
export const startedAt = Date.now();

export const elapsedS = (): number => (Date.now() - startedAt) / 1000;

export const say = (message: string): void => {
  process.stderr.write(`[chaos ${elapsedS().toFixed(0).padStart(4)}s] ${message}\n`);
};
