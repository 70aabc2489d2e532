import { REDACT_CENSOR as CENSOR } from './redact-paths.ts';
import { fieldName } from './field-names.ts';
import { scrubString } from './scrub-string.ts';

const CIRCULAR = '[circular]';
const TOO_DEEP = '[redacted:depth]';
/** Deeper than any real log payload; past it values are dropped rather than walked unchecked. */
const MAX_DEPTH = 64;

/** An Error as it appears in a log line or a Sentry extra: plain data, secrets scrubbed. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: unknown;
  errors?: unknown[];
  [key: string]: unknown;
}

/**
 * Deep copy-on-write scrub: strings go through `scrubString`, fields with a sensitive name
 * (`isSensitiveKey`) become "[redacted]", Errors become `SerializedError`s, cycles become
 * "[circular]". Only plain objects and arrays are walked: class instances (sockets, requests,
 * Buffers, Dates) are returned as they are, so logging a request object cannot walk a socket.
 * Returns the same reference when nothing changed.
 */
export function scrubValue(value: unknown): unknown {
  return walk(value, [], 0);
}

/** An Error (with its cause chain and own fields) as scrubbed plain data; other values go through `scrubValue`. */
export function serializeError(err: Error): SerializedError;
export function serializeError(err: unknown): unknown;
export function serializeError(err: unknown): unknown {
  if (typeof err === 'object' && err !== null && serialized.has(err)) return err;
  return walk(err, [], 0);
}

/**
 * Errors this module already turned into scrubbed data. A logged error passes twice — the
 * logger's `formatters.log` walk turns it into data, then pino runs the `err` serializer on
 * that data — and scrubbing a stack again costs as much as the first time and finds nothing.
 */
const serialized = new WeakSet<object>();

function walk(value: unknown, ancestors: object[], depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) return errorToData(value, ancestors, depth);
  if (Array.isArray(value)) return walkArray(value, ancestors, depth);
  if (!isPlainish(value)) return value;
  return walkObject(value as Record<string, unknown>, ancestors, depth);
}

function isPlainish(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return true;
  // Objects built on a literal prototype (pino's serialized req/res) read like plain data.
  return (proto as { constructor?: unknown }).constructor === Object;
}

function walkArray(arr: readonly unknown[], ancestors: object[], depth: number): unknown {
  ancestors.push(arr);
  let copy: unknown[] | undefined;
  for (let i = 0; i < arr.length; i += 1) {
    const before = arr[i];
    const after = walk(before, ancestors, depth + 1);
    if (after !== before) {
      copy ??= arr.slice();
      copy[i] = after;
    }
  }
  ancestors.pop();
  return copy ?? arr;
}

function walkObject(obj: Record<string, unknown>, ancestors: object[], depth: number): unknown {
  ancestors.push(obj);
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const before = obj[key];
    const name = fieldName(key);
    const after = scrubField(name.sensitive, before, ancestors, depth);
    const cleanKey = name.clean;
    if (after !== before || cleanKey !== key) {
      copy ??= { ...obj };
      if (cleanKey !== key) delete copy[key];
      copy[cleanKey] = after;
    }
  }
  ancestors.pop();
  return copy ?? obj;
}

function scrubField(
  sensitive: boolean,
  value: unknown,
  ancestors: object[],
  depth: number,
): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (sensitive) return CENSOR;
  return walk(value, ancestors, depth + 1);
}

function errorToData(err: Error, ancestors: object[], depth: number): SerializedError {
  ancestors.push(err);
  const message = String(err.message);
  const out: SerializedError = { type: errorType(err), message: scrubString(message) };
  if (typeof err.stack === 'string') out.stack = scrubStack(err.stack, message, out.message);
  // Own enumerable fields: code, statusCode, details… (a client library may hang headers here).
  for (const key of Object.keys(err)) {
    if (key in out) continue;
    const name = fieldName(key);
    out[name.clean] = scrubField(
      name.sensitive,
      (err as unknown as Record<string, unknown>)[key],
      ancestors,
      depth,
    );
  }
  if (err.cause !== undefined) out.cause = walk(err.cause, ancestors, depth + 1);
  if (err instanceof AggregateError && Array.isArray(err.errors)) {
    out.errors = err.errors.map((e: unknown) => walk(e, ancestors, depth + 1));
  }
  ancestors.pop();
  serialized.add(out);
  return out;
}

/**
 * A V8 stack starts with "<type>: <message>" and then the frames. The message is scrubbed
 * already: reuse that result and scrub only what surrounds it, rather than the message twice.
 */
function scrubStack(stack: string, message: string, cleanMessage: string): string {
  const at = message.length > 0 ? stack.indexOf(message) : -1;
  if (at < 0 || stack.lastIndexOf('\n', at) >= 0) return scrubString(stack);
  return (
    scrubString(stack.slice(0, at)) + cleanMessage + scrubString(stack.slice(at + message.length))
  );
}

function errorType(err: Error): string {
  const ctor = (err as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : err.name;
}
