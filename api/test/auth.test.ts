import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { devLoginResponse, meResponse } from '@saas/shared/contracts';
import { createDb, runMigrations } from '@saas/shared/db';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { devUserId } from '../src/auth/dev-tokens.ts';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, type TestApi } from './support/test-api.ts';

/** fake Supabase Auth JWKS server: serves /auth/v1/.well-known/jwks.json like Supabase does. */
async function startFakeSupabaseAuthJwksServer(
  keys: JWK[],
): Promise<{ url: string; hits: () => number; stop(): Promise<void>; server: Server }> {
  let hits = 0;
  const server = createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') {
      hits++;
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'public, max-age=600',
      });
      res.end(JSON.stringify({ keys }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    server,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

interface SigningKey {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(alg: 'ES256' | 'RS256'): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const supabaseToken = async (
  key: SigningKey,
  issuer: string,
  claims: Record<string, unknown>,
  opts: { sub?: string | null; audience?: string; expiresInS?: number } = {},
): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(opts.audience ?? 'authenticated')
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresInS ?? 600));
  if (opts.sub !== null) jwt.setSubject(opts.sub ?? randomUUID());
  return jwt.sign(key.privateKey);
};

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('auth', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    api = await createTestApi({ db });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  describe('HS256 bearer tokens', () => {
    const expect401 = async (headers: Record<string, string>): Promise<void> => {
      const res = await request(api.app).get('/v1/me').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    };

    it('accepts a valid token and returns the user', async () => {
      const sub = randomUUID();
      const res = await request(api.app)
        .get('/v1/me')
        .set(bearer(await tokenFor(api.config, { sub, email: 'a@example.com' })));
      expect(res.status).toBe(200);
      expect(meResponse.parse(res.body)).toEqual({
        id: sub,
        email: 'a@example.com',
        role: 'authenticated',
      });
    });

    it('401 without a token or with another scheme', async () => {
      await expect401({});
      await expect401({ Authorization: 'Basic dXNlcjpwYXNz' });
      await expect401({ Authorization: 'Bearer' });
      await expect401({ Authorization: 'Bearer not a token' });
    });

    it('401 for an expired token', async () => {
      await expect401(bearer(await tokenFor(api.config, { expiresInS: -60 })));
    });

    it('401 for a tampered token (payload changed, signature kept)', async () => {
      const token = await tokenFor(api.config);
      const [h, , s] = token.split('.');
      const forged = `${h}.${b64({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iss: api.config.jwtIssuer, exp: 9999999999 })}.${s}`;
      await expect401(bearer(forged));
    });

    it('401 for a token signed with another secret', async () => {
      await expect401(
        bearer(await tokenFor(api.config, { secret: 'another-secret-that-is-long-enough-000000' })),
      );
    });

    it('401 for alg none', async () => {
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
        sub: randomUUID(),
        role: 'authenticated',
        aud: 'authenticated',
        iss: api.config.jwtIssuer,
        exp: Math.floor(Date.now() / 1000) + 600,
      })}.`;
      await expect401(bearer(none));
    });

    it('401 for a wrong issuer or audience', async () => {
      await expect401(bearer(await tokenFor(api.config, { issuer: 'https://evil.example' })));
      await expect401(bearer(await tokenFor(api.config, { audience: 'service' })));
    });

    it('401 for anon and service-role style tokens (no sub) and non-user roles', async () => {
      await expect401(bearer(await tokenFor(api.config, { sub: '', role: 'anon' })));
      await expect401(bearer(await tokenFor(api.config, { sub: '', role: 'service_role' })));
      await expect401(bearer(await tokenFor(api.config, { role: 'service_role' })));
      await expect401(bearer(await tokenFor(api.config, { sub: 'not-a-uuid' })));
    });

    it('never logs the token', async () => {
      const token = await tokenFor(api.config, { expiresInS: -1 });
      await request(api.app).get('/v1/me').set(bearer(token));
      const signature = token.split('.')[2]!;
      expect(api.logs.lines.join('\n')).not.toContain(signature);
    });
  });

  describe('dev login', () => {
    it('signs a token the auth middleware accepts, with a deterministic UUID sub', async () => {
      const login = await request(api.app)
        .post('/v1/dev/login')
        .send({ email: 'Dev.User@Example.com' });
      expect(login.status).toBe(200);
      const body = devLoginResponse.parse(login.body);
      expect(login.headers['cache-control']).toBe('no-store');
      const me = await request(api.app).get('/v1/me').set(bearer(body.accessToken));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(devUserId('dev.user@example.com'));
      expect(me.body.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(devUserId(' DEV.user@example.com ')).toBe(me.body.id);
      expect(devUserId('other@example.com')).not.toBe(me.body.id);
    });

    it('never logs the email', async () => {
      await request(api.app).post('/v1/dev/login').send({ email: 'secret.person@example.com' });
      await request(api.app)
        .post('/v1/dev/login')
        .send({ email: 'secret.person@example.com', extra: 1 });
      expect(api.logs.lines.join('\n')).not.toMatch(/secret\.person/);
    });

    it('validates the email strictly', async () => {
      const res = await request(api.app).post('/v1/dev/login').send({ email: 'nope' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ location: 'body', path: 'email' });
    });

    it('is not served when disabled', async () => {
      // Without the opt-in the API needs its own secret (no fallback to the dev one).
      const off = await createTestApi({
        db,
        env: { DEV_LOGIN_ENABLED: 'false', AUTH_JWT_SECRET: 'o'.repeat(48) },
      });
      try {
        const res = await request(off.app).post('/v1/dev/login').send({ email: 'a@example.com' });
        expect(res.status).toBe(404);
      } finally {
        await off.close();
      }
    });
  });

  describe('Supabase JWKS (ES256/RS256) via a fake Supabase Auth JWKS server', () => {
    let es: SigningKey;
    let rs: SigningKey;
    let rogue: SigningKey;
    let jwks: Awaited<ReturnType<typeof startFakeSupabaseAuthJwksServer>>;
    let sb: TestApi;
    let issuer: string;

    beforeAll(async () => {
      [es, rs, rogue] = await Promise.all([
        signingKey('ES256'),
        signingKey('RS256'),
        signingKey('ES256'),
      ]);
      jwks = await startFakeSupabaseAuthJwksServer([es.jwk, rs.jwk]);
      issuer = `${jwks.url}/auth/v1`;
      sb = await createTestApi({ db, env: { SUPABASE_URL: jwks.url } });
    });
    afterAll(async () => {
      await sb?.close();
      await jwks?.stop();
    });

    it.each(['ES256', 'RS256'] as const)('accepts a user token signed with %s', async (alg) => {
      const sub = randomUUID();
      const token = await supabaseToken(
        alg === 'ES256' ? es : rs,
        issuer,
        { role: 'authenticated', email: 'u@example.com' },
        { sub },
      );
      const res = await request(sb.app).get('/v1/me').set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: sub, email: 'u@example.com', role: 'authenticated' });
    });

    it('caches the JWKS instead of fetching it per request', async () => {
      const before = jwks.hits();
      for (let i = 0; i < 3; i++) {
        const token = await supabaseToken(es, issuer, { role: 'authenticated' });
        expect((await request(sb.app).get('/v1/me').set(bearer(token))).status).toBe(200);
      }
      expect(jwks.hits() - before).toBe(0);
    });

    it('401 for the anon and service-role keys (valid signatures, no sub)', async () => {
      const anon = await supabaseToken(
        es,
        issuer,
        { role: 'anon' },
        { sub: null, audience: 'authenticated' },
      );
      const service = await supabaseToken(es, issuer, { role: 'service_role' }, { sub: null });
      for (const t of [anon, service])
        expect((await request(sb.app).get('/v1/me').set(bearer(t))).status).toBe(401);
    });

    it('401 for a key not in the JWKS, a wrong issuer, a wrong audience, an expired token', async () => {
      const tokens = [
        await supabaseToken(rogue, issuer, { role: 'authenticated' }),
        await supabaseToken(es, 'https://other.supabase.co/auth/v1', { role: 'authenticated' }),
        await supabaseToken(es, issuer, { role: 'authenticated' }, { audience: 'anon' }),
        await supabaseToken(es, issuer, { role: 'authenticated' }, { expiresInS: -60 }),
      ];
      for (const t of tokens)
        expect((await request(sb.app).get('/v1/me').set(bearer(t))).status).toBe(401);
    });

    it('still accepts the HS256 dev token beside JWKS outside production', async () => {
      const login = await request(sb.app).post('/v1/dev/login').send({ email: 'a@example.com' });
      expect((await request(sb.app).get('/v1/me').set(bearer(login.body.accessToken))).status).toBe(
        200,
      );
    });

    it('answers 503 (not 401) when the JWKS cannot be fetched', async () => {
      const dead = await startFakeSupabaseAuthJwksServer([]);
      await dead.stop();
      const down = await createTestApi({ db, env: { SUPABASE_URL: dead.url } });
      try {
        const token = await supabaseToken(es, `${dead.url}/auth/v1`, { role: 'authenticated' });
        const res = await request(down.app).get('/v1/me').set(bearer(token));
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBeDefined();
      } finally {
        await down.close();
      }
    });
  });
});
