import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import dotenvSafe from 'dotenv-safe';

// dotenv-safe ships parse() and MissingEnvVarsError at runtime; @types/dotenv-safe only
// declares config(). config() itself does not fit here: it writes into the global process.env
// and checks the global process.env, while loadConfig reads an injected env and mutates nothing.
declare module 'dotenv-safe' {
  export function parse(source: string | Buffer): Record<string, string>;
  export const MissingEnvVarsError: new (
    allowEmptyValues: boolean,
    dotenvFilename: string,
    exampleFilename: string,
    missingVars: string[],
    error?: Error,
  ) => MissingEnvVarsError;
}

export interface EnvFiles {
  /** The .env file to read (a missing file is fine: values may come from the environment). */
  envFile: string | false;
  /** The .env.example whose uncommented variables are required. */
  exampleFile: string | false;
}

/**
 * Explicit paths win; otherwise the nearest `.env.example` above `cwd` (the repo root in
 * development) and the `.env` beside it. None found (a container image without the example):
 * nothing is read and the schema alone decides what is required.
 */
export function resolveEnvFiles(options: Partial<EnvFiles> & { cwd?: string }): EnvFiles {
  const found = findUp('.env.example', options.cwd ?? process.cwd());
  return {
    envFile: options.envFile ?? (found ? join(dirname(found), '.env') : false),
    exampleFile: options.exampleFile ?? found ?? false,
  };
}

function findUp(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The variables the schema will see: the environment over the .env file (the environment
 * wins, as with dotenv), empty values counting as unset (as dotenv-safe counts them).
 * Throws dotenv-safe's MissingEnvVarsError when a variable the example lists uncommented, and
 * this process reads, is unset: a shared example may list variables other processes need.
 */
export function readEnvSource(
  env: Readonly<Record<string, string | undefined>>,
  files: EnvFiles,
  reads: readonly string[],
): Record<string, string> {
  const fromFile =
    files.envFile && existsSync(files.envFile) ? dotenvSafe.parse(readFileSync(files.envFile)) : {};
  const source = withoutEmpty({ ...fromFile, ...withoutEmpty(env) });
  if (files.exampleFile) {
    const required = Object.keys(dotenvSafe.parse(readFileSync(files.exampleFile)));
    const missing = required.filter((name) => reads.includes(name) && source[name] === undefined);
    if (missing.length > 0) {
      throw new dotenvSafe.MissingEnvVarsError(
        false,
        files.envFile || '.env',
        files.exampleFile,
        missing,
      );
    }
  }
  return source;
}

function withoutEmpty(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}
