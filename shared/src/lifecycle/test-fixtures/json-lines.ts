import type { LifecycleLogger } from '../lifecycle-logger.ts';

// Test fixture output: one JSON object per line on stdout, which the tests parse.

export const emit = (fields: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
};

const errorFields = (err: unknown): unknown =>
  err instanceof Error ? { name: err.name, message: err.message } : err;

const method =
  (level: string) =>
  (fields: Record<string, unknown>, msg: string): void => {
    emit({ level, msg, ...fields, ...('err' in fields ? { err: errorFields(fields.err) } : {}) });
  };

/** A minimal stand-in for the real logger: the lifecycle only needs this interface. */
export const jsonLogger: LifecycleLogger = {
  info: method('info'),
  warn: method('warn'),
  error: method('error'),
  fatal: method('fatal'),
};
