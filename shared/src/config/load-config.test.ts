import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError, baseEnv, defineConfig, loadConfig, resolveEnvFiles } from './index.ts';

const SECRET = 'hunter2-correct-horse-battery-staple';

const schema = z.object({
  ...baseEnv,
  DATABASE_URL: z.url().meta({ description: 'Database connection string.', secret: true }),
  API_TOKEN: z
    .string()
    .refine((value) => value.startsWith('tok_'), {
      error: (issue) => `bad token ${String(issue.input)}`,
    })
    .meta({ description: 'Token for the upstream API.', secret: true }),
  PORT: z.coerce.number().int().default(4000).meta({ description: 'Listen port.' }),
  LOG_LEVEL: z.enum(['info', 'debug']).default('info').meta({ description: 'Log level.' }),
});

const valid = { DATABASE_URL: 'postgres://app:pw@127.0.0.1:54322/app', API_TOKEN: 'tok_abc' };
const noFiles = { envFile: false, exampleFile: false } as const;

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFiles(name: string, files: Record<string, string>): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return folder;
}

function errorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses, applies defaults and freezes the config', () => {
    const config = loadConfig(schema, { env: { ...valid, PORT: '4100' }, ...noFiles });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 4100,
      LOG_LEVEL: 'info',
      API_TOKEN: 'tok_abc',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names each missing variable and .env.example, from dotenv-safe’s check', () => {
    const folder = writeFiles('missing', {
      '.env.example':
        'DATABASE_URL=postgres://local\nAPI_TOKEN=\n# PORT=4000\nOTHER_PROCESS_ONLY=x\n',
    });
    const error = errorOf(() =>
      loadConfig(schema, {
        env: {},
        envFile: join(folder, '.env'),
        exampleFile: join(folder, '.env.example'),
      }),
    );
    expect(error.message).toContain(join(folder, '.env.example'));
    expect(error.problems).toEqual([
      'DATABASE_URL: Database connection string.',
      'API_TOKEN: Token for the upstream API.',
    ]);
    expect((error.cause as Error).name).toBe('MissingEnvVarsError');
  });

  it('counts an empty value as unset', () => {
    const folder = writeFiles('empty', { '.env.example': 'DATABASE_URL=\nAPI_TOKEN=\n' });
    const error = errorOf(() =>
      loadConfig(schema, {
        env: { ...valid, API_TOKEN: '' },
        envFile: false,
        exampleFile: join(folder, '.env.example'),
      }),
    );
    expect(error.problems).toEqual(['API_TOKEN: Token for the upstream API.']);
  });

  it('names a required variable and .env.example when there is no example file to check', () => {
    const error = errorOf(() => loadConfig(schema, { env: { API_TOKEN: 'tok_abc' }, ...noFiles }));
    expect(error.problems).toEqual([
      'DATABASE_URL: not set, and required (see .env.example and docs/env.md)',
    ]);
  });

  it('names an invalid variable and why, with the value only when it is not secret', () => {
    const error = errorOf(() =>
      loadConfig(schema, { env: { ...valid, PORT: 'eighty', LOG_LEVEL: 'verbose' }, ...noFiles }),
    );
    expect(error.message).toContain('Invalid environment variables');
    expect(error.problems).toEqual([
      'PORT: Invalid input: expected number, received NaN (got "eighty")',
      'LOG_LEVEL: Invalid option: expected one of "info"|"debug" (got "verbose")',
    ]);
  });

  it('never puts a secret’s value in the error, even when a custom message echoes it', () => {
    const error = errorOf(() =>
      loadConfig(schema, { env: { DATABASE_URL: SECRET, API_TOKEN: SECRET }, ...noFiles }),
    );
    expect(error.problems).toEqual([
      'DATABASE_URL: Invalid URL (value hidden: secret)',
      'API_TOKEN: bad token [redacted] (value hidden: secret)',
    ]);
    expect(
      JSON.stringify({ message: error.message, stack: error.stack, cause: error.cause }),
    ).not.toContain(SECRET);
  });

  it('loads the .env file, and the environment wins over it', () => {
    const folder = writeFiles('dotenv', {
      '.env': `DATABASE_URL=postgres://from-file/app\nAPI_TOKEN=tok_file\nPORT=4200\n`,
      '.env.example': 'DATABASE_URL=\nAPI_TOKEN=\n',
    });
    const env = { API_TOKEN: 'tok_env', PORT: '' };
    const config = loadConfig(schema, {
      env,
      envFile: join(folder, '.env'),
      exampleFile: join(folder, '.env.example'),
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://from-file/app',
      API_TOKEN: 'tok_env',
      PORT: 4200,
    });
    expect(env).toEqual({ API_TOKEN: 'tok_env', PORT: '' });
  });

  it('finds .env.example upward from cwd and reads the .env beside it', () => {
    const root = writeFiles('repo', {
      '.env.example': 'DATABASE_URL=\n',
      '.env': 'DATABASE_URL=postgres://root/db\n',
    });
    const cwd = join(root, 'api', 'src');
    mkdirSync(cwd, { recursive: true });
    expect(resolveEnvFiles({ cwd })).toEqual({
      envFile: join(root, '.env'),
      exampleFile: join(root, '.env.example'),
    });
    expect(loadConfig(schema, { env: { API_TOKEN: 'tok_x' }, cwd }).DATABASE_URL).toBe(
      'postgres://root/db',
    );
  });

  it('reads no file when no .env.example is found (a container image)', () => {
    const cwd = writeFiles('image', {});
    expect(resolveEnvFiles({ cwd })).toEqual({ envFile: false, exampleFile: false });
  });
});

describe('defineConfig', () => {
  it('composes fragments and loads with the process’s production rules', () => {
    const apiConfig = defineConfig({
      shape: { ...baseEnv, FLAG: z.stringbool().default(false).meta({ description: 'A flag.' }) },
      productionRules: [(config) => (config.FLAG ? 'FLAG must be off in production' : undefined)],
    });
    expect(Object.keys(apiConfig.schema.shape)).toEqual([...Object.keys(baseEnv), 'FLAG']);
    expect(apiConfig.load({ env: { FLAG: 'true' }, ...noFiles }).FLAG).toBe(true);
    const error = errorOf(() =>
      apiConfig.load({ env: { FLAG: 'true', NODE_ENV: 'production' }, ...noFiles }),
    );
    expect(error.problems).toEqual(['FLAG must be off in production']);
  });
});
