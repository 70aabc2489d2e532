import { describe, expect, test } from '@jest/globals';
import { currentSentry, initSentry } from './init-sentry.ts';
import { sentryOptionsFromEnv } from './sentry-env.ts';

// Only the disabled path runs in Jest: starting the SDK instruments the whole process, so the
// enabled path is tested in a child process (sentry-envelope.test.ts).
describe('initSentry without a DSN', () => {
  test('is a no-op handle, and stays the process handle', async () => {
    expect(currentSentry().enabled).toBe(false);
    const sentry = initSentry({
      dsn: '',
      environment: 'test',
      release: 'r',
      service: 's',
      tracesSampleRate: 0,
    });
    expect(sentry.enabled).toBe(false);
    expect(sentry.captureException(new Error('x'), { requestId: 'r-1' })).toBeUndefined();
    await expect(sentry.flush(10)).resolves.toBe(true);
    expect(currentSentry()).toBe(sentry);
  });
});

describe('sentryOptionsFromEnv', () => {
  test('maps the parsed env, defaulting the environment to NODE_ENV', () => {
    expect(
      sentryOptionsFromEnv(
        { SENTRY_TRACES_SAMPLE_RATE: 0, NODE_ENV: 'production' },
        { service: 'api', release: '1.0.0' },
      ),
    ).toEqual({
      dsn: undefined,
      environment: 'production',
      release: '1.0.0',
      service: 'api',
      tracesSampleRate: 0,
    });
    expect(
      sentryOptionsFromEnv(
        {
          SENTRY_DSN: 'http://k@h/1',
          SENTRY_ENVIRONMENT: 'staging',
          SENTRY_TRACES_SAMPLE_RATE: 0.1,
          NODE_ENV: 'production',
        },
        { service: 'worker', release: 'abc' },
      ),
    ).toMatchObject({ dsn: 'http://k@h/1', environment: 'staging', tracesSampleRate: 0.1 });
  });
});
