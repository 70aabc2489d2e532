import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  ConfigError,
  baseEnv,
  defaultProductionRules,
  defineConfig,
  minSecretLength,
  noDevLogin,
  noLocalS3Credentials,
  noWildcardCorsOrigin,
  requiredInProduction,
} from './index.ts';

const SHORT_SECRET = 'too-short-but-secret';

// Assembled at runtime (secret scanners): a legacy service_role key and a new secret key.
const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const SERVICE_ROLE_JWT = [
  b64url({ alg: 'HS256', typ: 'JWT' }),
  b64url({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'service_role' }),
  'c2lnbmF0dXJl',
].join('.');
const ANON_JWT = [
  b64url({ alg: 'HS256', typ: 'JWT' }),
  b64url({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon' }),
  'c2lnbmF0dXJl',
].join('.');
const SB_SECRET = ['sb', 'secret', 'Q7hT2kP9xZ4mW8vR3nY6bL1c'].join('_');

const config = defineConfig({
  shape: {
    ...baseEnv,
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:3000')
      .transform((value) => value.split(','))
      .meta({ description: 'Allowed origins, comma-separated.' }),
    DEV_LOGIN_ENABLED: z.stringbool().default(false).meta({ description: 'Dev-only login.' }),
    S3_ACCESS_KEY_ID: z.string().optional().meta({ description: 'S3 key id.' }),
    S3_SECRET_ACCESS_KEY: z.string().optional().meta({ description: 'S3 secret.', secret: true }),
    AUTH_JWT_SECRET: z.string().optional().meta({ description: 'HS256 secret.', secret: true }),
    METRICS_TOKEN: z.string().optional().meta({ description: '/metrics token.', secret: true }),
  },
  productionRules: [...defaultProductionRules, requiredInProduction(['METRICS_TOKEN'])],
});

const safeProduction = {
  NODE_ENV: 'production',
  CORS_ORIGINS: 'https://app.example.com',
  METRICS_TOKEN: 'x'.repeat(32),
};

function refusals(env: Record<string, string>): readonly string[] {
  try {
    config.load({ env, envFile: false, exampleFile: false });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).toContain('NODE_ENV=production');
    return error.problems;
  }
}

describe('production rules', () => {
  it('accept a safe production config', () => {
    expect(refusals(safeProduction)).toEqual([]);
  });

  it('do not run outside production', () => {
    expect(
      refusals({ CORS_ORIGINS: '*', DEV_LOGIN_ENABLED: 'true', S3_ACCESS_KEY_ID: 'S3RVER' }),
    ).toEqual([]);
  });

  it.each([
    [
      'a wildcard CORS origin',
      { CORS_ORIGINS: 'https://app.example.com,https://*.vercel.app' },
      'CORS_ORIGINS',
    ],
    ['the dev login', { DEV_LOGIN_ENABLED: 'true' }, 'DEV_LOGIN_ENABLED'],
    ['a missing production secret', { METRICS_TOKEN: '' }, 'METRICS_TOKEN'],
    ['the local S3 key id', { S3_ACCESS_KEY_ID: 'S3RVER' }, 'S3_ACCESS_KEY_ID'],
    ['the local S3 secret', { S3_SECRET_ACCESS_KEY: 'minioadmin' }, 'S3_SECRET_ACCESS_KEY'],
    ['a short HS256 secret', { AUTH_JWT_SECRET: SHORT_SECRET }, 'AUTH_JWT_SECRET'],
  ])('refuse %s, naming the variable', (_name, unsafe, variable) => {
    const problems = refusals({ ...safeProduction, ...unsafe });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
    expect(problems[0]).not.toContain(SHORT_SECRET);
  });

  // Issue 14, item 10: a secret key in a NEXT_PUBLIC_* variable ships to every browser.
  it.each([
    ['NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY', SB_SECRET],
    ['NEXT_PUBLIC_SUPABASE_ANON_KEY', SERVICE_ROLE_JWT],
    ['NEXT_PUBLIC_ANYTHING', SB_SECRET],
  ])('refuse a Supabase secret key in %s, naming it and not the key', (name, key) => {
    const problems = refusals({ ...safeProduction, [name]: key });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).not.toContain(key);
  });

  it('accept publishable and anon keys in NEXT_PUBLIC_* variables', () => {
    expect(
      refusals({
        ...safeProduction,
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_Q7hT2kP9xZ4mW8vR3nY6bL1c',
        NEXT_PUBLIC_SUPABASE_ANON_KEY: ANON_JWT,
        SUPABASE_SECRET_KEY: SB_SECRET,
      }),
    ).toEqual([]);
  });

  it('report every refusal at once', () => {
    const problems = refusals({
      NODE_ENV: 'production',
      CORS_ORIGINS: '*',
      DEV_LOGIN_ENABLED: 'true',
    });
    expect(problems).toEqual([
      expect.stringContaining('CORS_ORIGINS'),
      expect.stringContaining('DEV_LOGIN_ENABLED'),
      expect.stringContaining('METRICS_TOKEN'),
    ]);
  });

  it('read a plain string list and custom variable names', () => {
    expect(noWildcardCorsOrigin('ORIGINS')({ ORIGINS: 'https://a.example,*' })).toContain(
      'ORIGINS',
    );
    expect(noDevLogin('DEMO_LOGIN')({ DEMO_LOGIN: true })).toContain('DEMO_LOGIN');
    expect(noLocalS3Credentials(['KEY'])({ KEY: 'S3RVER' })).toContain('KEY');
    expect(minSecretLength('HMAC_KEY', 64)({ HMAC_KEY: 'x'.repeat(63) })).toContain('HMAC_KEY');
    expect(minSecretLength('HMAC_KEY', 64)({ HMAC_KEY: 'x'.repeat(64) })).toBeUndefined();
  });
});
