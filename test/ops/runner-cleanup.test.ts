import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isRunning, sessionMembers, type ProcInfo } from '@saas/shared/test-support';

// Every harness stops every process it started when it gets SIGTERM (CI cancelling a job):
// each runner is started for real in a session of its own, left to start its children, then
// SIGTERMed by pid (the runner alone, not its group); afterwards no process of its session and
// none of the processes it started elsewhere (a daemonized PostgreSQL) may be left. Counted by
// pid and session, never by name. Each runs only up to its first children: seconds, not the
// suite. The dev runner's Ctrl-C is tested in scripts/dev.test.ts.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Runner {
  child: ChildProcess;
  sid: number;
  lines: string[];
  exited: Promise<number | null>;
}

let running: Runner | undefined;
afterEach(() => {
  // A failed test must not leave its runner's session behind.
  if (running?.child.pid)
    try {
      process.kill(-running.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  running = undefined;
});

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Runner {
  const child = spawn(cmd, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (b: Buffer) => lines.push(...b.toString('utf8').split('\n')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  running = { child, sid: child.pid!, lines, exited };
  return running;
}

async function until<T>(what: string, r: Runner, fn: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (r.child.exitCode !== null)
      throw new Error(`runner exited before ${what}:\n${r.lines.slice(-40).join('\n')}`);
    if (Date.now() > deadline)
      throw new Error(`no ${what} within ${ms} ms:\n${r.lines.slice(-40).join('\n')}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** The runner's session without the runner itself. */
const children = (r: Runner): ProcInfo[] => sessionMembers(r.sid).filter((p) => p.pid !== r.sid);

async function sigtermAndCheck(r: Runner, extraPids: number[] = []): Promise<number | null> {
  const tree = [...children(r).map((p) => p.pid), ...extraPids];
  process.kill(r.sid, 'SIGTERM');
  const code = await Promise.race([
    r.exited,
    new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 60_000).unref()),
  ]);
  expect(code).not.toBe('timeout');
  // Give processes killed a moment ago time to be reaped by their parents.
  const deadline = Date.now() + 5000;
  while (tree.some(isRunning) && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 100));
  expect(tree.filter(isRunning)).toEqual([]);
  expect(sessionMembers(r.sid).map((p) => p.cmd)).toEqual([]);
  return code as number | null;
}

const nodeChildren = (r: Runner): ProcInfo[] =>
  children(r).filter((p) => p.cmd.includes('--conditions=source'));

describe('runners stop everything they started on SIGTERM', () => {
  it('bench (npm run bench): the servers under test', async () => {
    const r = start(process.execPath, [
      '--conditions=source',
      'bench/main.ts',
      '--quick',
      '--only',
      'api',
    ]);
    await until('a server under test', r, () => nodeChildren(r).length >= 1 || undefined, 60_000);
    expect(await sigtermAndCheck(r)).toBe(143);
  }, 120_000);

  it('chaos (npm run test:chaos): APIs, workers, private Redis and PostgreSQL', async () => {
    const r = start(process.execPath, ['--conditions=source', 'chaos/main.ts']);
    const postmaster = await until(
      'the private PostgreSQL',
      r,
      () => {
        const m = r.lines.join('\n').match(/postmaster pid (\d+)/);
        return m ? Number(m[1]) : undefined;
      },
      90_000,
    );
    // The 2 APIs and 3 workers are starting: at least some of them run.
    await until(
      'api and worker processes',
      r,
      () => nodeChildren(r).length >= 3 || undefined,
      90_000,
    );
    expect(isRunning(postmaster)).toBe(true);
    expect(await sigtermAndCheck(r, [postmaster])).toBe(143);
  }, 240_000);

  it('e2e (npm run test:e2e): api, worker and the web build', async () => {
    const r = start(process.execPath, ['--conditions=source', 'test/e2e/run.ts']);
    await until(
      'the api and the worker',
      r,
      () => children(r).filter((p) => p.cmd.includes('src/main.ts')).length >= 2 || undefined,
      120_000,
    );
    expect(await sigtermAndCheck(r)).toBe(143);
  }, 240_000);

  it('npm test (scripts/test.sh): the running step and its processes', async () => {
    const r = start('bash', ['scripts/test.sh']);
    await until(
      'the first step',
      r,
      () => r.lines.some((l) => l.includes('==> format')) || undefined,
      120_000,
    );
    await until('a step process', r, () => children(r).length >= 1 || undefined, 30_000);
    expect(await sigtermAndCheck(r)).toBe(143);
    expect(r.lines.join('\n')).toMatch('TERM received: remaining steps skipped');
  }, 240_000);
});
