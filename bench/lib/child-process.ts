import { fileURLToPath } from 'node:url';
import { spawnNode, type SpawnedProcess } from '@saas/shared/test-support';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchChild {
  readonly pid: number;
  readonly proc: SpawnedProcess;
  /** The JSON the child printed as its `ready` line (port and whatever else it reports). */
  readonly ready: Record<string, unknown>;
  /** SIGTERM by pid, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** The first JSON object line of a child with `key` set, parsed. */
export async function waitForJsonLine(
  proc: SpawnedProcess,
  key: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const line = await proc.waitForLine(new RegExp(`^\\{.*"${key}":`), timeoutMs);
  return JSON.parse(line) as Record<string, unknown>;
}

/** Stops a spawned process by pid: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(proc: SpawnedProcess, graceMs = 5000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  try {
    proc.signal('SIGTERM');
  } catch {
    // Already gone.
  }
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([proc.exited, timer])) === 'timeout') await proc.kill();
}

/**
 * Runs a TypeScript entry under bench/ (or anywhere in the repo) as its own Node process, so
 * the load generator never shares an event loop with what it measures, and waits for the
 * child's `{"ready":true,...}` line.
 */
export async function startChild(
  script: string,
  opts: { env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<BenchChild> {
  const proc = spawnNode(script, {
    cwd: REPO_ROOT,
    env: opts.env,
    nodeArgs: opts.nodeArgs,
  });
  let ready: Record<string, unknown>;
  try {
    ready = await waitForJsonLine(proc, 'ready', opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return { pid: proc.pid, proc, ready, stop: (graceMs) => stopProcess(proc, graceMs) };
}

/** Resident set size of a process in bytes, read from /proc (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}
