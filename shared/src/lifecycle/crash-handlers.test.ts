import { afterEach, describe, expect, it } from '@jest/globals';
import type { SpawnedProcess } from '@saas/shared/test-support';
import { jsonLines, startFixture } from './test-fixtures/fixture-process.ts';

// Real child processes (test-fixtures/crash-app.ts): SIGUSR2 makes the fixture crash.

describe('installCrashHandlers in a real process', () => {
  let proc: SpawnedProcess | undefined;

  afterEach(async () => {
    await proc?.kill();
    proc = undefined;
  });

  it.each([
    ['exception', 'uncaughtException', 'boom 1'],
    ['rejection', 'unhandledRejection', 'rejected 1'],
  ])(
    'policy "exit": a %s logs fatal, runs the close hooks and exits 1',
    async (crash, kind, message) => {
      proc = await startFixture('crash-app', { FIXTURE_POLICY: 'exit', FIXTURE_CRASH: crash });
      proc.signal('SIGUSR2');
      expect(await proc.exited).toEqual({ code: 1, signal: null });
      const lines = jsonLines(proc);
      expect(lines.find((l) => l.level === 'fatal')).toMatchObject({ kind, err: { message } });
      expect(lines.find((l) => l.msg === 'shutdown started')).toMatchObject({ reason: kind });
      expect(lines.some((l) => l.event === 'hook-start' && l.name === 'resource')).toBe(true);
      expect(lines.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 1 });
    },
  );

  it.each([
    ['exception', 'uncaughtException', 'boom'],
    ['rejection', 'unhandledRejection', 'rejected'],
  ])('policy "log": a %s is logged and the process keeps working', async (crash, kind, message) => {
    proc = await startFixture('crash-app', { FIXTURE_POLICY: 'log', FIXTURE_CRASH: crash });
    proc.signal('SIGUSR2');
    await proc.waitForLine(/"event":"after-crash","n":1/);
    proc.signal('SIGUSR2');
    await proc.waitForLine(/"event":"after-crash","n":2/);
    const errors = jsonLines(proc).filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ kind, err: { name: 'Error', message: `${message} 1` } }),
      expect.objectContaining({ kind, err: { name: 'Error', message: `${message} 2` } }),
    ]);
    // Still a normal process: a SIGTERM is a graceful shutdown with exit 0.
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });
});
