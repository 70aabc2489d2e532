import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  collectEnvDocs,
  renderEnvExample,
  renderEnvMarkdown,
  type EnvDocsSection,
} from './index.ts';

const shared = {
  DATABASE_URL: z.url().meta({
    description: 'Database connection string.',
    secret: true,
    example: 'postgres://postgres:postgres@127.0.0.1:54322/postgres',
  }),
  API_KEY: z.string().meta({ description: 'Key with no local value.', secret: true }),
  LOG_LEVEL: z.enum(['info', 'debug']).default('info').meta({ description: 'Log level.' }),
};

const sections: EnvDocsSection[] = [
  {
    name: 'api',
    schema: z.object({
      ...shared,
      PORT: z.coerce.number().default(4000).meta({ description: 'Listen port.' }),
      SENTRY_DSN: z
        .url()
        .optional()
        .meta({ description: 'Sentry DSN | off when unset.', secret: true, production: 'Set it.' }),
    }),
  },
  {
    name: 'worker',
    schema: z.object({
      ...shared,
      PORT: z.coerce.number().default(4001).meta({ description: 'Listen port.' }),
      CONCURRENCY: z.coerce
        .number()
        .optional()
        .meta({ description: 'Jobs at once.', example: '5' }),
    }),
  },
];

describe('env docs', () => {
  it('lists a shared variable once, with the processes that read it', () => {
    const groups = collectEnvDocs(sections).map((group) => ({
      processes: group.processes,
      variables: group.variables.map((variable) => variable.name),
    }));
    expect(groups).toEqual([
      { processes: ['api', 'worker'], variables: ['DATABASE_URL', 'API_KEY', 'LOG_LEVEL'] },
      { processes: ['api'], variables: ['PORT', 'SENTRY_DSN'] },
      { processes: ['worker'], variables: ['PORT', 'CONCURRENCY'] },
    ]);
  });

  it('is deterministic', () => {
    expect(renderEnvExample(sections)).toBe(renderEnvExample(sections));
    expect(renderEnvMarkdown(sections)).toBe(renderEnvMarkdown(sections));
  });

  it('writes required variables uncommented and the others commented with their default', () => {
    const lines = renderEnvExample(sections).split('\n');
    const assignments = lines.filter((line) => /^(# )?[A-Z_]+=/.test(line));
    expect(assignments).toEqual([
      'DATABASE_URL=postgres://postgres:postgres@127.0.0.1:54322/postgres',
      'API_KEY=',
      '# LOG_LEVEL=info',
      '# PORT=4000',
      '# SENTRY_DSN=',
      '# PORT=4001',
      'CONCURRENCY=5', // optional, but its local example value is written out
    ]);
    expect(lines).toContain('# Read by: api, worker');
    expect(lines).toContain('# One of: info, debug.');
    expect(lines).toContain('# Production: Set it.');
  });

  it('marks secrets in both outputs', () => {
    const example = renderEnvExample(sections);
    expect(example).toMatch(
      /# Database connection string\.\n# Required\.\n# Secret: [^\n]*\nDATABASE_URL=/,
    );
    expect(example).toMatch(/# Listen port\.\n# PORT=4000/);
    const markdown = renderEnvMarkdown(sections);
    expect(markdown).toContain('## Read by `api`, `worker`');
    expect(markdown).toContain('| `API_KEY` | yes |  | yes | Key with no local value. |');
    expect(markdown).toContain('| `PORT` | no | `4000` |  | Listen port. |');
    expect(markdown).toContain(
      '| `SENTRY_DSN` | no |  | yes | Sentry DSN \\| off when unset. **Production:** Set it. |',
    );
  });

  it('refuses a variable without a description', () => {
    const undocumented = [{ name: 'api', schema: z.object({ SECRET: z.string() }) }];
    expect(() => renderEnvExample(undocumented)).toThrow(
      'SECRET (api) has no .meta({ description })',
    );
  });
});
