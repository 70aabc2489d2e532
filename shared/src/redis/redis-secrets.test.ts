import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '@saas/shared/test-support';
import { createRedis } from './create-redis.ts';
import { closeRedis } from './close-redis.ts';
import { redisCheck } from './redis-check.ts';

const PASSWORD = 'R3dis-Pa55/word';
const WRONG = 'Wr0ng-Redis-Secret';
const urlWith = (port: number, password: string): string =>
  `redis://default:${encodeURIComponent(password)}@127.0.0.1:${port}`;

describe('Redis errors and logs carry no password', () => {
  let priv: PrivateRedis;
  const clients: Redis[] = [];
  const logged: string[] = [];
  const logger = {
    info: (obj: object, msg: string) => void logged.push(`${msg} ${JSON.stringify(obj)}`),
    warn: (obj: object, msg: string) => void logged.push(`${msg} ${JSON.stringify(obj)}`),
  };
  const make = (url: string): Redis => {
    const r = createRedis(url, { role: 'producer', logger });
    clients.push(r);
    return r;
  };
  const errorText = (e: unknown): string =>
    e instanceof Error ? `${e.message}\n${e.stack}` : String(e);

  beforeAll(async () => {
    priv = await startPrivateRedis();
    const admin = new Redis(priv.url);
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => closeRedis(c)));
    await priv.destroy();
  });

  it('connects with the password from the URL', async () => {
    const r = make(urlWith(priv.port, PASSWORD));
    await new Promise((resolve) => r.once('ready', resolve));
    await expect(redisCheck(r)(AbortSignal.timeout(2000))).resolves.toBeUndefined();
  });

  it('reports a wrong password without it, in the check and in the log', async () => {
    const r = make(urlWith(priv.port, WRONG));
    await new Promise((resolve) => r.once('error', resolve));
    const err = await redisCheck(r)(AbortSignal.timeout(2000)).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    expect(errorText(err)).toMatch(/^redis not ready/);
    expect(logged.join('\n')).toMatch(/redis connection lost; reconnecting .*WRONGPASS/);
    for (const secret of [WRONG, encodeURIComponent(WRONG)]) {
      expect(errorText(err)).not.toContain(secret);
      expect(logged.join('\n')).not.toContain(secret);
    }
  });

  it('reports Redis going away without the password', async () => {
    const r = make(urlWith(priv.port, PASSWORD));
    await new Promise((resolve) => r.once('ready', resolve));
    await priv.stop();
    const err = await redisCheck(r)(AbortSignal.timeout(2000)).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    const failed = await r.set('k', 'v').then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    for (const text of [errorText(err), errorText(failed), logged.join('\n')]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
    }
  });
});
