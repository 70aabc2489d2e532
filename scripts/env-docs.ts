// `npm run env:docs` writes .env.example and docs/env.md from the processes' config schemas;
// `npm run env:docs -- --check` exits 1, showing the differing lines, when either has drifted.
// scripts/env-docs.test.ts runs the same check inside `npm test`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, renderEnvMarkdown, type EnvDocsSection } from '@saas/shared/config';
import { apiEnvSchema } from '../api/src/config.ts';
import { workerEnvSchema } from '../worker/src/config.ts';
import { z } from 'zod';
import { backupEnv } from './backup/backup-env.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_SHOWN = 15;

export const envDocsSections: EnvDocsSection[] = [
  { name: 'api', schema: apiEnvSchema },
  { name: 'worker', schema: workerEnvSchema },
  // Only its own variables: db:backup/db:restore also read NODE_ENV, DATABASE_URL and the
  // storage variables above (scripts/backup/README.md).
  { name: 'db:backup', schema: z.object(backupEnv) },
];

/** The generated files, by path from the repository root. */
export function generateEnvDocs(): { path: string; content: string }[] {
  return [
    { path: '.env.example', content: renderEnvExample(envDocsSections) },
    { path: 'docs/env.md', content: renderEnvMarkdown(envDocsSections) },
  ];
}

/** One message per file that differs from what the schemas generate; empty when up to date. */
export function checkEnvDocs(): string[] {
  return generateEnvDocs().flatMap(({ path, content }) => {
    const file = join(root, path);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) return [];
    if (current === undefined) return [`${path} is missing.`];
    return [describeDrift(path, current, content)];
  });
}

// Lines only in the file (-) and lines only in the generated text (+): enough to see what
// changed without a diff library, and stable when lines are inserted.
function describeDrift(path: string, current: string, generated: string): string {
  const have = current.split('\n');
  const want = generated.split('\n');
  const removed = have.filter((line) => !want.includes(line)).map((line) => `  - ${line}`);
  const added = want.filter((line) => !have.includes(line)).map((line) => `  + ${line}`);
  const shown = [...removed.slice(0, MAX_SHOWN), ...added.slice(0, MAX_SHOWN)];
  const more = removed.length + added.length - shown.length;
  const order = removed.length + added.length === 0 ? ['  (same lines, different order)'] : [];
  return [
    `${path} differs from the config schemas (- in the file, + generated):`,
    ...shown,
    ...order,
    ...(more > 0 ? [`  … and ${more} more`] : []),
  ].join('\n');
}

if (import.meta.main) {
  if (process.argv.includes('--check')) {
    const drift = checkEnvDocs();
    if (drift.length > 0) {
      console.error(`${drift.join('\n\n')}\n\nRun \`npm run env:docs\` and commit the result.`);
      process.exitCode = 1;
    } else {
      console.log('.env.example and docs/env.md match the config schemas.');
    }
  } else {
    for (const { path, content } of generateEnvDocs()) writeFileSync(join(root, path), content);
    console.log('Wrote .env.example and docs/env.md from the config schemas.');
  }
}
