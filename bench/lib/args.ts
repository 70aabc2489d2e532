import type { BenchOptions } from './types.ts';

export const SCENARIOS = [
  'api',
  'idempotency',
  'worker',
  'logger',
  'rss',
  'health',
  'startup',
  'tracing',
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface CliArgs {
  options: BenchOptions;
  only: ScenarioId[];
  jsonFile: string | undefined;
  /** Where the Markdown page goes; undefined: not written. */
  docsFile: string | undefined;
}

export const USAGE = `npm run bench [-- options]

  --json FILE        also write the figures as JSON to FILE
  --only a,b         run only these scenarios (${SCENARIOS.join(', ')})
  --quick            smoke run: 1 round, short runs, a 64 MiB object; does not touch docs/
  --docs FILE        write the Markdown page here (default docs/benchmarks.md for a full run
                     of every scenario; --quick or --only write nothing unless --docs is given)
  --no-docs          do not write the page
  --rounds N         rounds at least (default 5; quick 1)
  --max-rounds N     rounds at most: the api scenario adds rounds until the per-round
                     ratios' spread is within --spread (default 15; quick 1)
  --spread PCT       target spread of the per-round ratios, ± % of the median (default 5)
  --placement P      pinned, unpinned or both (default both; quick pinned): pinned puts
                     this process (the load generator) and redis-server on one half of the
                     CPUs and the process under test on the other (taskset)
  --rss-mib N        size of the object in the worker memory scenario (default 1024; quick 64)
  --help`;

/** Parses argv (after `node bench/main.ts`). Throws with a usage hint on anything unknown. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let quick = false;
  let only: ScenarioId[] = [...SCENARIOS];
  let onlyGiven = false;
  let jsonFile: string | undefined;
  let docsFile: string | undefined;
  let docsGiven = false;
  let noDocs = false;
  let rssMiB: number | undefined;
  let rounds: number | undefined;
  let maxRounds: number | undefined;
  let spread: number | undefined;
  let placements: BenchOptions['placements'] | undefined;
  const whole = (arg: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${arg} wants a whole number ≥ 1\n\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--'))
        throw new Error(`${arg} needs a value\n\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--quick':
        quick = true;
        break;
      case '--json':
        jsonFile = value();
        break;
      case '--docs':
        docsFile = value();
        docsGiven = true;
        break;
      case '--rss-mib':
        rssMiB = Number(value());
        if (!Number.isInteger(rssMiB) || rssMiB < 1)
          throw new Error(`--rss-mib wants a whole number of MiB\n\n${USAGE}`);
        break;
      case '--rounds':
        rounds = whole(arg, value());
        break;
      case '--max-rounds':
        maxRounds = whole(arg, value());
        break;
      case '--spread':
        spread = Number(value());
        if (!(spread > 0)) throw new Error(`--spread wants a percentage > 0\n\n${USAGE}`);
        break;
      case '--placement': {
        const v = value();
        if (v === 'both') placements = ['pinned', 'unpinned'];
        else if (v === 'pinned' || v === 'unpinned') placements = [v];
        else throw new Error(`--placement is pinned, unpinned or both\n\n${USAGE}`);
        break;
      }
      case '--no-docs':
        noDocs = true;
        break;
      case '--only': {
        const ids = value().split(',');
        const unknown = ids.filter((id) => !(SCENARIOS as readonly string[]).includes(id));
        if (unknown.length > 0)
          throw new Error(`unknown scenario(s): ${unknown.join(', ')}\n\n${USAGE}`);
        only = ids as ScenarioId[];
        onlyGiven = true;
        break;
      }
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument: ${arg}\n\n${USAGE}`);
    }
  }
  if (noDocs) docsFile = undefined;
  else if (!docsGiven && !quick && !onlyGiven) docsFile = 'docs/benchmarks.md';
  const options: BenchOptions = quick
    ? {
        quick,
        rounds: 1,
        maxRounds: 1,
        targetSpreadPct: 5,
        placements: ['pinned'],
        httpDurationS: 2,
        connections: 50,
        workerJobs: 5000,
        workerConcurrency: 50,
        loggerLines: 20_000,
        rssObjectBytes: 64 * 1024 ** 2,
      }
    : {
        quick,
        rounds: 5,
        maxRounds: 15,
        targetSpreadPct: 5,
        placements: ['pinned', 'unpinned'],
        httpDurationS: 3,
        connections: 50,
        workerJobs: 20_000,
        workerConcurrency: 50,
        loggerLines: 100_000,
        rssObjectBytes: 1024 ** 3,
      };
  if (rssMiB !== undefined) options.rssObjectBytes = rssMiB * 1024 ** 2;
  if (rounds !== undefined) options.rounds = rounds;
  if (maxRounds !== undefined) options.maxRounds = maxRounds;
  options.maxRounds = Math.max(options.maxRounds, options.rounds);
  if (spread !== undefined) options.targetSpreadPct = spread;
  if (placements !== undefined) options.placements = placements;
  return { options, only, jsonFile, docsFile };
}
