import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './token-verifier.ts';

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

const newKey = async (): Promise<Key> => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
};

const ISSUER = 'https://project.supabase.co/auth/v1';
const sign = (key: Key): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(randomUUID())
    .setIssuer(ISSUER)
    .setAudience('authenticated')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key.privateKey);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real JWKS endpoint on loopback that can stop answering (requests hang until it answers
 * again), as an auth provider in an outage does.
 */
describe('JWKS endpoint outage (stale-if-error key source)', () => {
  let server: Server;
  let url: string;
  let keys: JWK[] = [];
  let hanging = false;
  let fetches = 0;
  const held: (() => void)[] = [];
  let a: Key;
  let b: Key;

  beforeAll(async () => {
    [a, b] = await Promise.all([newKey(), newKey()]);
    keys = [a.jwk];
    server = createServer((req, res) => {
      fetches += 1;
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys }));
      };
      if (hanging) held.push(answer);
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/jwks.json`;
  });
  afterAll(async () => {
    hanging = false;
    for (const h of held.splice(0)) h();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('keeps verifying cached keys, answers "unavailable" for unknown ones, and recovers', async () => {
    const verifier = createTokenVerifier({
      audience: 'authenticated',
      jwks: { url, issuer: ISSUER, cacheMaxAgeMs: 1000, timeoutMs: 300 },
      cache: { maxEntries: 0 },
    });
    await expect(verifier.verify(await sign(a))).resolves.toMatchObject({ role: 'authenticated' });
    // The provider is up and answered: a kid not in its set is a bad token.
    await sleep(1100);
    await expect(verifier.verify(await sign(b))).rejects.toBeInstanceOf(InvalidTokenError);

    hanging = true;
    await sleep(1100); // past the cache age: jose alone would refetch and fail every request
    const before = fetches;
    const t0 = Date.now();
    await expect(verifier.verify(await sign(a))).resolves.toMatchObject({ role: 'authenticated' });
    // One fetch timed out (300 ms); the next requests do not wait for another.
    const t1 = Date.now();
    await expect(verifier.verify(await sign(a))).resolves.toMatchObject({ role: 'authenticated' });
    expect(Date.now() - t1).toBeLessThan(100);
    expect(t1 - t0).toBeGreaterThanOrEqual(250);
    const unknown = verifier.verify(await sign(b));
    await expect(unknown).rejects.not.toBeInstanceOf(InvalidTokenError);
    await expect(unknown).rejects.toThrow();
    expect(fetches - before).toBe(1);

    // Recovery without a restart: the provider answers again, with B rotated in.
    keys = [a.jwk, b.jwk];
    hanging = false;
    for (const h of held.splice(0)) h();
    await sleep(5100); // the retry pause after the failure
    await expect(verifier.verify(await sign(b))).resolves.toMatchObject({ role: 'authenticated' });
    await expect(verifier.verify(await sign(a))).resolves.toMatchObject({ role: 'authenticated' });
  }, 20_000);
});
