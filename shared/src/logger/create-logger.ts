import { hostname } from 'node:os';
import {
  pino,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
} from 'pino';
import { createBatchedDestination } from './batched-destination.ts';
import { isoTime } from './iso-time.ts';
import { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.ts';
import { scrubLogArgs } from './scrub-log-args.ts';
import { scrubValue, serializeError } from './scrub-value.ts';

export interface CreateLoggerOptions {
  service: string;
  env: string;
  version: string;
  level?: LevelWithSilent;
  /**
   * Where JSON lines go. Default: stdout through a batched destination (one write(2) per
   * event-loop turn, flushed synchronously on exit: see batched-destination.ts).
   */
  destination?: DestinationStream;
  /** Extra pino redact paths for an app's own shapes, added to REDACT_PATHS. */
  redactPaths?: readonly string[];
  /**
   * Fields merged into every line when it is written, e.g. the active span's `traceId` and
   * `spanId` (`traceLogFields` from the tracing module). Runs per line: keep it cheap.
   */
  mixin?: () => Record<string, unknown>;
}

/**
 * A pino logger writing one JSON line per event with `service`, `env`, `version`, `pid`,
 * `hostname`, ISO `time` and a `level` label. Secrets are removed twice: pino's path
 * redaction for the known places, then value scrubbing of every string (message, format
 * arguments, nested fields, child bindings, errors' message and stack).
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: {
      service: opts.service,
      env: opts.env,
      version: opts.version,
      pid: process.pid,
      hostname: hostname(),
    },
    timestamp: isoTime,
    redact: { paths: [...REDACT_PATHS, ...(opts.redactPaths ?? [])], censor: REDACT_CENSOR },
    serializers: { err: serializeError },
    formatters: {
      level: (label: string) => ({ level: label }),
      bindings: (bindings: Record<string, unknown>) =>
        scrubValue(bindings) as Record<string, unknown>,
      log: (obj: Record<string, unknown>) => scrubValue(obj) as Record<string, unknown>,
    },
    hooks: { logMethod: scrubLogArgs },
    ...(opts.mixin ? { mixin: opts.mixin } : {}),
  };
  const logger = pino(options, opts.destination ?? createBatchedDestination());
  scrubChildBindings(logger);
  return logger;
}

/**
 * pino formats a child's bindings once, at creation, without `formatters.bindings` (that one
 * only sees the root's base), and runs serializers after every formatter. Children inherit
 * `child` from the root instance, so wrapping it here covers every descendant: bindings are
 * scrubbed, and serializers a child brings (pino-http's req/res/err) have their output scrubbed
 * too — `logger.child({ req })` binds a live request that only its serializer turns into data.
 */
function scrubChildBindings(logger: Logger): void {
  // pino's child is generic over custom levels; this wrapper passes them through untouched.
  type ChildFn = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  const original = logger.child as unknown as ChildFn;
  const scrubbed: ChildFn = function (this: Logger, bindings, childOptions) {
    const options = childOptions?.serializers
      ? { ...childOptions, serializers: scrubbedSerializers(childOptions.serializers) }
      : childOptions;
    return original.call(this, scrubValue(bindings) as Bindings, options);
  };
  logger.child = scrubbed as unknown as Logger['child'];
}

type Serializers = NonNullable<ChildLoggerOptions['serializers']>;

function scrubbedSerializers(serializers: Serializers): Serializers {
  const out: Serializers = {};
  for (const [key, fn] of Object.entries(serializers)) {
    out[key] = (value: unknown) => scrubValue(fn(value));
  }
  // pino keeps internal serializers under symbol keys: carried over as they are.
  for (const sym of Object.getOwnPropertySymbols(serializers)) {
    Object.defineProperty(out, sym, {
      value: (serializers as Record<symbol, unknown>)[sym],
      enumerable: true,
    });
  }
  return out;
}
