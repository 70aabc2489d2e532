/** Ids of the jobs this process is running, so a timed-out drain can say which ones it leaves behind. */
export interface ActiveJobs {
  add(jobId: string): void;
  delete(jobId: string): void;
  ids(): string[];
}

export function createActiveJobs(): ActiveJobs {
  const running = new Map<string, number>();
  return {
    add(jobId) {
      running.set(jobId, (running.get(jobId) ?? 0) + 1);
    },
    delete(jobId) {
      const n = (running.get(jobId) ?? 1) - 1;
      if (n <= 0) running.delete(jobId);
      else running.set(jobId, n);
    },
    ids: () => [...running.keys()],
  };
}
