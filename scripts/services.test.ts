import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { freePort } from '@saas/shared/test-support';

// scripts/services.sh from a clone inside a folder only its owner can enter (0700, like
// `mktemp -d`, /root or a Debian 12 home): as root PostgreSQL runs as `postgres`, which cannot
// enter such a folder. The services come up on ports of their own (never the shared ones),
// answer, and stop again with no process left behind.

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const isRoot = process.getuid?.() === 0;

/** A minimal clone: what services.sh needs (its scripts, .nvmrc, the installed dependencies). */
function minimalClone(parent: string): string {
  const app = join(parent, 'app');
  mkdirSync(join(app, 'scripts'), { recursive: true });
  for (const part of ['services.sh', 'lib', 'local-s3'])
    cpSync(join(repoRoot, 'scripts', part), join(app, 'scripts', part), { recursive: true });
  cpSync(join(repoRoot, '.nvmrc'), join(app, '.nvmrc'));
  // No package-lock.json in the copy: ensure_deps then trusts the linked node_modules.
  symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
  return app;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const parents: string[] = [];
afterAll(() => {
  for (const dir of parents) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/services.sh in a clone under a 0700 folder', () => {
  it('brings PostgreSQL, Redis and S3 up on its own ports, they answer, and down leaves no process', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'services-0700-'));
    parents.push(parent);
    expect(statSync(parent).mode & 0o777).toBe(0o700);
    const app = minimalClone(parent);
    const [pgPort, redisPort, s3Port] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...process.env,
      // A minimal PATH, as in CI or cron: no /usr/sbin (where runuser lives), Node 24 first.
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      PG_PORT: String(pgPort),
      REDIS_PORT: String(redisPort),
      S3_PORT: String(s3Port),
    };
    const services = (cmd: string) =>
      run('bash', [join(app, 'scripts', 'services.sh'), cmd], {
        cwd: app,
        env,
        timeout: 120_000,
      });
    const local = join(app, '.local');
    const pidOf = (name: string) => Number(readFileSync(join(local, 'run', `${name}.pid`), 'utf8'));
    let pids: number[] = [];
    let externalDir: string | undefined;
    try {
      const up = await services('up');
      expect(up.stderr).toMatch(`postgres: running on 127.0.0.1:${pgPort}`);
      pids = ['postgres', 'redis', 's3'].map(pidOf);
      expect(pids.every(alive)).toBe(true);
      if (isRoot) {
        // The cluster could not live in .local/: it lives in a postgres-owned folder outside
        // the clone, recorded for down/status/purge.
        externalDir = readFileSync(join(local, 'postgres.location'), 'utf8').trim();
        expect(up.stderr).toMatch('the postgres user cannot enter');
        expect(existsSync(join(externalDir, 'data', 'PG_VERSION'))).toBe(true);
      }
      expect((await services('status')).stdout).toMatch(
        /postgres\s+up[\s\S]*redis\s+up[\s\S]*s3\s+up/,
      );

      const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`, {
        max: 1,
        onnotice: () => {},
      });
      try {
        expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      } finally {
        await sql.end({ timeout: 2 });
      }
      const redis = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true });
      try {
        await redis.connect();
        expect(await redis.ping()).toBe('PONG');
        expect(await redis.config('GET', 'maxmemory-policy')).toEqual([
          'maxmemory-policy',
          'noeviction',
        ]);
      } finally {
        redis.disconnect();
      }
      const bucket = await fetch(`http://127.0.0.1:${s3Port}/uploads`);
      expect(bucket.status).toBe(200);
      expect(await bucket.text()).toMatch('<Name>uploads</Name>');

      await services('down');
      expect(pids.filter(alive)).toEqual([]);
      await expect(services('status')).rejects.toMatchObject({ code: 1 });
    } finally {
      // Whatever happened above: nothing of this clone keeps running, no cluster stays behind.
      await services('purge').catch(() => {});
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(local)).toBe(false);
    if (externalDir) expect(existsSync(externalDir)).toBe(false);
  }, 180_000);

  it('without root or sudo, names the missing Debian packages and the command to install them', async () => {
    // A system where PostgreSQL is not installed: dpkg knows no package, sudo refuses. As root
    // the check runs as `nobody` (setpriv), i.e. really without the right to install.
    const parent = mkdtempSync(join(tmpdir(), 'services-nopkg-'));
    parents.push(parent);
    const app = minimalClone(parent);
    const bin = join(parent, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'dpkg-query'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    writeFileSync(
      join(bin, 'sudo'),
      '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    if (isRoot) {
      for (const p of [parent, app, bin, ...readdirSync(bin).map((f) => join(bin, f))])
        chownSync(p, 65534, 65534);
      chmodSync(parent, 0o700);
    }
    const script = `source ${JSON.stringify(join(app, 'scripts', 'lib', 'packages.sh'))}; ensure_packages postgresql redis-server`;
    const argv = isRoot
      ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', '-c', script]]
      : ['bash', ['-c', script]];
    const result = await run(argv[0] as string, argv[1] as string[], {
      cwd: parent,
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: parent },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch('missing Debian packages: postgresql redis-server');
    expect(result.stderr).toMatch(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql redis-server',
    );
  }, 30_000);
});
