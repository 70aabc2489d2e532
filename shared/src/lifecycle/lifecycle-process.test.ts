import { afterEach, describe, expect, it } from '@jest/globals';
import type { SpawnedProcess } from '@saas/shared/test-support';
import { jsonLines, startFixture } from './test-fixtures/fixture-process.ts';

// Real child processes (test-fixtures/lifecycle-app.ts) signalled by pid.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createLifecycle in a real process', () => {
  let proc: SpawnedProcess | undefined;

  afterEach(async () => {
    await proc?.kill();
    proc = undefined;
  });

  it('on SIGTERM flips readiness first, runs hooks in reverse order and exits 0', async () => {
    proc = await startFixture('lifecycle-app', { FIXTURE_HOOKS: 'db:20,redis:20,http:20' });
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });

    const lines = jsonLines(proc);
    const hooks = lines.filter((l) => l.event === 'hook-start');
    expect(hooks.map((l) => l.name)).toEqual(['http', 'redis', 'db']);
    expect(hooks.every((l) => l.ready === false)).toBe(true);
    expect(lines.find((l) => l.msg === 'shutdown started')).toMatchObject({ reason: 'SIGTERM' });
    const closed = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('closed '));
    expect(closed.map((l) => l.hook)).toEqual(['http', 'redis', 'db']);
    expect(closed.every((l) => typeof l.durationMs === 'number')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 0 });
  });

  it('logs a failing hook and still runs the others, exiting 0', async () => {
    proc = await startFixture('lifecycle-app', { FIXTURE_HOOKS: 'db:0,queue:throw,http:0' });
    proc.signal('SIGINT');
    expect((await proc.exited).code).toBe(0);
    const lines = jsonLines(proc);
    expect(lines.filter((l) => l.event === 'hook-start').map((l) => l.name)).toEqual([
      'http',
      'queue',
      'db',
    ]);
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      msg: 'close hook queue failed',
      hook: 'queue',
      err: { message: 'queue refused to close' },
    });
  });

  it('exits at once with 143 on a second SIGTERM during a slow hook', async () => {
    proc = await startFixture('lifecycle-app', {
      FIXTURE_HOOKS: 'db:0,http:30000',
      FIXTURE_REPEAT_WINDOW_MS: '200',
    });
    proc.signal('SIGTERM');
    await proc.waitForLine(/"event":"hook-start","name":"http"/);
    await sleep(400);
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 143, signal: null });
    const lines = jsonLines(proc);
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({
      msg: 'SIGTERM received again during shutdown; exiting now',
      hook: 'http',
    });
    expect(lines.some((l) => l.name === 'db')).toBe(false);
  });

  it('exits 130 on a deliberate second SIGINT, after the repeat window', async () => {
    proc = await startFixture('lifecycle-app', {
      FIXTURE_HOOKS: 'http:30000',
      FIXTURE_REPEAT_WINDOW_MS: '200',
    });
    proc.signal('SIGINT');
    await proc.waitForLine(/"event":"hook-start"/);
    await sleep(400);
    proc.signal('SIGINT');
    expect((await proc.exited).code).toBe(130);
  });

  it('one Ctrl-C delivered twice (terminal + runner) is one request: full shutdown, exit 0', async () => {
    // Default window (1 s). The second copy is sent once the first was handled: two signals
    // still pending together are one for the kernel (standard signals do not queue).
    proc = await startFixture('lifecycle-app', { FIXTURE_HOOKS: 'db:0,http:300' });
    proc.signal('SIGINT');
    await proc.waitForLine(/"event":"hook-start","name":"http"/);
    proc.signal('SIGINT');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const lines = jsonLines(proc);
    expect(lines.filter((l) => l.event === 'hook-start').map((l) => l.name)).toEqual([
      'http',
      'db',
    ]);
    expect(
      lines.filter(
        (l) => l.msg === 'SIGINT repeated within 1000 ms; same request, shutdown continues',
      ),
    ).toHaveLength(1);
    expect(lines.some((l) => l.level === 'warn')).toBe(false);
    expect(lines.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 0 });
  });

  it('a different signal within the window is not a repeat: SIGTERM then SIGINT exits 130', async () => {
    proc = await startFixture('lifecycle-app', { FIXTURE_HOOKS: 'http:30000' });
    proc.signal('SIGTERM');
    await proc.waitForLine(/"event":"hook-start"/);
    proc.signal('SIGINT');
    expect((await proc.exited).code).toBe(130);
  });

  it('exits 1 at the hard timeout, naming the hook that hung', async () => {
    proc = await startFixture('lifecycle-app', {
      FIXTURE_HOOKS: 'db:0,worker:hang,http:0',
      FIXTURE_TIMEOUT_MS: '500',
    });
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    const lines = jsonLines(proc);
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      msg: 'shutdown timed out after 500 ms in close hook worker',
      hook: 'worker',
      notRun: ['db'],
    });
    expect(lines.filter((l) => l.event === 'hook-start').map((l) => l.name)).toEqual([
      'http',
      'worker',
    ]);
  });
});
