/** What the parent passes to a worker-throughput child, from its environment. */
export interface WorkerRunArgs {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  jobs: number;
}

export function workerRunArgs(env: NodeJS.ProcessEnv = process.env): WorkerRunArgs {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  return {
    redisUrl: need('BENCH_REDIS_URL'),
    prefix: need('BENCH_PREFIX'),
    concurrency: Number(need('BENCH_CONCURRENCY')),
    jobs: Number(need('BENCH_JOBS')),
  };
}

/**
 * Counts completions and resolves with the elapsed time once `jobs` have completed. The clock
 * starts when the worker starts fetching (its connections are already open), so both variants
 * are timed over the same span: from the first fetch to the last completion.
 */
export function completionClock(jobs: number): {
  start(): void;
  completed(): void;
  done: Promise<number>;
} {
  let t0 = 0;
  let n = 0;
  let resolve!: (ms: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  return {
    start: () => {
      t0 = performance.now();
    },
    completed: () => {
      n += 1;
      if (n === jobs) resolve(performance.now() - t0);
    },
    done,
  };
}

export const report = (result: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};
