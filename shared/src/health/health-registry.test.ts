import { describe, expect, it } from '@jest/globals';
import { createHealthRegistry } from './health-registry.ts';
import type { HealthCheckResult } from './types.ts';

const base = { service: 'test', version: '1.2.3', timeoutMs: 1000, cacheMs: 0 };
const ok = async (): Promise<void> => {};
const failing = async (): Promise<void> => {
  throw new Error('down');
};

describe('createHealthRegistry', () => {
  it('reports ok, degraded when only optional checks fail, fail when a critical one fails', async () => {
    const registry = createHealthRegistry(base);
    registry.register('db', ok, { critical: true });
    registry.register('storage', failing, { critical: false });

    const degraded = await registry.run();
    expect(degraded).toMatchObject({
      status: 'degraded',
      service: 'test',
      version: '1.2.3',
      checks: {
        db: { status: 'ok', critical: true },
        storage: { status: 'fail', critical: false, error: 'down' },
      },
    });
    expect(degraded.uptimeS).toBeGreaterThanOrEqual(0);
    expect(typeof degraded.checks.db?.latencyMs).toBe('number');

    registry.register('redis', failing, { critical: true });
    expect((await registry.run()).status).toBe('fail');
    expect((await registry.run(['db'])).status).toBe('ok');
  });

  it('answers by the timeout when a check never resolves, and aborts its signal', async () => {
    const registry = createHealthRegistry({ ...base, timeoutMs: 5000 });
    let seen: AbortSignal | undefined;
    registry.register(
      'hangs',
      (signal) => {
        seen = signal;
        return new Promise(() => {});
      },
      { critical: true, timeoutMs: 100 },
    );
    const started = performance.now();
    const result = await registry.runOne('hangs');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 'fail', error: 'timed out after 100 ms' });
    expect(seen?.aborted).toBe(true);
  });

  it('turns a synchronous throw into a failed check and passes details through', async () => {
    const registry = createHealthRegistry(base);
    registry.register(
      'sync',
      () => {
        throw new Error('no client');
      },
      { critical: false },
    );
    registry.register('queue', async () => ({ details: { waiting: 3 } }), { critical: false });
    const report = await registry.run();
    expect(report.checks.sync).toMatchObject({ status: 'fail', error: 'no client' });
    expect(report.checks.queue).toMatchObject({ status: 'ok', details: { waiting: 3 } });
  });

  it('reuses a result for cacheMs, failures included, then runs the check again', async () => {
    let clock = 0;
    let calls = 0;
    const registry = createHealthRegistry({ ...base, cacheMs: 1000, now: () => clock });
    registry.register(
      'db',
      async () => {
        calls += 1;
        throw new Error('down');
      },
      { critical: true },
    );
    await registry.run();
    clock = 999;
    await registry.run();
    await registry.runOne('db');
    expect(calls).toBe(1);
    clock = 1000;
    expect((await registry.run()).status).toBe('fail');
    expect(calls).toBe(2);
  });

  it('shares one in-flight run between concurrent callers even without a cache', async () => {
    let calls = 0;
    const registry = createHealthRegistry(base);
    registry.register(
      'db',
      async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 50));
      },
      { critical: true },
    );
    const reports = await Promise.all(Array.from({ length: 25 }, () => registry.run()));
    expect(calls).toBe(1);
    expect(reports.every((r) => r.status === 'ok')).toBe(true);
    await registry.run();
    expect(calls).toBe(2);
  });

  it('calls onResult for real runs only and survives a throwing hook', async () => {
    const seen: [string, HealthCheckResult][] = [];
    const registry = createHealthRegistry({
      ...base,
      cacheMs: 60000,
      onResult: (name, result) => {
        seen.push([name, result]);
        throw new Error('metrics broke');
      },
    });
    registry.register('db', ok, { critical: true });
    await registry.run();
    await registry.run();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe('db');
    expect(seen[0]?.[1].status).toBe('ok');
  });

  it('counts a requested but unregistered check as a failing critical one', async () => {
    const registry = createHealthRegistry(base);
    const report = await registry.run(['db']);
    expect(report.status).toBe('fail');
    expect(report.checks.db).toMatchObject({ status: 'fail', critical: true });
    expect(await registry.runOne('db')).toBeUndefined();
  });

  it('refuses duplicate names and names that are not a URL path segment', () => {
    const registry = createHealthRegistry(base);
    registry.register('db', ok, { critical: true });
    expect(registry.names()).toEqual(['db']);
    expect(registry.has('db')).toBe(true);
    expect(() => registry.register('db', ok, { critical: true })).toThrow(/already registered/);
    expect(() => registry.register('a/b', ok, { critical: true })).toThrow(/invalid/);
  });
});
