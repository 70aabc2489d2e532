import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@saas/shared/config';
import { DEV_JWT_SECRET, hs256Secret } from '../src/config.ts';
import { loadTestConfig, testEnv } from './support/test-config.ts';

const base = testEnv({ url: 'postgres://postgres:postgres@127.0.0.1:54322/postgres' }, 'cfg');
const production = {
  ...base,
  NODE_ENV: 'production',
  DEV_LOGIN_ENABLED: undefined,
  S3_ACCESS_KEY_ID: 'AKIAREALKEY0000',
  S3_SECRET_ACCESS_KEY: 'real-secret-access-key-000000000',
  AUTH_JWT_SECRET: 'x'.repeat(48),
  CORS_ORIGINS: 'https://app.example.com',
  METRICS_TOKEN: 'm'.repeat(48),
};

const refusal = (env: Record<string, string | undefined>): string => {
  try {
    loadTestConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
};

describe('api config', () => {
  it('has working local defaults (with the dev-login opt-in the tests use)', () => {
    const c = loadTestConfig(base);
    expect(c.env.HOST).toBe('127.0.0.1');
    expect(c.env.PORT).toBe(4000);
    // The local web under both names people type (issue 15: 127.0.0.1:3000 failed on CORS).
    expect(c.env.CORS_ORIGINS).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(c.env.TRUST_PROXY_HOPS).toBe(0);
    expect(c.env.RATE_LIMIT_MAX).toBe(300);
    expect(c.env.RATE_LIMIT_FAIL_OPEN).toBe(true);
    expect(c.devLoginEnabled).toBe(true);
    expect(hs256Secret(c)).toBe(DEV_JWT_SECRET);
    expect(c.jwtIssuer).toBe('saas-api-dev');
    expect(c.supabaseAuth).toBeUndefined();
  });

  it('parses lists and derives the Supabase issuer and JWKS URL', () => {
    const c = loadTestConfig({
      ...base,
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com:8443',
      UPLOAD_ALLOWED_TYPES: 'Image/PNG,application/pdf',
      SUPABASE_URL: 'https://ref.supabase.co/',
    });
    expect(c.env.CORS_ORIGINS).toEqual(['https://a.example.com', 'https://b.example.com:8443']);
    expect(c.env.UPLOAD_ALLOWED_TYPES).toEqual(['image/png', 'application/pdf']);
    expect(c.supabaseAuth).toEqual({
      issuer: 'https://ref.supabase.co/auth/v1',
      jwksUrl: 'https://ref.supabase.co/auth/v1/.well-known/jwks.json',
    });
    expect(c.jwtIssuer).toBe('https://ref.supabase.co/auth/v1');
  });

  it.each([
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGIN_PATTERN', '(unclosed'],
    ['BODY_LIMIT', 'lots'],
    ['TRUST_PROXY_HOPS', '-1'],
    ['UPLOAD_ALLOWED_TYPES', 'not a type'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(refusal({ ...base, [name]: value })).toContain(name);
  });

  it('keeps the dev login off and the dev secret unused unless opted in', () => {
    const c = loadTestConfig({
      ...base,
      NODE_ENV: 'development',
      DEV_LOGIN_ENABLED: undefined,
      AUTH_JWT_SECRET: 'y'.repeat(48),
    });
    expect(c.devLoginEnabled).toBe(false);
    expect(hs256Secret(c)).toBe('y'.repeat(48));
    // With Supabase JWKS and no secret: HS256 refused, never the public dev secret.
    const jwksOnly = loadTestConfig({
      ...base,
      NODE_ENV: 'development',
      DEV_LOGIN_ENABLED: undefined,
      SUPABASE_URL: 'https://ref.supabase.co',
    });
    expect(hs256Secret(jwksOnly)).toBeUndefined();
  });

  // Issue 14, item 5: any NODE_ENV but exactly `production` used to turn on the dev login and
  // the public dev secret.
  it.each([['test'], ['development'], [undefined]])(
    'refuses to start without AUTH_JWT_SECRET and without the opt-in (NODE_ENV=%s)',
    (nodeEnv) => {
      const message = refusal({ ...base, NODE_ENV: nodeEnv, DEV_LOGIN_ENABLED: undefined });
      expect(message).toContain('AUTH_JWT_SECRET');
    },
  );

  it.each([['0.0.0.0'], ['::'], ['10.1.2.3'], ['api.internal']])(
    'refuses the dev login when HOST=%s is not loopback',
    (host) => {
      const message = refusal({ ...base, NODE_ENV: 'development', HOST: host });
      expect(message).toContain('DEV_LOGIN_ENABLED');
      expect(message).toContain('HOST');
    },
  );

  it.each([['127.0.0.1'], ['::1'], ['localhost']])('allows the dev login on HOST=%s', (host) => {
    expect(loadTestConfig({ ...base, HOST: host }).devLoginEnabled).toBe(true);
  });

  it('allows it on 0.0.0.0 with the container opt-in (docker compose), never in production', () => {
    const compose = { ...base, HOST: '0.0.0.0', DEV_LOGIN_LOOPBACK_PUBLISHED: 'true' };
    expect(loadTestConfig(compose).devLoginEnabled).toBe(true);
    const prodCompose = { HOST: '0.0.0.0', DEV_LOGIN_LOOPBACK_PUBLISHED: 'true' };
    expect(refusal({ ...production, ...prodCompose, DEV_LOGIN_ENABLED: 'true' })).toContain(
      'DEV_LOGIN_ENABLED',
    );
  });

  it('accepts a complete production config, with dev login off and no dev secret', () => {
    const c = loadTestConfig(production);
    expect(c.production).toBe(true);
    expect(c.devLoginEnabled).toBe(false);
    expect(hs256Secret(c)).toBe('x'.repeat(48));
  });

  it.each([
    ['DEV_LOGIN_ENABLED=true', { DEV_LOGIN_ENABLED: 'true' }, 'DEV_LOGIN_ENABLED'],
    ['the public dev secret', { AUTH_JWT_SECRET: DEV_JWT_SECRET }, 'AUTH_JWT_SECRET'],
    ['no secret without Supabase', { AUTH_JWT_SECRET: undefined }, 'AUTH_JWT_SECRET'],
    ['a short secret', { AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
    ['a catch-all CORS pattern', { CORS_ORIGIN_PATTERN: 'https://.*' }, 'CORS_ORIGIN_PATTERN'],
    // Issue 14, item 9: any Vercel app was accepted in production.
    [
      'a CORS pattern for any Vercel app',
      { CORS_ORIGIN_PATTERN: 'https://.*\\.vercel\\.app' },
      'CORS_ORIGIN_PATTERN',
    ],
    [
      'a CORS pattern for any Vercel project name',
      { CORS_ORIGIN_PATTERN: 'https://[a-z0-9-]+\\.vercel\\.app' },
      'CORS_ORIGIN_PATTERN',
    ],
    ['local S3 credentials', { S3_ACCESS_KEY_ID: 'S3RVER' }, 'S3_ACCESS_KEY_ID'],
    // Issue 14, item 6: /metrics and the health details were public without it.
    ['no METRICS_TOKEN', { METRICS_TOKEN: undefined }, 'METRICS_TOKEN'],
    [
      'the queue dashboard without its token',
      { QUEUE_DASHBOARD_ENABLED: 'true' },
      'QUEUE_DASHBOARD_TOKEN',
    ],
  ])('refuses %s in production', (_label, overrides, name) => {
    const message = refusal({ ...production, ...overrides });
    expect(message).toContain(name);
    expect(message).not.toContain('x'.repeat(48));
  });

  it('runs production without an HS256 secret when Supabase JWKS is configured', () => {
    const c = loadTestConfig({
      ...production,
      AUTH_JWT_SECRET: undefined,
      SUPABASE_URL: 'https://ref.supabase.co',
    });
    expect(hs256Secret(c)).toBeUndefined();
    expect(c.supabaseAuth?.issuer).toBe('https://ref.supabase.co/auth/v1');
  });

  it('accepts a specific preview pattern in production', () => {
    const c = loadTestConfig({
      ...production,
      CORS_ORIGIN_PATTERN: 'https://app-[a-z0-9-]+-team\\.vercel\\.app',
    });
    expect(c.env.CORS_ORIGIN_PATTERN).toBeDefined();
  });
});
