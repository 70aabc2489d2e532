import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, isRunning, sessionMembers } from '@saas/shared/test-support';

// The real dev runner (`npm run dev` = scripts/dev.sh) in a session of its own, stopped the
// way a terminal stops it: one SIGINT to the whole foreground process group. Its services run
// on ports of their own with their data in a temp folder (never the shared ones); the api,
// worker and web use their usual ports 3000/4000/4001 (npm test runs this before the e2e and
// chaos suites, which use them too).

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const DEV_PORTS = [3000, 4000, 4001];

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

const json = (line: string): Record<string, unknown> | undefined => {
  const body = line.slice(line.indexOf('{'));
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

const localDir = mkdtempSync(join(tmpdir(), 'dev-runner-'));
afterAll(async () => {
  // Whatever happened: this run's services are stopped and their data removed.
  await new Promise((resolve) =>
    spawn('bash', [join(repoRoot, 'scripts', 'services.sh'), 'purge'], {
      env: { ...process.env, LOCAL_DIR: localDir },
      stdio: 'ignore',
    }).once('exit', resolve),
  );
  rmSync(localDir, { recursive: true, force: true });
});

describe('npm run dev (scripts/dev.sh)', () => {
  it('one Ctrl-C to the process group: every process shuts down in order, the services it started stop, nothing is left', async () => {
    for (const port of DEV_PORTS) expect([port, await portFree(port)]).toEqual([port, true]);
    const [pgPort, redisPort, s3Port] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...process.env,
      PG_PORT: String(pgPort),
      REDIS_PORT: String(redisPort),
      S3_PORT: String(s3Port),
      LOCAL_DIR: localDir,
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      LOG_LEVEL: 'info',
    };
    // detached: a new session and process group, led by dev.sh — like a terminal's job.
    const dev = spawn('bash', ['scripts/dev.sh'], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sid = dev.pid!;
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => dev.once('exit', (c) => resolve(c)));
    let onLine: ((line: string) => void) | undefined;
    for (const stream of [dev.stdout, dev.stderr]) {
      let rest = '';
      stream.on('data', (b: Buffer) => {
        const parts = (rest + b.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        for (const l of parts) {
          lines.push(l);
          onLine?.(l);
        }
      });
    }
    const waitFor = (pattern: RegExp, timeoutMs: number): Promise<void> =>
      new Promise((resolve, reject) => {
        if (lines.some((l) => pattern.test(l))) return resolve();
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no ${pattern} within ${timeoutMs} ms:\n${lines.slice(-40).join('\n')}`),
            ),
          timeoutMs,
        );
        onLine = (l) => {
          if (pattern.test(l)) {
            clearTimeout(timer);
            resolve();
          }
        };
        void exited.then(() => reject(new Error(`dev.sh exited:\n${lines.join('\n')}`)));
      });

    let before: number[];
    let servicePids: number[];
    try {
      await waitFor(/Ready in \d+ s\./, 300_000);
      // One progress line per step, then the banner.
      for (const step of [
        /^\[dev\] node v24\./,
        /^\[dev\] dependencies installed/,
        /^\[dev\] services up/,
        /^\[dev\] migrations applied/,
        /^\[dev\] api ready/,
        /^\[dev\] worker ready/,
        /^\[dev\] web ready/,
      ])
        expect(lines.some((l) => step.test(l))).toBe(true);
      const banner = lines.join('\n');
      expect(banner).toMatch('http://localhost:3000/login with any email');
      expect(banner).toMatch('Ctrl-C');
      servicePids = ['postgres', 'redis', 's3'].map((n) =>
        Number(readFileSync(join(localDir, 'run', `${n}.pid`), 'utf8')),
      );
      before = sessionMembers(sid).map((p) => p.pid);
      // dev.sh, turbo, and for each of api/worker/web at least its npm and node processes.
      expect(before.length).toBeGreaterThanOrEqual(8);

      process.kill(-sid, 'SIGINT');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000).unref()),
      ]);
      expect(code).toBe(130);
    } finally {
      // Never leave the group running, whatever failed above.
      try {
        process.kill(-sid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }

    const logs = lines.map(json).filter((l): l is Record<string, unknown> => l !== undefined);
    for (const service of ['api', 'worker']) {
      const mine = logs.filter((l) => l.service === service);
      expect(mine.find((l) => l.msg === 'shutdown started')).toMatchObject({ reason: 'SIGINT' });
      expect(mine.find((l) => l.msg === 'shutdown complete')).toMatchObject({ exitCode: 0 });
      expect(mine.filter((l) => String(l.msg).includes('received again'))).toEqual([]);
    }
    expect(lines.some((l) => /stopping the services this run started/.test(l))).toBe(true);
    expect(before.filter(isRunning)).toEqual([]);
    expect(sessionMembers(sid)).toEqual([]);
    expect(servicePids.filter(isRunning)).toEqual([]);
  }, 420_000);
});
