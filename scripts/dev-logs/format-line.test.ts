import { describe, expect, it } from '@jest/globals';
import { prettyFactory } from 'pino-pretty';
import { formatLogLine } from './format-line.ts';

// The terminal view of `npm run dev` (scripts/dev-logs.ts): pino-pretty without colours, so
// the assertions read plain text.

const pretty = prettyFactory({
  colorize: false,
  translateTime: 'UTC:HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,env,version,service',
});

const base = {
  time: '2026-01-02T03:04:05.678Z',
  pid: 1,
  hostname: 'h',
  env: 'development',
  version: '0.1.0',
};

describe('formatLogLine', () => {
  it('a request line: one line with method, route, status, ms and request id, nothing else', () => {
    const raw = `@saas/api:dev: ${JSON.stringify({
      ...base,
      level: 'info',
      service: 'api',
      requestId: 'req-7f3a',
      method: 'GET',
      route: '/v1/uploads/:id',
      path: '/v1/uploads/9b1c',
      statusCode: 404,
      durationMs: 3,
      userId: 'u1',
      msg: 'request completed',
    })}`;
    expect(formatLogLine(raw, pretty)).toBe(
      '[03:04:05.678] INFO: api    GET /v1/uploads/:id 404 3 ms req-7f3a',
    );
  });

  it('any other JSON line: time, level, service and message first, its own fields after', () => {
    const raw = `@saas/worker:dev: ${JSON.stringify({ ...base, level: 'warn', service: 'worker', queue: 'uploads', msg: 'slow job' })}`;
    expect(formatLogLine(raw, pretty)).toBe(
      '[03:04:05.678] WARN: worker slow job {"queue":"uploads"}',
    );
  });

  it('lines that are not JSON (Next.js, npm, a broken line) pass through unchanged', () => {
    for (const raw of [
      '@saas/web:dev:  ✓ Ready in 2.1s',
      'plain text',
      '@saas/api:dev: {not json',
      '{"a":',
    ])
      expect(formatLogLine(raw, pretty)).toBe(raw);
  });
});
