import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, startBlackhole, type TestDatabase } from '@saas/shared/test-support';
import { createDb, type Db } from './create-db.ts';
import { dbCheck } from './db-check.ts';
import { DatabaseUnavailableError, waitForDb } from './wait-for-db.ts';

/** The rejection of `p` (fails the test if it resolves). */
async function rejectionOf<E = Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

const PASSWORD = 'Sup3r-Secret-Pw';
const withPassword = (url: string, password: string): string => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

describe('dbCheck and waitForDb', () => {
  let db: TestDatabase;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  const clients: Db[] = [];
  const open = (url: string, connectTimeoutMs = 5000): Db => {
    const sql = createDb({ url, max: 2, connectTimeoutMs, applicationName: 'db-check-test' });
    clients.push(sql);
    return sql;
  };
  const hangingUrl = (): string =>
    `postgres://postgres:${PASSWORD}@127.0.0.1:${blackhole.port}/postgres`;

  beforeAll(async () => {
    db = await createTestDatabase();
    blackhole = await startBlackhole();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 0 })));
    await blackhole.close();
    await db.drop();
  });

  it('answers ok against the real database', async () => {
    await expect(dbCheck(open(db.url))(AbortSignal.timeout(5000))).resolves.toBeUndefined();
  });

  it('answers by its abort signal against a server that never replies, without the password', async () => {
    const check = dbCheck(open(hangingUrl()));
    const started = Date.now();
    const err = await rejectionOf<Error>(check(AbortSignal.timeout(300)));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/timed out/);
    expect(`${err.message}\n${err.stack}`).not.toContain(PASSWORD);
  });

  it('answers by its abort signal while every pool connection is busy', async () => {
    const sql = open(db.url);
    const busy = [sql`select pg_sleep(0.8)`.execute(), sql`select pg_sleep(0.8)`.execute()];
    await expect(dbCheck(sql)(AbortSignal.timeout(200))).rejects.toThrow('select 1 timed out');
    await Promise.all(busy);
    await expect(dbCheck(sql)(AbortSignal.timeout(5000))).resolves.toBeUndefined();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(dbCheck(open(db.url))(ctrl.signal)).rejects.toThrow(/aborted/);
  });

  it('reports a refused login without the password it tried', async () => {
    const check = dbCheck(open(withPassword(db.url, PASSWORD)));
    const err = await rejectionOf<Error & { code?: string }>(check(AbortSignal.timeout(5000)));
    expect(err.message).toMatch(/password authentication failed/);
    expect(err.code).toBe('28P01');
    expect(`${err.message}\n${err.stack}\n${JSON.stringify(err)}`).not.toContain(PASSWORD);
  });

  it('waitForDb gives up after its timeout against a hanging server, with a clear error', async () => {
    const warnings: string[] = [];
    const logger = {
      info: () => {},
      warn: (obj: object, msg: string) => warnings.push(`${msg} ${JSON.stringify(obj)}`),
    };
    const started = Date.now();
    const err = await rejectionOf<Error>(
      waitForDb(open(hangingUrl(), 500), { timeoutMs: 1500, logger }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err.message).toMatch(
      /database not reachable within 1500 ms \(\d+ attempts; last error: /,
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(`${err.message}\n${err.stack}\n${warnings.join('\n')}`).not.toContain(PASSWORD);
    expect(err.message).not.toContain('postgres://');
  });

  it('waitForDb fails at once, with the reason, when the login is refused', async () => {
    const err = await rejectionOf<Error>(
      waitForDb(open(withPassword(db.url, PASSWORD)), { timeoutMs: 20_000 }),
    );
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err.message).toMatch(
      /^database refused the connection: select 1 failed: password authentication failed/,
    );
    expect(err).toHaveProperty('code', '28P01');
    expect(err.message).not.toContain(PASSWORD);
  });

  it('waitForDb returns once the real database answers', async () => {
    await expect(waitForDb(open(db.url), { timeoutMs: 5000 })).resolves.toBeUndefined();
  });

  it('createDb refuses an unparsable URL without echoing it', () => {
    expect(() => createDb({ url: `not a url ${PASSWORD}` })).toThrow(
      'database URL is not a valid URL (value not shown)',
    );
  });
});
