import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { formatConfig, loadConfig, redactConfig, redactSecret } from './index.ts';

const PASSWORD = 'pg-Pa55word-never-printed';
const TOKEN = 'sk_live_0123456789abcdef';

const schema = z.object({
  DATABASE_URL: z.url().meta({ description: 'Database.', secret: true }),
  API_TOKEN: z.string().meta({ description: 'Token.', secret: true }),
  SENTRY_DSN: z.url().optional().meta({ description: 'DSN.', secret: true }),
  PORT: z.coerce.number().default(4000).meta({ description: 'Port.' }),
});

function load() {
  return loadConfig(schema, {
    env: {
      DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:54322/postgres`,
      API_TOKEN: TOKEN,
    },
    envFile: false,
    exampleFile: false,
  });
}

describe('redactSecret', () => {
  it.each([
    [
      `postgres://postgres:${PASSWORD}@127.0.0.1:54322/postgres`,
      'postgres://postgres:[redacted]@127.0.0.1:54322/postgres',
    ],
    [
      `rediss://default:${PASSWORD}@redis.internal:6379`,
      'rediss://default:[redacted]@redis.internal:6379',
    ],
    [
      `postgres://u:${PASSWORD}@h/db?sslmode=require&password=${PASSWORD}`,
      'postgres://u:[redacted]@h/db?[redacted]',
    ],
    [`https://${TOKEN}@o1.ingest.sentry.io/42`, '[redacted]'],
    [`https://hooks.example.com/services/${TOKEN}`, '[redacted]'],
    [`${TOKEN}:${PASSWORD}`, '[redacted]'],
    [TOKEN, '[redacted]'],
  ])('%s prints as %s', (value, printed) => {
    expect(redactSecret(value)).toBe(printed);
  });
});

describe('printing a loaded config', () => {
  it('redacts secrets in formatConfig and leaves unset variables out', () => {
    expect(formatConfig(schema, load())).toBe(
      [
        'DATABASE_URL=postgres://postgres:[redacted]@127.0.0.1:54322/postgres',
        'API_TOKEN=[redacted]',
        'PORT=4000',
      ].join('\n'),
    );
  });

  it('redacts secrets in JSON.stringify and util.inspect of the config itself', () => {
    const config = load();
    for (const printed of [
      JSON.stringify(config),
      JSON.stringify({ config }),
      inspect(config),
      inspect({ config }),
    ]) {
      expect(printed).toContain('[redacted]');
      expect(printed).toContain('4000');
      expect(printed).not.toContain(PASSWORD);
      expect(printed).not.toContain(TOKEN);
    }
  });

  it('still gives the real values to code that reads them', () => {
    const config = load();
    expect(config.API_TOKEN).toBe(TOKEN);
    expect({ ...config }.DATABASE_URL).toContain(PASSWORD);
  });

  it('redactConfig returns a plain copy', () => {
    expect(redactConfig(schema, { API_TOKEN: TOKEN, PORT: 1, SENTRY_DSN: undefined })).toEqual({
      API_TOKEN: '[redacted]',
      PORT: 1,
      SENTRY_DSN: undefined,
    });
  });
});
