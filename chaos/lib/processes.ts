import { fileURLToPath } from 'node:url';
import { freePort, spawnNode, type SpawnedProcess } from '@saas/shared/test-support';
import { call, type HttpResult } from './http.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChaosProcess {
  readonly name: string;
  readonly kind: 'api' | 'worker';
  readonly proc: SpawnedProcess;
  readonly pid: number;
  readonly port: number;
  readonly base: string;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  /** JSON log lines so far (stdout and stderr). */
  logs(): Record<string, unknown>[];
  running(): boolean;
}

/** Every process the suite started, dead or alive: their output is scanned at the end. */
export const started: ChaosProcess[] = [];

const parseLines = (lines: readonly string[]): Record<string, unknown>[] =>
  lines.flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

function wrap(
  name: string,
  kind: 'api' | 'worker',
  proc: SpawnedProcess,
  port: number,
): ChaosProcess {
  const base = `http://127.0.0.1:${port}`;
  const p: ChaosProcess = {
    name,
    kind,
    proc,
    pid: proc.pid,
    port,
    base,
    get: (path, headers) => call(`${base}${path}`, { headers, timeoutMs: 5000 }),
    logs: () => parseLines(proc.lines),
    running: () => proc.child.exitCode === null && proc.child.signalCode === null,
  };
  started.push(p);
  return p;
}

/** The real API process (Sentry preloaded, as deployed), listening on a free port. */
export async function startApi(name: string, env: Record<string, string>): Promise<ChaosProcess> {
  const port = await freePort();
  const proc = spawnNode('api/src/main.ts', {
    cwd: REPO_ROOT,
    nodeArgs: ['--import', './api/src/instrument.ts'],
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
  });
  const p = wrap(name, 'api', proc, port);
  await proc.waitForLine(/api listening/, 90_000);
  return p;
}

/** The real worker process (Sentry preloaded); its health server on a free port. */
export async function startWorker(
  name: string,
  env: Record<string, string>,
): Promise<ChaosProcess> {
  const port = await freePort();
  const proc = spawnNode('worker/src/main.ts', {
    cwd: REPO_ROOT,
    nodeArgs: ['--import', './worker/src/instrument.ts'],
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
  });
  const p = wrap(name, 'worker', proc, port);
  await proc.waitForLine(/worker ready/, 90_000);
  return p;
}

/** SIGKILL by pid for whatever is still running (the suite's finally). */
export async function killAll(): Promise<void> {
  await Promise.all(started.map((p) => p.proc.kill()));
}
