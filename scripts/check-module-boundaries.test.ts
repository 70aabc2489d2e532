import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkModuleBoundaries, type Violation } from './module-boundaries/check.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./check-module-boundaries.ts', import.meta.url));

const run = (at: string) =>
  spawnSync(process.execPath, [script, '--root', at], { encoding: 'utf8', timeout: 30_000 });

describe('check-module-boundaries', () => {
  it('passes on the real tree', () => {
    expect(checkModuleBoundaries(root)).toEqual([]);
    const cli = run(root);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
  });

  describe('on a copy of the tree with bad imports', () => {
    let copy: string;
    let violations: Violation[];
    const file = (path: string, text: string): void => {
      mkdirSync(join(copy, path, '..'), { recursive: true });
      writeFileSync(join(copy, path), text);
    };
    const edit = (path: string, fn: (text: string) => string): void =>
      writeFileSync(join(copy, path), fn(readFileSync(join(copy, path), 'utf8')));
    const about = (where: string): string[] =>
      violations.filter((v) => v.where.startsWith(where)).map((v) => v.message);

    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'module-boundaries-'));
      cpSync(join(root, 'shared', 'src'), join(copy, 'shared', 'src'), { recursive: true });
      cpSync(join(root, 'shared', 'package.json'), join(copy, 'shared', 'package.json'));
      cpSync(join(root, 'package.json'), join(copy, 'package.json'));
      cpSync(join(root, 'docs', 'copy-a-module.md'), join(copy, 'docs', 'copy-a-module.md'));
      expect(checkModuleBoundaries(copy)).toEqual([]);

      file(
        'shared/src/logger/bad-process.ts',
        "import { apiConfig } from '../../../api/src/config.ts';\nexport const x = apiConfig;\n",
      );
      file('shared/src/logger/bad-module.ts', "export { createDb } from '../db/index.ts';\n");
      file(
        'shared/src/logger/bad-package.ts',
        "import type { Options } from 'undeclared-pkg';\nexport type O = Options;\n",
      );
      file('shared/src/logger/bad-dynamic.ts', "export const load = () => import('lodash/fp');\n");
      file(
        'shared/src/logger/bad-builtin.ts',
        "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
      );
      file('shared/src/logger/bad-alias.ts', "export * from '@saas/shared/redis';\n");
      file('shared/src/logger/bad-support.ts', "export * from '@saas/shared/test-support';\n");
      file(
        'shared/src/logger/ok.test.ts',
        "import { expect } from '@jest/globals';\nimport fc from 'fast-check';\nimport { uniqueId } from '@saas/shared/test-support';\nexpect(fc && uniqueId).toBeTruthy();\n",
      );
      file(
        'shared/src/logger/bad.test.ts',
        "import request from 'supertest';\nimport { uniqueId } from '../../test-support/index.ts';\nexport { request, uniqueId };\n",
      );
      file(
        'shared/src/logger/test-fixtures/bad-fixture.ts',
        "import { createWorker } from '../../../../worker/src/main.ts';\nexport { createWorker };\n",
      );
      // A cycle: redis → health → redis.
      file(
        'shared/src/redis/uses-health.ts',
        "export { createHealthRegistry } from '../health/index.ts';\n",
      );
      file('shared/src/health/uses-redis.ts', "export { createRedis } from '../redis/index.ts';\n");
      edit('shared/src/redis/module.json', (t) =>
        t.replace('"modules": []', '"modules": ["health"]'),
      );
      edit('shared/src/health/module.json', (t) =>
        t.replace('"modules": []', '"modules": ["redis"]'),
      );
      // Declarations that disagree with shared/package.json, the env fragment, the README.
      edit('shared/src/db/module.json', (t) =>
        t.replace('"postgres": "^3.4.9"', '"postgres": "^2.0.0"'),
      );
      edit('shared/src/lifecycle/module.json', (t) => t.replace('["SHUTDOWN_TIMEOUT_MS"]', '[]'));
      edit('shared/src/storage/README.md', (t) => t.replace('**Copy:**', '**Files:**'));
      edit('shared/src/queue/README.md', (t) =>
        t.replace('npm i bullmq ioredis zod', 'npm i bullmq zod'),
      );
      edit('docs/copy-a-module.md', (t) => t.replace('## contracts', '## api contracts'));
      violations = checkModuleBoundaries(copy);
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('refuses imports from a process, an undeclared module or package, by alias or without node:', () => {
      expect(about('shared/src/logger/bad-process.ts:1')).toEqual([
        "imports from the api process ('../../../api/src/config.ts')",
      ]);
      expect(about('shared/src/logger/bad-module.ts:1')).toEqual([
        "imports the shared module 'db' ('../db/index.ts'), which module.json does not list in \"modules\"",
      ]);
      expect(about('shared/src/logger/bad-package.ts:1')).toEqual([
        "imports the package 'undeclared-pkg', which module.json declares in neither dependencies nor peerDependencies",
      ]);
      expect(about('shared/src/logger/bad-dynamic.ts:1')[0]).toMatch(/'lodash'/);
      expect(about('shared/src/logger/bad-builtin.ts:1')).toEqual([
        "imports the builtin 'fs' without the node: prefix",
      ]);
      expect(about('shared/src/logger/bad-alias.ts:1')[0]).toMatch(/by relative path/);
      expect(about('shared/src/logger/bad-support.ts:1')[0]).toMatch(
        /test support .* from non-test code/,
      );
    });

    it('lets tests import the runner, test support and devDependencies — nothing else', () => {
      expect(about('shared/src/logger/ok.test.ts')).toEqual([]);
      expect(about('shared/src/logger/bad.test.ts:1')[0]).toMatch(/'supertest'.*devDependencies/);
      expect(about('shared/src/logger/bad.test.ts:2')[0]).toMatch(
        /use '@saas\/shared\/test-support'/,
      );
      expect(about('shared/src/logger/test-fixtures/bad-fixture.ts:1')[0]).toMatch(
        /worker process/,
      );
    });

    it('refuses cycles and declarations that disagree with the code, the package or the docs', () => {
      const messages = violations.map((v) => `${v.where}: ${v.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          'shared/src: module import cycle: health → redis → health',
          'shared/src/db/module.json: dependencies: postgres is ^2.0.0, shared/package.json has ^3.4.9',
          'shared/src/lifecycle/module.json: "env" omits SHUTDOWN_TIMEOUT_MS, defined in env.ts',
          'shared/src/storage/README.md: line 2 must be "**Copy:** …"',
          'shared/src/queue/README.md: the Copy line does not list the package ioredis',
          'docs/copy-a-module.md: has no "## contracts" section',
        ]),
      );
    });

    it('the CLI exits 1 and names each problem', () => {
      const cli = run(copy);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(
        'shared/src/logger/bad-process.ts:1: imports from the api process',
      );
      expect(cli.stderr).toMatch(new RegExp(`${violations.length} module boundary problem\\(s\\)`));
    });
  });
});
