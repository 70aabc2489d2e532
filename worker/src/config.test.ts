import { describe, expect, it } from '@jest/globals';
import { ConfigError, readEnvMeta } from '@saas/shared/config';
import { loadWorkerConfig, workerEnv, workerEnvSchema } from './config.ts';

const required = {
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:54322/postgres',
  REDIS_URL: 'redis://127.0.0.1:6380',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};

const load = (env: Record<string, string>) =>
  loadWorkerConfig({ env: { ...required, ...env }, envFile: false, exampleFile: false });

describe('worker config', () => {
  it('has safe local defaults and the API’s upload allow-list', () => {
    const { env, version } = load({});
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 4001,
      WORKER_DRAIN_TIMEOUT_MS: 25000,
      SHUTDOWN_TIMEOUT_MS: 30000,
      WORKER_LOCK_DURATION_MS: 30000,
      WORKER_STALLED_INTERVAL_MS: 30000,
      WORKER_MAX_STALLED_COUNT: 2,
      WORKER_CONCURRENCY: 5,
      UPLOAD_STUCK_AFTER_MS: 15 * 60_000,
    });
    expect(env.UPLOAD_ALLOWED_TYPES).toEqual([
      'image/png',
      'image/jpeg',
      'image/gif',
      'image/webp',
      'application/pdf',
    ]);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('takes PORT from the environment (Railway sets it) and parses lists', () => {
    const { env } = load({ PORT: '8080', UPLOAD_ALLOWED_TYPES: 'image/PNG, application/pdf' });
    expect(env.PORT).toBe(8080);
    expect(env.UPLOAD_ALLOWED_TYPES).toEqual(['image/png', 'application/pdf']);
  });

  it('refuses a drain budget that does not fit in the shutdown limit, naming both variables', () => {
    expect(() => load({ WORKER_DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '30000' })).toThrow(
      ConfigError,
    );
    expect(() => load({ WORKER_DRAIN_TIMEOUT_MS: '30000' })).toThrow(
      /WORKER_DRAIN_TIMEOUT_MS.*SHUTDOWN_TIMEOUT_MS/,
    );
  });

  it('refuses invalid values with the variable’s name', () => {
    expect(() => load({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => load({ UPLOAD_ALLOWED_TYPES: 'png' })).toThrow(/UPLOAD_ALLOWED_TYPES/);
    // Below a minute: shorter than one process-upload retry schedule.
    expect(() => load({ UPLOAD_STUCK_AFTER_MS: '1000' })).toThrow(/UPLOAD_STUCK_AFTER_MS/);
  });

  it('refuses the local S3 credentials in production', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(/S3_ACCESS_KEY_ID/);
  });

  it('requires METRICS_TOKEN in production (else /metrics and health details are public)', () => {
    const prod = {
      NODE_ENV: 'production',
      S3_ACCESS_KEY_ID: 'AKIAPRODUCTIONKEY00',
      S3_SECRET_ACCESS_KEY: 'production-secret-access-key-0000',
    };
    expect(() => load(prod)).toThrow(/METRICS_TOKEN/);
    expect(load({ ...prod, METRICS_TOKEN: 'm'.repeat(48) }).env.METRICS_TOKEN).toBe('m'.repeat(48));
  });

  it('documents every variable it adds', () => {
    for (const name of Object.keys(workerEnv)) {
      const field = (workerEnvSchema.shape as Record<string, Parameters<typeof readEnvMeta>[0]>)[
        name
      ];
      expect(field && readEnvMeta(field)?.description).toEqual(expect.any(String));
    }
  });
});
