import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createDb, runMigrations } from '@saas/shared/db';
import { startFakeSentryIngest } from '@saas/shared/observability';
import {
  createTestDatabase,
  freePort,
  spawnNode,
  uniqueId,
  type SpawnedProcess,
  type TestDatabase,
} from '@saas/shared/test-support';
import { createDevTokenSigner } from '../src/auth/dev-tokens.ts';
import { DEV_JWT_SECRET } from '../src/config.ts';
import { MIGRATIONS_DIR } from './support/test-api.ts';
import { testEnv } from './support/test-config.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const INSTRUMENT = fileURLToPath(new URL('../src/instrument.ts', import.meta.url));

const json = (line: string): Record<string, unknown> => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** One HTTP request over a raw socket, so the test decides when the body's last byte goes. */
function slowLogin(
  port: number,
  email: string,
): { socket: Socket; finish(): void; response: Promise<string> } {
  const body = JSON.stringify({ email });
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `POST /v1/dev/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body.slice(0, 5),
  );
  let data = '';
  const response = new Promise<string>((resolve, reject) => {
    socket.on('data', (b: Buffer) => (data += b.toString('utf8')));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
  return { socket, finish: () => socket.write(body.slice(5)), response };
}

/** Until the server is serving the slow request (in flight = it + this scrape). */
async function waitInFlight(base: string): Promise<void> {
  for (let i = 0; ; i++) {
    const text = await (await fetch(`${base}/metrics`)).text();
    if (/http_requests_in_flight\{service="api"\} 2/.test(text)) return;
    if (i > 200) throw new Error('the slow request never became in-flight');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the real API process: startup guard, graceful shutdown, hard timeout', () => {
  let migrated: TestDatabase;
  let fresh: TestDatabase;
  let proc: SpawnedProcess | undefined;

  const start = async (db: { url: string }, env: Record<string, string> = {}) => {
    const port = await freePort();
    const p = spawnNode(MAIN, {
      nodeArgs: ['--import', INSTRUMENT],
      cwd: tmpdir(),
      env: {
        ...testEnv(db, uniqueId('apiproc')),
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      },
    });
    proc = p;
    return { p, port, base: `http://127.0.0.1:${port}` };
  };

  beforeAll(async () => {
    [migrated, fresh] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const sql = createDb({ url: migrated.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
  });
  afterEach(async () => {
    await proc?.kill();
    proc = undefined;
  });
  afterAll(async () => {
    await migrated?.drop();
    await fresh?.drop();
  });

  it('refuses to start with pending migrations: exit 1, versions listed', async () => {
    const { p } = await start(fresh);
    const { code } = await p.exited;
    expect(code).toBe(1);
    const out = p.lines.join('\n');
    expect(out).toContain('20261123120000');
    expect(out).toMatch(/refusing to start/);
    expect(out).not.toContain('postgres:postgres');
  }, 30_000);

  it('refuses to start when the database stays unreachable: exit 1 after the bounded wait', async () => {
    const dead = await freePort();
    const { p } = await start(
      { url: `postgres://postgres:postgres@127.0.0.1:${dead}/x` },
      { DATABASE_STARTUP_WAIT_MS: '300' },
    );
    expect((await p.exited).code).toBe(1);
    expect(p.lines.join('\n')).toMatch(/database not reachable within 300 ms/);
  }, 30_000);

  it('refuses an unsafe production config naming the variable', async () => {
    const { p } = await start(migrated, { NODE_ENV: 'production', DEV_LOGIN_ENABLED: 'true' });
    expect((await p.exited).code).toBe(1);
    expect(p.lines.join('\n')).toContain('DEV_LOGIN_ENABLED');
  }, 30_000);

  // Issue 14, item 5: a deploy that forgets NODE_ENV=production used to get the dev login and
  // the committed dev secret. Now both need the explicit opt-in, on loopback only.
  it('refuses to start with NODE_ENV unset, no AUTH_JWT_SECRET and no dev-login opt-in', async () => {
    const { p } = await start(migrated, { NODE_ENV: '', DEV_LOGIN_ENABLED: '', HOST: '0.0.0.0' });
    expect((await p.exited).code).toBe(1);
    expect(p.lines.join('\n')).toMatch(/AUTH_JWT_SECRET is not set/);
  }, 30_000);

  it('refuses to start with the dev login on a non-loopback HOST, whatever NODE_ENV', async () => {
    for (const nodeEnv of ['', 'development', 'test']) {
      const { p } = await start(migrated, {
        NODE_ENV: nodeEnv,
        DEV_LOGIN_ENABLED: 'true',
        HOST: '0.0.0.0',
      });
      expect((await p.exited).code).toBe(1);
      const out = p.lines.join('\n');
      expect(out).toContain(
        'DEV_LOGIN_ENABLED=true is only allowed when the API listens on loopback',
      );
      expect(out).not.toMatch(/api listening/);
    }
  }, 60_000);

  it('without the opt-in: no dev login, and a token signed with the committed dev secret is refused', async () => {
    const { p, base } = await start(migrated, {
      NODE_ENV: 'development',
      DEV_LOGIN_ENABLED: '',
      AUTH_JWT_SECRET: 'r'.repeat(48),
    });
    await p.waitForLine(/"msg":"api listening"/, 20_000);
    const login = await fetch(`${base}/v1/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'attacker@example.com' }),
    });
    expect(login.status).toBe(404);
    // The attack: mint a token for any user with the secret from the repository.
    const forged = await createDevTokenSigner({
      secret: DEV_JWT_SECRET,
      issuer: 'saas-api-dev',
      audience: 'authenticated',
    }).sign('victim@example.com');
    const me = await fetch(`${base}/v1/me`, {
      headers: { authorization: `Bearer ${forged.accessToken}` },
    });
    expect(me.status).toBe(401);
  }, 30_000);

  // Issue 14, item 10: Supabase's new key names, the legacy one as an alias, and no secret key
  // where Next.js would ship it to browsers.
  it('refuses a Supabase secret key in a NEXT_PUBLIC_* variable in production, naming it', async () => {
    const secretKey = ['sb', 'secret', 'Q7hT2kP9xZ4mW8vR3nY6bL1c'].join('_');
    const { p } = await start(migrated, {
      NODE_ENV: 'production',
      DEV_LOGIN_ENABLED: '',
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: secretKey,
    });
    expect((await p.exited).code).toBe(1);
    const out = p.lines.join('\n');
    expect(out).toContain('NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY holds a Supabase secret key');
    expect(out).not.toContain(secretKey);
  }, 30_000);

  it('reads the legacy SUPABASE_SERVICE_ROLE_KEY with one deprecation warning at start', async () => {
    const legacy = 'legacy-service-role-key-value-0123456789';
    const { p } = await start(migrated, { SUPABASE_SERVICE_ROLE_KEY: legacy });
    await p.waitForLine(/"msg":"api listening"/, 20_000);
    const warnings = p.lines.filter((l) => l.includes('SUPABASE_SERVICE_ROLE_KEY is deprecated'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 'warn' });
    expect(p.lines.join('\n')).not.toContain(legacy);
  }, 30_000);

  it('MIGRATE_ON_START=true migrates first, then serves', async () => {
    const db = await createTestDatabase();
    try {
      const { p, base } = await start(db, { MIGRATE_ON_START: 'true' });
      await p.waitForLine(/"msg":"api listening"/, 20_000);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      p.signal('SIGTERM');
      expect((await p.exited).code).toBe(0);
    } finally {
      await proc?.kill();
      await db.drop();
    }
  }, 30_000);

  it('each /metrics scrape runs the health checks: health_check_up{check="db"} drops with the database, no /health probe needed', async () => {
    const db = await createTestDatabase();
    try {
      const { p, base } = await start(db, { MIGRATE_ON_START: 'true', HEALTH_CACHE_MS: '0' });
      await p.waitForLine(/"msg":"api listening"/, 20_000);
      const scrape = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
      expect(await scrape()).toMatch(/^health_check_up\{check="db",service="api"\} 1$/m);
      // The database disappears (its connections terminated); only scrapes follow.
      await db.drop();
      expect(await scrape()).toMatch(/^health_check_up\{check="db",service="api"\} 0$/m);
      expect(await scrape()).toMatch(/^health_check_up\{check="redis",service="api"\} 1$/m);
    } finally {
      await proc?.kill();
      await db.drop();
    }
  }, 30_000);

  it('SIGTERM: the in-flight request finishes with 200, then everything closes in order and exit 0', async () => {
    const { p, port, base } = await start(migrated, { SHUTDOWN_TIMEOUT_MS: '10000' });
    await p.waitForLine(/"msg":"api listening"/, 20_000);
    const slow = slowLogin(port, 'drain@example.com');
    await waitInFlight(base);

    p.signal('SIGTERM');
    await p.waitForLine(/"msg":"shutdown started"/);
    // New connections are refused while the old request is still being served.
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    expect(p.child.exitCode).toBeNull();

    slow.finish();
    const raw = await slow.response;
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
    expect(raw).toContain('"accessToken"');

    const { code } = await p.exited;
    expect(code).toBe(0);
    const closed = p.lines
      .map(json)
      .filter((l) => typeof l.msg === 'string' && l.msg.startsWith('closed '))
      .map((l) => l.hook);
    expect(closed).toEqual([
      'http-server',
      'queue',
      'storage',
      'redis-rate-limit',
      'redis',
      'db',
      'tracing',
      'sentry',
    ]);
    expect(p.lines.some((l) => json(l).msg === 'shutdown complete')).toBe(true);
    expect(p.lines.join('\n')).not.toContain('drain@example.com');
  }, 40_000);

  it('past SHUTDOWN_TIMEOUT_MS: exit 1 naming the hook that hung', async () => {
    const { p, port, base } = await start(migrated, { SHUTDOWN_TIMEOUT_MS: '800' });
    await p.waitForLine(/"msg":"api listening"/, 20_000);
    const stuck = slowLogin(port, 'stuck@example.com');
    await waitInFlight(base);
    p.signal('SIGTERM');
    const { code } = await p.exited;
    stuck.socket.destroy();
    expect(code).toBe(1);
    const timeout = p.lines
      .map(json)
      .find((l) => typeof l.msg === 'string' && l.msg.includes('shutdown timed out'));
    expect(timeout).toMatchObject({ hook: 'http-server' });
  }, 30_000);

  it('reports a 5xx to Sentry (fake Sentry ingest server) with request id and user id, no email or token', async () => {
    const sentry = await startFakeSentryIngest();
    const db = await createTestDatabase();
    try {
      const sql = createDb({ url: db.url, max: 1 });
      await runMigrations(sql, { dir: MIGRATIONS_DIR });
      await sql.end();
      const { p, base } = await start(db, { SENTRY_DSN: sentry.dsn });
      await p.waitForLine(/"msg":"api listening"/, 20_000);
      const login = await fetch(`${base}/v1/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'sentry-user@example.com' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = (await (
        await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as {
        id: string;
      };
      // The database disappears under the running API: its queries fail → 503.
      await db.drop();
      const res = await fetch(`${base}/v1/uploads`, {
        headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': 'sentry-req-1' },
      });
      expect(res.status).toBe(503);

      const [event] = await sentry.waitForEvents(1, 15_000);
      expect(event).toMatchObject({
        tags: expect.objectContaining({ requestId: 'sentry-req-1', service: 'api' }),
        transaction: 'GET /v1/uploads',
      });
      expect((event as { user?: { id?: string } }).user?.id).toBe(me.id);
      const raw = sentry.envelopes.map((e) => e.raw).join('\n');
      expect(raw).not.toContain('sentry-user@example.com');
      expect(raw).not.toContain(accessToken.split('.')[2]!);
      expect(raw).not.toContain('postgres:postgres');
      p.signal('SIGTERM');
      expect((await p.exited).code).toBe(0);
      // One event: the SDK's own capture and the error handler's are deduplicated.
      expect(sentry.events()).toHaveLength(1);
    } finally {
      await proc?.kill();
      await db.drop();
      await sentry.close();
    }
  }, 40_000);
});
