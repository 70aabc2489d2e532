// The logger's batched destination (shared/src/logger) wired like the processes' mains, with
// the lifecycle module's signal handling and crash policy: a real process must lose no line.
// Here, not in the logger module: it crosses two modules (logger + lifecycle).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnNode, type SpawnedProcess } from '@saas/shared/test-support';

const fixture = fileURLToPath(new URL('./fixtures/log-burst-until-shutdown.ts', import.meta.url));

const records = (proc: SpawnedProcess): Record<string, unknown>[] =>
  proc.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every `burst line` has the next seq: none lost, none twice, none out of order. */
const expectContiguous = (recs: Record<string, unknown>[], logged: number): void => {
  const seqs = recs.filter((r) => r.msg === 'burst line').map((r) => r.seq);
  expect(seqs).toHaveLength(logged);
  expect(seqs.every((s, i) => s === i)).toBe(true);
};

describe('batched log destination in a real process', () => {
  let proc: SpawnedProcess | undefined;
  afterEach(async () => {
    await proc?.kill();
    proc = undefined;
  });

  it('a real process loses no line on SIGTERM: every buffered line is out before exit 0', async () => {
    proc = spawnNode(fixture);
    await proc.waitForLine(/^bursting$/);
    await new Promise((r) => setTimeout(r, 300)); // some thousands of lines, some buffered
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const recs = records(proc);
    const stopped = recs.find((r) => r.msg === 'burst stopped');
    expect(stopped).toBeDefined();
    const logged = Number(stopped!.logged);
    expect(logged).toBeGreaterThan(200);
    expectContiguous(recs, logged);
    expect(recs.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 0 });
  });

  it('a real process loses no line on a fatal error (crash policy exit): exit 1, fatal line out', async () => {
    proc = spawnNode(fixture, { env: { FIXTURE_MODE: 'crash' } });
    expect((await proc.exited).code).toBe(1);
    const recs = records(proc);
    const logged = Number(recs.find((r) => r.msg === 'about to crash')?.logged);
    expect(logged).toBe(2000);
    expectContiguous(recs, logged);
    expect(recs.find((r) => r.level === 'fatal')).toMatchObject({
      msg: 'uncaughtException; shutting down (crash policy "exit")',
      err: { message: 'fixture crash' },
    });
    expect(recs.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 1 });
  });
});
