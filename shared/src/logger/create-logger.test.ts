import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { spawnNode } from '@saas/shared/test-support';
import { createLogger } from './create-logger.ts';
import { createMemoryDestination } from './memory-destination.ts';
import { REDACT_PATHS } from './redact-paths.ts';

const setup = (level: 'info' | 'warn' = 'info') => {
  const dest = createMemoryDestination();
  const log = createLogger({
    service: 'api',
    env: 'production',
    version: '1.2.3',
    level,
    destination: dest,
  });
  return { log, dest };
};

describe('createLogger', () => {
  test('writes JSON lines with service, env, version, ISO time and a level label', () => {
    const { log, dest } = setup();
    log.info({ requestId: 'r-1' }, 'hello');
    const [line] = dest.records();
    expect(line).toMatchObject({
      level: 'info',
      service: 'api',
      env: 'production',
      version: '1.2.3',
      requestId: 'r-1',
      msg: 'hello',
    });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
    expect(typeof line?.pid).toBe('number');
  });

  test('honours the level', () => {
    const { log, dest } = setup('warn');
    log.info('dropped');
    log.warn('kept');
    expect(dest.records().map((r) => r.msg)).toEqual(['kept']);
  });

  test('redacts known paths even when the value looks harmless', () => {
    const { log, dest } = setup();
    log.info(
      {
        password: 'plain',
        req: {
          method: 'GET',
          headers: { authorization: 'opaque', cookie: 'c', 'x-api-key': 'k', accept: '*/*' },
        },
        res: { statusCode: 200, headers: { 'set-cookie': 's', 'content-type': 'text/plain' } },
        body: { email: 'not-an-email', name: 'Ann' },
        job: { data: { token: 't', uploadId: 'u' } },
      },
      'paths',
    );
    expect(dest.records()[0]).toMatchObject({
      password: '[redacted]',
      req: {
        method: 'GET',
        headers: {
          authorization: '[redacted]',
          cookie: '[redacted]',
          'x-api-key': '[redacted]',
          accept: '*/*',
        },
      },
      res: {
        statusCode: 200,
        headers: { 'set-cookie': '[redacted]', 'content-type': 'text/plain' },
      },
      body: { email: '[redacted]', name: 'Ann' },
      job: { data: { token: '[redacted]', uploadId: 'u' } },
    });
  });

  test('uses explicit redact paths: no leading wildcard, at most a few wildcards overall', () => {
    expect(REDACT_PATHS.filter((p) => p.startsWith('*'))).toEqual([]);
    expect(REDACT_PATHS.filter((p) => p.includes('*')).length).toBeLessThanOrEqual(2);
  });

  test('accepts extra redact paths for an app shape', () => {
    const dest = createMemoryDestination();
    const log = createLogger({
      service: 's',
      env: 'e',
      version: 'v',
      destination: dest,
      redactPaths: ['order.note'],
    });
    log.info({ order: { note: 'gift for Ann', id: 7 } });
    expect(dest.records()[0]?.order).toEqual({ note: '[redacted]', id: 7 });
  });

  test('scrubs child bindings of every generation', () => {
    const { log, dest } = setup();
    log
      .child({ userEmail: 'a@b.example', note: 'call 415-555-0132' })
      .child({ deeper: 'x@y.example' })
      .info('child');
    const [line] = dest.records();
    expect(line).toMatchObject({
      userEmail: '[redacted]',
      note: 'call [redacted:phone]',
      deeper: '[redacted:email]',
    });
  });

  test("scrubs what a child's own serializers produce (pino-http binds the live request)", () => {
    const { log, dest } = setup();
    class LiveRequest {
      url = '/v1/x?token=abc123&email=a%40b.example';
      headers = { authorization: 'Bearer abcdefghijkl', 'user-agent': 'jest' };
    }
    const withSerializers = log.child(
      {},
      { serializers: { req: (r: LiveRequest) => ({ url: r.url, headers: r.headers }) } },
    );
    withSerializers.child({ req: new LiveRequest() }).info('request');
    expect(dest.records()[0]?.req).toEqual({
      url: '/v1/x?token=[redacted]&email=[redacted:email]',
      headers: { authorization: '[redacted]', 'user-agent': 'jest' },
    });
  });

  test('takes the message of a lone error, scrubbed', () => {
    const { log, dest } = setup();
    log.error(new Error('lost a@b.example'));
    log.error({ err: new Error('also c@d.example') });
    const [a, b] = dest.records();
    expect(a?.msg).toBe('lost [redacted:email]');
    expect(b?.msg).toBe('also [redacted:email]');
    expect(b?.err).toMatchObject({ type: 'Error', message: 'also [redacted:email]' });
  });

  test('the default stdout destination (batched) flushes on exit: lines survive an immediate process.exit', async () => {
    const script = fileURLToPath(new URL('./test-fixtures/log-then-exit.ts', import.meta.url));
    const child = spawnNode(script);
    const { code } = await child.exited;
    expect(code).toBe(3);
    const records = child.lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.msg)).toEqual(['about to exit', 'crash with token=[redacted]']);
    expect(records[0]).toMatchObject({
      service: 'fixture',
      user: { id: 'u1', email: '[redacted]' },
    });
    expect(child.lines.join('\n')).not.toMatch(/fixture@example\.com|fixture-secret-token/);
  });
});
