import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { closeHttpServer } from './close-http-server.ts';
import { createLifecycle } from './create-lifecycle.ts';
import type { LifecycleLogger } from './lifecycle-logger.ts';

// In-process behaviour with an injected exit; the signal, timeout and crash paths run in real
// child processes (lifecycle-process, crash-handlers and close-http-server tests).

const memoryLogger = (): LifecycleLogger & { entries: { level: string; msg: string }[] } => {
  const entries: { level: string; msg: string }[] = [];
  const at = (level: string) => (_fields: Record<string, unknown>, msg: string) => {
    entries.push({ level, msg });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
};

describe('createLifecycle', () => {
  it('is ready until shutdown starts; shutdown is idempotent and exits once', async () => {
    const exits: number[] = [];
    const lifecycle = createLifecycle({
      logger: memoryLogger(),
      timeoutMs: 5000,
      exit: (c) => exits.push(c),
    });
    let runs = 0;
    lifecycle.onClose('db', () => {
      runs += 1;
    });
    expect(lifecycle.isReady()).toBe(true);
    expect(lifecycle.isShuttingDown()).toBe(false);
    const first = lifecycle.shutdown('test');
    expect(lifecycle.isReady()).toBe(false);
    expect(lifecycle.isShuttingDown()).toBe(true);
    expect(lifecycle.shutdown('again')).toBe(first);
    await first;
    expect(runs).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('runs a hook registered during shutdown, next, as the newest resource', async () => {
    const order: string[] = [];
    const lifecycle = createLifecycle({ logger: memoryLogger(), timeoutMs: 5000, exit: () => {} });
    lifecycle.onClose('db', () => order.push('db'));
    lifecycle.onClose('http', () => {
      order.push('http');
      lifecycle.onClose('late', () => order.push('late'));
    });
    await lifecycle.shutdown('test');
    expect(order).toEqual(['http', 'late', 'db']);
  });

  it('keeps the highest exit code asked for (a crash during a graceful shutdown)', async () => {
    const exits: number[] = [];
    const lifecycle = createLifecycle({
      logger: memoryLogger(),
      timeoutMs: 5000,
      exit: (c) => exits.push(c),
    });
    lifecycle.onClose('slow', () => new Promise((r) => setTimeout(r, 20)));
    const done = lifecycle.shutdown('SIGTERM');
    void lifecycle.shutdown('uncaughtException', { exitCode: 1 });
    await done;
    expect(exits).toEqual([1]);
  });

  it('closeHttpServer resolves for a server that is not listening', async () => {
    await expect(closeHttpServer(createServer())).resolves.toBeUndefined();
  });
});
