export interface BenchOptions {
  /** Short smoke run: fewer rounds, shorter runs, a smaller object. Figures are not published. */
  quick: boolean;
  /** Rounds at least; scenarios that adapt add rounds up to `maxRounds`. */
  rounds: number;
  /** Rounds at most, for scenarios that add rounds until the ratios' spread is small. */
  maxRounds: number;
  /** Stop adding rounds once the per-round ratios' spread (± % of the median) is below this. */
  targetSpreadPct: number;
  /** Where the processes run: pinned (client + redis-server on one core, server on another), unpinned, or both. */
  placements: ('pinned' | 'unpinned')[];
  /** Seconds per autocannon run. */
  httpDurationS: number;
  /** autocannon connections (fixed, closed loop). */
  connections: number;
  /** No-op jobs per worker run. */
  workerJobs: number;
  /** BullMQ concurrency of both workers. */
  workerConcurrency: number;
  /** Log calls per logger round. */
  loggerLines: number;
  /** Size of the object process-upload streams in the RSS scenario. */
  rssObjectBytes: number;
}

export interface Goal {
  key: string;
  label: string;
  op: '>=' | '<=';
  target: number;
  observed: number;
}

export interface ScenarioReport {
  id: string;
  title: string;
  /** Markdown lines describing how it was measured. */
  method: string[];
  table: { header: string[]; rows: string[][] };
  /** Figures for the JSON output, keyed like `api.throughputRatio`. */
  figures: Record<string, number>;
  goals: Goal[];
  notes: string[];
}

export const goalMet = (g: Goal): boolean =>
  Number.isFinite(g.observed) && (g.op === '>=' ? g.observed >= g.target : g.observed <= g.target);
