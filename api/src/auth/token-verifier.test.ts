import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './token-verifier.ts';

const SECRET = 's'.repeat(48);
const sign = (sub: string, expS: number, nowS: number) =>
  new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('iss')
    .setAudience('authenticated')
    .setIssuedAt(nowS)
    .setExpirationTime(expS)
    .sign(new TextEncoder().encode(SECRET));

describe('createTokenVerifier (HS256, cached)', () => {
  it('never serves a cached verification past the token’s exp', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const verifier = createTokenVerifier({
      audience: 'authenticated',
      hs256: { secret: SECRET, issuer: 'iss' },
      now: () => clock,
    });
    const sub = randomUUID();
    const token = await sign(sub, clock / 1000 + 30, clock / 1000);
    expect((await verifier.verify(token)).id).toBe(sub);
    clock += 20_000;
    expect((await verifier.verify(token)).id).toBe(sub);
    clock += 60_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('verifies a tampered copy of a cached token in full (and refuses it)', async () => {
    const verifier = createTokenVerifier({
      audience: 'authenticated',
      hs256: { secret: SECRET, issuer: 'iss' },
    });
    const nowS = Math.floor(Date.now() / 1000);
    const token = await sign(randomUUID(), nowS + 600, nowS);
    await verifier.verify(token);
    const [h, p, sig] = token.split('.');
    const flipped = `${h}.${p}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(flipped)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('keeps at most maxEntries tokens and still verifies evicted ones', async () => {
    const verifier = createTokenVerifier({
      audience: 'authenticated',
      hs256: { secret: SECRET, issuer: 'iss' },
      cache: { maxEntries: 2 },
    });
    const nowS = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all([1, 2, 3].map(() => sign(randomUUID(), nowS + 600, nowS)));
    for (const t of [...tokens, ...tokens])
      await expect(verifier.verify(t)).resolves.toMatchObject({ role: 'authenticated' });
  });
});
