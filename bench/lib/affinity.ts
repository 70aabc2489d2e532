// CPU affinity for the benchmarks: the load generator (this process) and redis-server on one
// core, the process under test on another, so the client's CPU no longer competes with the
// server's and rounds move less. Linux only (taskset from util-linux); elsewhere, or with a
// single CPU, pinning is unavailable and the scenarios measure unpinned only.
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { services } from './services.ts';

const run = promisify(execFile);

export type Placement = 'pinned' | 'unpinned';

export interface CpuLayout {
  /** Cores of the load generator and redis-server, e.g. "0". */
  client: string;
  /** Cores of the process under test, e.g. "1". */
  server: string;
  /** Every core: what "unpinned" restores. */
  all: string;
}

/** The layout on this machine, or undefined when there are fewer than 2 CPUs or no taskset. */
export async function cpuLayout(): Promise<CpuLayout | undefined> {
  const n = cpus().length;
  if (process.platform !== 'linux' || n < 2) return undefined;
  try {
    await run('taskset', ['-V']);
  } catch {
    return undefined;
  }
  // Half the cores each; on 2 cores: client 0, server 1.
  const half = Math.floor(n / 2);
  const range = (a: number, b: number): string => (a === b ? String(a) : `${a}-${b}`);
  return { client: range(0, half - 1), server: range(half, n - 1), all: range(0, n - 1) };
}

/** Sets the affinity of every thread of `pid` (taskset -a: V8's and libuv's threads too). */
export async function setAffinity(pid: number, cpuList: string): Promise<void> {
  await run('taskset', ['-a', '-p', '-c', cpuList, String(pid)]);
}

/** The current affinity list of `pid` ("0,1", "0-1"), to restore it afterwards. */
export async function getAffinity(pid: number): Promise<string> {
  const { stdout } = await run('taskset', ['-p', '-c', String(pid)]);
  const list = /:\s*([\d,-]+)\s*$/.exec(stdout.trim())?.[1];
  if (list === undefined) throw new Error(`taskset: cannot read the affinity of ${pid}: ${stdout}`);
  return list;
}

/** redis-server's pid from INFO (the local services run on this machine). */
export async function redisServerPid(): Promise<number | undefined> {
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } finally {
    redis.disconnect();
  }
}

export interface Pinning {
  readonly layout: CpuLayout;
  /** Places the client side (this process, redis-server) and the servers for one run. */
  place(placement: Placement, serverPids: readonly number[]): Promise<void>;
  /** Puts this process and redis-server back as they were. */
  restore(): Promise<void>;
}

/**
 * Pinning for one scenario: remembers this process's and redis-server's affinity so that
 * `restore` leaves the shared redis-server as it found it. Undefined when unavailable (no
 * taskset, one CPU, or redis-server not on this machine / not ours to move).
 */
export async function openPinning(): Promise<Pinning | undefined> {
  const layout = await cpuLayout();
  if (!layout) return undefined;
  const redisPid = await redisServerPid().catch(() => undefined);
  const own = await getAffinity(process.pid);
  let redisBefore: string | undefined;
  if (redisPid !== undefined) {
    try {
      redisBefore = await getAffinity(redisPid);
      await setAffinity(redisPid, redisBefore); // may we move it at all?
    } catch {
      return undefined; // another user's redis-server: pinning the client only would mislead
    }
  }
  return {
    layout,
    async place(placement, serverPids) {
      const client = placement === 'pinned' ? layout.client : layout.all;
      const server = placement === 'pinned' ? layout.server : layout.all;
      await setAffinity(process.pid, client);
      if (redisPid !== undefined) await setAffinity(redisPid, client);
      for (const pid of serverPids) await setAffinity(pid, server);
    },
    async restore() {
      await setAffinity(process.pid, own).catch(() => {});
      if (redisPid !== undefined && redisBefore !== undefined)
        await setAffinity(redisPid, redisBefore).catch(() => {});
    },
  };
}
