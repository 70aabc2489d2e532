import { inspect } from 'node:util';
import type { z } from 'zod';
import { readEnvMeta } from './env-meta.ts';

export const REDACTED = '[redacted]';

/**
 * How a secret prints. A connection string with a password keeps what tells you where it
 * points (scheme, user, host, port, database) and loses the password and the query (drivers
 * accept `?password=` too). Anything else — tokens, DSNs, webhook URLs whose path is the
 * secret — prints as `[redacted]` whole.
 */
export function redactSecret(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
    !URL.canParse(value)
  ) {
    return REDACTED;
  }
  const url = new URL(value);
  if (!url.password) return REDACTED;
  const query = url.search ? `?${REDACTED}` : '';
  return `${url.protocol}//${url.username}:${REDACTED}@${url.host}${url.pathname}${query}`;
}

/** A copy of the config with every secret (meta `secret: true`) redacted; unset stays unset. */
export function redactConfig<C extends object>(
  schema: z.ZodObject,
  config: C,
): Record<keyof C, unknown> {
  const shape = schema.shape as Record<string, z.ZodType | undefined>;
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => {
      const field = shape[name];
      const secret = field !== undefined && readEnvMeta(field)?.secret === true;
      return [name, secret && value !== undefined ? redactSecret(value) : value];
    }),
  ) as Record<keyof C, unknown>;
}

/** `NAME=value` lines, secrets redacted, unset variables left out: for a startup log or a CLI. */
export function formatConfig(schema: z.ZodObject, config: object): string {
  return Object.entries(redactConfig(schema, config))
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join('\n');
}

/**
 * Freezes the loaded config and makes its accidental printing safe: `JSON.stringify` (so pino)
 * and `util.inspect` (so console.log) see the redacted copy, through non-enumerable hooks.
 * Property access, destructuring and spreading still give the real values: reading a secret
 * stays an explicit act.
 */
export function protectConfig<C extends object>(schema: z.ZodObject, config: C): Readonly<C> {
  Object.defineProperties(config, {
    toJSON: { value: () => redactConfig(schema, config) },
    [inspect.custom]: {
      value: (_depth: number, options: object, inspectValue: typeof inspect) =>
        inspectValue(redactConfig(schema, config), options),
    },
  });
  return Object.freeze(config);
}
