import type { ChaosProcess } from '../lib/processes.ts';
import { sleep } from '../lib/progress.ts';

export interface ProbeResult {
  t: number;
  target: string;
  path: string;
  status: number;
}

/** Polls the given paths on the given processes every `everyMs` until stopped. */
export function startProbes(
  targets: readonly {
    proc: ChaosProcess;
    paths: readonly string[];
    headers?: Record<string, string>;
  }[],
  everyMs: number,
): { results: ProbeResult[]; stop(): Promise<void> } {
  const results: ProbeResult[] = [];
  let stopped = false;
  const loops = targets.flatMap(({ proc, paths, headers }) =>
    paths.map(async (path) => {
      while (!stopped) {
        const r = await proc.get(path, headers);
        results.push({ t: Date.now(), target: proc.name, path, status: r.status });
        await sleep(everyMs);
      }
    }),
  );
  return {
    results,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export const statusesIn = (
  results: readonly ProbeResult[],
  target: string,
  path: string,
  from: number,
  to: number,
): number[] =>
  results
    .filter((r) => r.target === target && r.path === path && r.t >= from && r.t <= to)
    .map((r) => r.status);

export const summarize = (statuses: readonly number[]): string => {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n}×${s === 0 ? 'no answer' : s}`).join(' ') || 'none';
};
