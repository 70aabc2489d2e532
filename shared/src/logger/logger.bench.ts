// Cost of the two protection layers per log call, against plain pino.
// Run: node --conditions=source shared/src/logger/logger.bench.ts   (numbers go in README.md)
import { pino, type Logger } from 'pino';
import { ADVERSARIAL_INPUTS } from './adversarial-inputs.ts';
import { createLogger } from './create-logger.ts';
import { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.ts';

const sink = { write: (_s: string) => {} };
const loggers: Record<string, Logger> = {
  'pino (no protection)': pino({ base: { service: 'b' } }, sink),
  'pino + REDACT_PATHS': pino(
    { base: { service: 'b' }, redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR } },
    sink,
  ),
  createLogger: createLogger({ service: 'b', env: 'bench', version: '0', destination: sink }),
};

const err = new Error('upstream timed out');
const cases: Record<string, (log: Logger) => void> = {
  'clean message': (log) => log.info('request completed'),
  'request line object': (log) =>
    log.info(
      {
        requestId: 'r-1',
        method: 'GET',
        route: '/v1/uploads/:id',
        statusCode: 200,
        durationMs: 12.5,
      },
      'request completed',
    ),
  'req with headers': (log) =>
    log.info(
      {
        req: {
          method: 'POST',
          url: '/v1/uploads',
          headers: { authorization: 'Bearer x', accept: '*/*' },
        },
      },
      'in',
    ),
  'message with an email': (log) => log.info('invite sent to jane.doe@example.com'),
  error: (log) => log.error({ err }, 'job failed'),
};

// The machine is shared: the best of several interleaved rounds is the least noisy figure.
const N = 20_000;
const ROUNDS = 9;
const time = (run: (log: Logger) => void, log: Logger): number => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) run(log);
  return Number(process.hrtime.bigint() - t0) / N;
};
for (const [caseName, run] of Object.entries(cases)) {
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, log] of Object.entries(loggers)) {
      const ns = time(run, log);
      best.set(name, Math.min(best.get(name) ?? Infinity, ns));
    }
  }
  const row = [...best].map(([name, ns]) => `${name}: ${(ns / 1000).toFixed(2)} µs`);
  console.log(`${caseName.padEnd(22)} ${row.join(' | ')}`);
}

// Worst case per KB: each scrub rule's adversarial input (adversarial-inputs.ts), 16 KB in one
// field — what a client can make one access-log line cost. Plain pino only serializes it.
const ADVERSARIAL_KB = 16;
const ADVERSARIAL_N = 200;
for (const [rule, make] of Object.entries(ADVERSARIAL_INPUTS)) {
  const text = make(ADVERSARIAL_KB * 1024);
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round += 1) {
    for (const [name, log] of Object.entries(loggers)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ADVERSARIAL_N; i += 1) log.info({ path: text }, 'request completed');
      const ns = Number(process.hrtime.bigint() - t0) / ADVERSARIAL_N;
      best.set(name, Math.min(best.get(name) ?? Infinity, ns));
    }
  }
  const row = [...best].map(
    ([name, ns]) => `${name}: ${(ns / 1000 / ADVERSARIAL_KB).toFixed(2)} µs/KB`,
  );
  console.log(`worst case ${rule.padEnd(20)} ${row.join(' | ')}`);
}
