import { readFile, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';
import { goalMet, type BenchOptions, type ScenarioReport } from './types.ts';

export interface RunInfo {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  /** 1, 5 and 15 minute load averages before and after the run. */
  loadBefore: number[];
  loadAfter: number[];
  quick: boolean;
  durationS: number;
}

/** The section another tool owns (web/scripts/lighthouse.ts): kept as it is. */
const KEPT_SECTION = '## Web (Lighthouse)';

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

const table = (header: string[], rows: string[][]): string =>
  [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ].join('\n');

function goalRows(reports: readonly ScenarioReport[]): string[][] {
  return reports.flatMap((r) =>
    r.goals.map((g) => {
      const met = goalMet(g);
      const miss =
        met || !Number.isFinite(g.observed)
          ? ''
          : g.op === '>='
            ? ` — short by ${Math.round((1 - g.observed / g.target) * 100)} %`
            : ` — over by ${Math.round((g.observed / g.target - 1) * 100)} %`;
      return [
        `\`${g.key}\``,
        g.label,
        `${g.op} ${g.target}`,
        `${g.observed}`,
        `${met ? 'met' : `**missed**${miss}`}`,
      ];
    }),
  );
}

/** The page's own part (everything except the kept Lighthouse section). */
export function renderPage(
  info: RunInfo,
  options: BenchOptions,
  reports: readonly ScenarioReport[],
): string {
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    'Every figure below comes from one run of `npm run bench` (bench/main.ts) on the machine described here: each scenario measures a baseline and ours in the same run, alternating, over several rounds, and reports medians and the ratio ours / baseline. Absolute numbers depend on the machine; the ratios are the point. Loopback only, against the local services (`npm run services:up`). `npm run bench -- --json FILE` writes the same figures as JSON; `-- --quick` is a smoke run (figures not published). The API goals are judged on the *pinned* figures (load generator and redis-server on one core, the server under test on the other; see the API section), the unpinned ones are shown beside them.',
  );
  out.push('');
  out.push(
    table(
      ['run', ''],
      [
        ['date', info.date.slice(0, 16).replace('T', ' ') + ' UTC'],
        ['Node', info.node],
        ['CPUs', `${info.cpus} × ${info.cpuModel}`],
        [
          'load average (1, 5, 15 min)',
          `before ${info.loadBefore.join(', ')}; after ${info.loadAfter.join(', ')}`,
        ],
        ['duration', `${info.durationS} s`],
        [
          'settings',
          `${options.rounds} rounds (api: up to ${options.maxRounds}, until the ratios' spread is within ±${options.targetSpreadPct} %; placement ${options.placements.join(' and ')}); HTTP ${options.httpDurationS} s × ${options.connections} connections; ${options.workerJobs.toLocaleString('en-US')} jobs per worker run at concurrency ${options.workerConcurrency}; ${options.loggerLines.toLocaleString('en-US')} log calls per logger round; ${Math.round(options.rssObjectBytes / 1024 ** 2)} MiB object`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `The machine has ${info.cpus} cores, shared by the load generator, the process under test, PostgreSQL, Redis and the S3 server${info.loadBefore[0]! > info.cpus ? ' — and, during this run, by other work (see the load average)' : ''}: a server that is CPU-bound here shares its core with the client, so the ratios are conservative for a deployment where the client is elsewhere.`,
  );
  out.push('');
  out.push('## Goals');
  out.push('');
  out.push(table(['key', 'what', 'goal', 'measured', ''], goalRows(reports)));
  out.push('');
  for (const r of reports) {
    out.push(`## ${r.title}`);
    out.push('');
    for (const m of r.method) out.push(`- ${m}`);
    out.push('');
    out.push(table(r.table.header, r.table.rows));
    out.push('');
    for (const n of r.notes) {
      out.push(n);
      out.push('');
    }
  }
  out.push('## JSON keys');
  out.push('');
  const figures = Object.assign({}, ...reports.map((r) => r.figures)) as Record<string, number>;
  out.push('```json');
  out.push(JSON.stringify(figures, null, 2));
  out.push('```');
  out.push('');
  return out.join('\n');
}

/** The kept section of an existing page (from its heading to the next `## ` or the end). */
export function keptSection(existing: string): string | undefined {
  const start = existing.indexOf(KEPT_SECTION);
  if (start < 0) return undefined;
  const rest = existing.slice(start + KEPT_SECTION.length);
  const next = rest.search(/^## /m);
  return (
    next < 0 ? existing.slice(start) : existing.slice(start, start + KEPT_SECTION.length + next)
  ).trimEnd();
}

/** Writes the page, keeping the Lighthouse section another tool maintains. */
export async function updateDocs(file: string, page: string): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch {
    // First run.
  }
  const kept = keptSection(existing);
  const text = kept ? `${page.trimEnd()}\n\n${kept}\n` : `${page.trimEnd()}\n`;
  // Formatted as `npm run format` would, so `prettier --check` in npm test stays green.
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...options, filepath: file }));
}
