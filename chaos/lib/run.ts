import type { ChaosContext } from './context.ts';
import type { ChaosProcess } from './processes.ts';
import type { SteadyLoad } from './steady-load.ts';
import type { UploadClient, UploadStream } from './upload-stream.ts';

/**
 * A time span in which some answers are expected: 503 from a replica while a dependency is
 * away, refused connections from an API after its SIGTERM. Outside them the same answers count
 * as unexpected.
 */
export interface Window {
  name: string;
  from: number;
  to: number;
  /** The API (process name) it applies to; every API when unset. */
  api?: string;
  /** Statuses allowed inside: 503, or 0 for a refused/reset connection. */
  statuses: readonly number[];
}

export interface Run {
  /** When the suite started (times in the report are seconds since then, as in the progress lines). */
  t0: number;
  ctx: ChaosContext;
  /** [0] fails open on a Redis outage, [1] fails closed. */
  apis: ChaosProcess[];
  /** The workers alive now (scenarios replace the ones they stop). */
  workers: ChaosProcess[];
  client: UploadClient;
  stream: UploadStream;
  loads: SteadyLoad[];
  windows: Window[];
  /** APIs signalled to stop: no longer given new work (a load balancer would see readiness fail). */
  stopping: Set<string>;
  /** Forced failures the PII scenario enqueued (job ids): the only jobs allowed in the failed set. */
  forcedJobIds: Set<string>;
}

/** Uploads-queue jobs whose last log line in `proc` is "job started": running there now. */
export function activeJobs(proc: ChaosProcess): string[] {
  const last = new Map<string, string>();
  for (const l of proc.logs()) {
    if (l.queue !== 'uploads' || typeof l.jobId !== 'string') continue;
    last.set(l.jobId, String(l.msg));
  }
  return [...last].filter(([, msg]) => msg === 'job started').map(([id]) => id);
}
