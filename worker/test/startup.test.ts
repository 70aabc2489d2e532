import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, spawnNode, type TestDatabase } from '@saas/shared/test-support';
import {
  REPO_ROOT,
  setupWorkerTest,
  workerEnv,
  type WorkerTestContext,
} from './support/harness.ts';

const MIGRATIONS_DIR = join(REPO_ROOT, 'infra', 'supabase', 'migrations');

const spawnWorker = (env: Record<string, string>) =>
  spawnNode('worker/src/main.ts', {
    cwd: REPO_ROOT,
    nodeArgs: ['--import', './worker/src/instrument.ts'],
    env,
  });

describe('worker start-up refusals', () => {
  let ctx: WorkerTestContext;
  let empty: TestDatabase;

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    empty = await createTestDatabase();
  });

  afterAll(async () => {
    await empty?.drop();
    await ctx?.close();
  });

  it('refuses an invalid config: exit 1, each problem named, no secret shown', async () => {
    const child = spawnWorker(
      workerEnv(ctx, {
        WORKER_CONCURRENCY: 'lots',
        WORKER_DRAIN_TIMEOUT_MS: '40000',
        REDIS_URL: 'http://:hunter2-secret@example.com',
      }),
    );
    const { code } = await child.exited;
    expect(code).toBe(1);
    const out = child.lines.join('\n');
    expect(out).toContain('WORKER_CONCURRENCY');
    expect(out).toContain('REDIS_URL');
    expect(out).not.toContain('hunter2-secret');
  });

  it('refuses to start against a database whose migrations are pending', async () => {
    const child = spawnWorker(workerEnv(ctx, { DATABASE_URL: empty.url }));
    const { code } = await child.exited;
    expect(code).toBe(1);
    const line = JSON.parse(await child.waitForLine(/refusing to start/)) as Record<
      string,
      unknown
    >;
    // Every migration of the repo, by version, in order.
    const versions = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => f.slice(0, 14));
    expect(versions.length).toBeGreaterThan(0);
    expect(line).toMatchObject({ level: 'fatal', pending: versions });
  });
});
