// Our scrubbing logger vs plain pino on the same mixed log calls (about a third carry PII),
// both writing synchronously to /dev/null. Alternating rounds in one process; prints one JSON
// line per measurement and a final {"result":...} line.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { createLogger, SAFE_TEXTS, SECRET_CORPUS } from '@saas/shared/logger';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const nullDestination = () => pino.destination({ dest: '/dev/null', sync: true });
const loggers: Record<'ours' | 'pino', Logger> = {
  ours: createLogger({
    service: 'api',
    env: 'production',
    version: 'bench',
    level: 'info',
    destination: nullDestination(),
  }),
  pino: pino(
    {
      level: 'info',
      base: {
        service: 'api',
        env: 'production',
        version: 'bench',
        pid: process.pid,
        hostname: hostname(),
      },
    },
    nullDestination(),
  ),
};

type Call = (log: Logger) => void;

/** The mix: a request log line per request, job lines, messages, fields and errors with PII. */
function buildCalls(): Call[] {
  const calls: Call[] = [];
  const corpus = SECRET_CORPUS;
  const userId = randomUUID();
  for (let i = 0; i < 100; i++) {
    const s = corpus[i % corpus.length]!;
    const safe = SAFE_TEXTS[i % SAFE_TEXTS.length]!;
    const uploadId = randomUUID();
    const bucket = i % 20;
    if (bucket < 9) {
      // 45 %: the API's per-request line (no PII by construction).
      calls.push((log) =>
        log.info(
          {
            requestId: `req-${i}`,
            method: 'GET',
            route: '/v1/uploads/:id',
            path: `/v1/uploads/${uploadId}`,
            statusCode: 200,
            durationMs: 3.2,
            userId,
          },
          'request completed',
        ),
      );
    } else if (bucket < 12) {
      // 15 %: a job line through a per-job child logger (as the worker logs).
      calls.push((log) =>
        log
          .child({
            jobId: uploadId,
            queue: 'uploads',
            jobName: 'process-upload',
            requestId: `req-${i}`,
          })
          .info({ attempt: 1, attempts: 5 }, 'job started'),
      );
    } else if (bucket < 14) {
      // 10 %: ordinary operational text.
      calls.push((log) => log.info(safe));
    } else if (bucket < 17) {
      // 15 %: PII in the message.
      calls.push((log) => log.warn(s.inText));
    } else if (bucket < 19) {
      // 10 %: PII in a field.
      calls.push((log) => log.warn({ uploadId, [s.field]: s.fieldValue }, 'upload rejected'));
    } else {
      // 5 %: an error whose message carries PII.
      const err = new Error(`upstream refused: ${s.inText}`);
      calls.push((log) => log.error({ err, uploadId }, 'job failed'));
    }
  }
  return calls;
}

const calls = buildCalls();
const run = (log: Logger): number => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) calls[i % calls.length]!(log);
  const ns = Number(process.hrtime.bigint() - t0);
  return (LINES / ns) * 1e9;
};

// Warm-up (JIT) for both, not measured.
run(loggers.ours);
run(loggers.pino);
const rates: Record<'ours' | 'pino', number[]> = { ours: [], pino: [] };
for (let r = 0; r < ROUNDS; r++) {
  const order: ('ours' | 'pino')[] = r % 2 === 0 ? ['pino', 'ours'] : ['ours', 'pino'];
  for (const name of order) {
    const perS = run(loggers[name]);
    rates[name].push(perS);
    process.stdout.write(`${JSON.stringify({ round: r + 1, name, perS })}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ result: true, lines: LINES, rates })}\n`);
