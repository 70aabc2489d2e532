import { describe, expect, it } from '@jest/globals';
import { freePort, spawnNode } from '@saas/shared/test-support';

// A harness whose services are missing fails within seconds, naming the service and what to
// do — no ECONNREFUSED stack trace, no minutes-long wait. The npm scripts start the services
// first (scripts/with-services.sh); this is what is left when that was bypassed or failed.

const closedUrl = async (scheme: string, path = ''): Promise<string> =>
  `${scheme}://127.0.0.1:${await freePort()}${path}`;

const cases: [string, string, () => Promise<Record<string, string>>, RegExp][] = [
  [
    'bench',
    'bench/main.ts',
    async () => ({ TEST_DATABASE_URL: await closedUrl('postgres', '/postgres') }),
    /PostgreSQL at 127\.0\.0\.1:\d+/,
  ],
  [
    'bench:web',
    'web/scripts/lighthouse.ts',
    async () => ({ TEST_REDIS_URL: await closedUrl('redis') }),
    /Redis at redis:\/\/127\.0\.0\.1:\d+/,
  ],
  [
    'test:e2e',
    'test/e2e/run.ts',
    async () => ({ TEST_DATABASE_URL: await closedUrl('postgres', '/postgres') }),
    /PostgreSQL at 127\.0\.0\.1:\d+/,
  ],
  [
    'test:chaos',
    'chaos/main.ts',
    async () => ({ TEST_S3_ENDPOINT: await closedUrl('http') }),
    /S3 at http:\/\/127\.0\.0\.1:\d+/,
  ],
];

describe('a runner whose services do not answer', () => {
  it.each(cases)(
    '%s fails within seconds, naming the service, without a stack trace',
    async (_name, script, env, names) => {
      const started = Date.now();
      const proc = spawnNode(script, { env: await env() });
      const { code } = await proc.exited;
      const output = proc.lines.join('\n');
      expect(code).toBe(1);
      expect(output).toMatch(names);
      expect(output).toMatch('npm run services:up');
      expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(output).not.toMatch('ECONNREFUSED\n');
      expect(Date.now() - started).toBeLessThan(30_000);
    },
    60_000,
  );
});
