import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface FakeJwks {
  readonly port: number;
  /** The keys /auth/v1/.well-known/jwks.json serves from now on (a rotation). */
  publish(keys: readonly SigningKey[]): void;
  newKey(): Promise<SigningKey>;
  /** A user access token as Supabase Auth signs it (ES256, kid in the header). */
  sign(key: SigningKey, issuer: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Supabase Auth's key endpoint and nothing else (the e2e fake GoTrue server serves the whole
 * auth API; the chaos suite only needs the keys and tokens signed with them): ES256 keys with
 * a kid, served as Supabase serves them at /auth/v1/.well-known/jwks.json.
 */
export async function startFakeJwks(): Promise<FakeJwks> {
  let keys: JWK[] = [];
  const server = createServer((req, res) => {
    if (req.url !== '/auth/v1/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    publish(next) {
      keys = next.map((k) => k.jwk);
    },
    async newKey() {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = randomUUID();
      return {
        kid,
        privateKey,
        jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      };
    },
    sign(key, issuer) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role: 'authenticated', aal: 'aal1' })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
        .setSubject(randomUUID())
        .setIssuer(issuer)
        .setAudience('authenticated')
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
