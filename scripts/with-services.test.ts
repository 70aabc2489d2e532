import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, isRunning } from '@saas/shared/test-support';

// scripts/with-services.sh (npm run bench, bench:web, test:e2e, test:chaos): starts the local
// services when they are not running, runs the command, stops what it started and passes the
// command's exit code on. Here on ports and a data folder of its own (never the shared ones).

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const localDir = mkdtempSync(join(tmpdir(), 'with-services-'));

afterAll(async () => {
  await run('bash', [join(repoRoot, 'scripts', 'services.sh'), 'purge'], {
    env: { ...process.env, LOCAL_DIR: localDir },
  }).catch(() => {});
  rmSync(localDir, { recursive: true, force: true });
});

describe('scripts/with-services.sh', () => {
  it('starts the services for the command, stops them after it, and exits with its code', async () => {
    const env = {
      ...process.env,
      LOCAL_DIR: localDir,
      PG_PORT: String(await freePort()),
      REDIS_PORT: String(await freePort()),
      S3_PORT: String(await freePort()),
    };
    // The command records the services' pids while they run, checks they answer, exits 3.
    const command = `cat "$LOCAL_DIR"/run/postgres.pid "$LOCAL_DIR"/run/redis.pid "$LOCAL_DIR"/run/s3.pid > "$LOCAL_DIR/pids" && bash scripts/services.sh status && exit 3`;
    const result = await run('bash', ['scripts/with-services.sh', 'bash', '-c', command], {
      cwd: repoRoot,
      env,
      timeout: 120_000,
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/postgres\s+up[\s\S]*redis\s+up[\s\S]*s3\s+up/);
    const pids = readFileSync(join(localDir, 'pids'), 'utf8').trim().split(/\s+/).map(Number);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(result.stderr).toMatch('postgres: stopped');
  }, 180_000);
});
