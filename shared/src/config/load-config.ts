import { basename } from 'node:path';
import dotenvSafe from 'dotenv-safe';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { resolveEnvFiles, readEnvSource } from './env-files.ts';
import { readEnvMeta, type EnvMeta } from './env-meta.ts';
import type { ProductionRule } from './production-rules.ts';
import { protectConfig, REDACTED } from './redact.ts';

export interface LoadConfigOptions<C = Readonly<Record<string, unknown>>> {
  /** Where the variables come from. Default: process.env. Never written to. */
  env?: Readonly<Record<string, string | undefined>>;
  /** .env file read under `env`. Default: the `.env` beside the `.env.example` found. */
  envFile?: string | false;
  /** Its uncommented variables are required. Default: the nearest `.env.example` above `cwd`. */
  exampleFile?: string | false;
  /** Where the search for `.env.example` starts. Default: process.cwd(). */
  cwd?: string;
  /** Run when NODE_ENV=production; every failing rule is reported at once. */
  productionRules?: readonly ProductionRule<C>[];
}

/**
 * Reads, validates and freezes one process's config. Throws a ConfigError naming every
 * missing, invalid or production-unsafe variable — and no secret's value.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  options: LoadConfigOptions<z.output<S>> = {},
): Readonly<z.output<S>> {
  const files = resolveEnvFiles(options);
  const source = readSource(schema, options.env ?? process.env, files);
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw invalidError(schema, parsed.error, source);
  const config = parsed.data;
  if (
    (config as { NODE_ENV?: unknown }).NODE_ENV === 'production' ||
    source.NODE_ENV === 'production'
  ) {
    const refusals = (options.productionRules ?? []).flatMap((rule) => rule(config, source) ?? []);
    if (refusals.length > 0) {
      throw new ConfigError(
        'Refusing to start: unsafe settings for NODE_ENV=production:',
        refusals,
      );
    }
  }
  return protectConfig(schema, config);
}

function readSource(
  schema: z.ZodObject,
  env: Readonly<Record<string, string | undefined>>,
  files: ReturnType<typeof resolveEnvFiles>,
): Record<string, string> {
  try {
    // Only variables this schema requires (no default, not optional) are demanded: the shared
    // example also carries optional local values (S3 keys for the local server, say).
    return readEnvSource(env, files, requiredKeys(schema));
  } catch (error) {
    if (!(error instanceof dotenvSafe.MissingEnvVarsError)) throw error;
    const example = files.exampleFile || '.env.example';
    return throwMissing(schema, error.missing, example, files.envFile || '.env', error);
  }
}

function throwMissing(
  schema: z.ZodObject,
  missing: string[],
  example: string,
  envFile: string,
  cause: Error,
): never {
  const problems = missing.map((name) => {
    const description = metaOf(schema, name)?.description;
    return description ? `${name}: ${description}` : name;
  });
  throw new ConfigError(
    `Missing required environment variables (listed in ${example}):`,
    problems,
    {
      hint: `Set them in ${envFile} or in the environment; ${basename(example)} shows a working local value for each.`,
      cause,
    },
  );
}

function invalidError(
  schema: z.ZodObject,
  error: z.ZodError,
  source: Record<string, string>,
): ConfigError {
  const problems = error.issues.map((issue) => {
    if (issue.path.length === 0) return issue.message;
    const name = String(issue.path[0]);
    const value = source[name];
    if (value === undefined)
      return `${name}: not set, and required (see .env.example and docs/env.md)`;
    const secret = metaOf(schema, name)?.secret === true;
    // zod does not echo input by default, but a custom message might: scrub it for secrets.
    const reason = secret ? issue.message.split(value).join(REDACTED) : issue.message;
    const shown = secret ? 'value hidden: secret' : `got ${JSON.stringify(truncate(value))}`;
    return `${name}: ${reason} (${shown})`;
  });
  return new ConfigError('Invalid environment variables:', problems);
}

function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

function metaOf(schema: z.ZodObject, name: string): EnvMeta | undefined {
  const field = (schema.shape as Record<string, z.ZodType | undefined>)[name];
  return field && readEnvMeta(field);
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
