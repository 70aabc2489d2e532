import type { LogFn, Logger } from 'pino';
import { scrubString } from './scrub-string.ts';
import { scrubValue } from './scrub-value.ts';

/**
 * pino `hooks.logMethod`: scrubs the message and its format arguments before pino formats
 * them (formatters.log only sees the merging object). When the message is left for pino to
 * take from an error (`logger.error(err)`), it is passed explicitly, scrubbed.
 * The merging object itself is left to `formatters.log`.
 */
export function scrubLogArgs(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const all = args as unknown[];
  const first = all[0];
  if (typeof first === 'string') {
    const clean = scrubString(first);
    if (all.length === 1) {
      if (clean === first) return method.apply(this, args);
      return method.apply(this, [clean] as Parameters<LogFn>);
    }
    return method.apply(this, [clean, ...all.slice(1).map(scrubValue)] as Parameters<LogFn>);
  }
  if (typeof first === 'object' && first !== null) {
    if (all.length === 1) {
      const derived = derivedMessage(first);
      if (derived === undefined) return method.apply(this, args);
      return method.apply(this, [first, scrubString(derived)] as Parameters<LogFn>);
    }
    return method.apply(this, [first, ...all.slice(1).map(scrubValue)] as Parameters<LogFn>);
  }
  return method.apply(this, args);
}

/** The message pino would take from the error when the call passes none. */
function derivedMessage(obj: object): string | undefined {
  if (obj instanceof Error) return obj.message;
  const rec = obj as { msg?: unknown; err?: unknown };
  if (rec.msg !== undefined || typeof rec.err !== 'object' || rec.err === null) return undefined;
  const message = (rec.err as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
