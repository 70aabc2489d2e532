import { spawnNode } from '@saas/shared/test-support';
import { REPO_ROOT, waitForJsonLine } from '../lib/child-process.ts';
import { progress } from '../lib/progress.ts';
import { int, median, pairedRatio, ratioRange, round } from '../lib/stats.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

/** Log calls per second of createLogger() against plain pino on the same mixed calls. */
export async function loggerScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const rounds = opts.quick ? 2 : 5;
  const child = spawnNode('bench/children/logger-run.ts', {
    cwd: REPO_ROOT,
    env: { BENCH_LINES: String(opts.loggerLines), BENCH_ROUNDS: String(rounds) },
  });
  let rates: { ours: number[]; pino: number[] };
  try {
    const result = await waitForJsonLine(child, 'result', 300_000);
    rates = result.rates as typeof rates;
  } finally {
    await child.kill();
  }
  for (const [i, perS] of rates.ours.entries())
    progress(
      `logger: round ${i + 1}/${rounds}: ours ${int(perS)} lines/s, pino ${int(rates.pino[i]!)} lines/s`,
    );
  const ours = median(rates.ours);
  const plain = median(rates.pino);
  const figures = {
    'logger.throughputRatio': pairedRatio(rates.ours, rates.pino),
    'logger.oursLinesPerS': round(ours, 0),
    'logger.pinoLinesPerS': round(plain, 0),
  };
  return {
    id: 'logger',
    title: 'Logger: the scrubbing logger vs plain pino',
    method: [
      `${opts.loggerLines.toLocaleString('en-US')} log calls per round from a fixed mix of 100: 45 % the API's request line, 15 % a job line through a per-job child logger, 10 % ordinary text, 15 % a message with a secret from the shared corpus (shared/src/logger/test-corpus.ts), 10 % a field holding one, 5 % an error whose message holds one.`,
      `${rounds} rounds after a warm-up, the two loggers alternating (order swapped every round), in one child process; median log calls per second, and the median of the per-round ratios.`,
      '**Ours** = `createLogger()` (pino path redaction + value scrubbing of messages, fields, bindings and errors, ISO time). **Plain pino** = `pino({base})` with its defaults. Both write synchronously to /dev/null (`pino.destination({sync: true})`), as the processes write to stdout.',
    ],
    table: {
      header: ['logger', 'log calls/s (median)', 'ratio', 'per round'],
      rows: [
        ['plain pino', int(plain), '1 (baseline)', rates.pino.map(int).join(', ')],
        [
          'createLogger (ours)',
          int(ours),
          `${pairedRatio(rates.ours, rates.pino)}`,
          rates.ours.map(int).join(', '),
        ],
      ],
    },
    figures,
    goals: [
      {
        key: 'logger.throughputRatio',
        label: 'Logger throughput vs plain pino (mixed lines, some with PII)',
        op: '>=',
        target: 0.5,
        observed: figures['logger.throughputRatio'],
      },
    ],
    notes: [
      `Per-round ratios ranged ${ratioRange(rates.ours, rates.pino)} in this run.`,
      'Both loggers pay one write(2) per line (synchronous, as the processes write to stdout): about a third of plain pino’s time per line. Ours adds the redaction pass, a walk over every field and string (two quick regexes decide whether a string needs the rules at all; UUIDs and long strings already found clean skip even those) and, for the 30 % of lines that carry a secret, the rules themselves. Error lines cost most: the message and the stack are both scrubbed.',
      ...(figures['logger.throughputRatio'] < 0.5
        ? [
            'Made faster for this goal (shared/src/logger): the `err` serializer no longer scrubs an error a second time after `formatters.log` did, a stack reuses its scrubbed message, UUID-only strings skip the tests, long clean strings are remembered (256 of them, clean ones only), and the card and API-key rules got cheap pre-tests. The remaining gap is the per-string walk itself on a mix in which a third of the lines carry a secret.',
          ]
        : [
            'Made faster for this goal (shared/src/logger): the `err` serializer no longer scrubs an error a second time after `formatters.log` did, a stack reuses its scrubbed message, UUID-only strings skip the tests, long clean strings are remembered (256 of them, clean ones only), and the card and API-key rules got cheap pre-tests.',
          ]),
    ],
  };
}
