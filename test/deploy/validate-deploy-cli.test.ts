// `npm run validate:deploy` end to end: the entry script on a copy of the deploy files exits
// 0, and exits 1 naming the file when any one of them is broken.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyDeployFiles, repoRoot, type DeployCopy } from './deploy-fixture.ts';

const main = `${repoRoot}scripts/validate-deploy/main.ts`;

let copy: DeployCopy;
beforeAll(() => {
  copy = copyDeployFiles();
});
afterAll(() => copy.remove());

const validate = (only?: string): { code: number | null; out: string } => {
  const args = [main, '--root', copy.root, ...(only ? ['--only', only] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('validate:deploy', () => {
  test('passes on an intact copy of the deploy files', () => {
    const { code, out } = validate();
    expect(out).toMatch(/summary: \d+ checks passed, 0 checks failed/);
    expect(code).toBe(0);
  });

  // One broken file at a time; the check that reads it must fail and name the file.
  const cases: { only: string; file: string; from: string | RegExp; to: string; expect: RegExp }[] =
    [
      {
        only: 'compose',
        file: 'docker-compose.yml',
        from: 'stop_grace_period: 40s',
        to: 'stop_grace_period: 5s',
        expect: /FAIL {2}compose: stack rules\s+docker-compose\.yml/,
      },
      {
        only: 'docker',
        file: 'worker/Dockerfile',
        from: /^CMD .*$/m,
        to: 'CMD ["npm", "start"]',
        expect: /FAIL {2}dockerfile rules \(@saas\/worker\)\s+worker\/Dockerfile/,
      },
      {
        only: 'docker',
        file: '.dockerignore',
        from: /^\*\*\/node_modules$/m,
        to: '',
        expect: /FAIL {2}dockerignore rules\s+\.dockerignore/,
      },
      {
        only: 'vercel',
        file: 'web/vercel.json',
        from: '"framework": "nextjs",',
        to: '"framework": "nextjs", "rootDirectory": "web",',
        expect: /FAIL {2}vercel: vercel\.json schema\s+web\/vercel\.json/,
      },
      {
        only: 'workflow',
        file: '.github/workflows/ci.yml',
        from: 'runs-on: ubuntu-24.04',
        to: 'runs_on: ubuntu-24.04',
        expect: /FAIL {2}workflow: GitHub workflow schema\s+\.github\/workflows\/ci\.yml/,
      },
      {
        only: 'dependabot',
        file: '.github/dependabot.yml',
        from: 'version: 2',
        to: 'version: 1',
        expect: /FAIL {2}dependabot rules\s+\.github\/dependabot\.yml/,
      },
      {
        only: 'turbo',
        file: 'turbo.json',
        from: '"tasks": {',
        to: '"pipeline": {}, "tasks": {',
        expect: /FAIL {2}turbo: run build --dry=json\s+turbo\.json/,
      },
      {
        only: 'railway',
        file: '.railway/railway.ts',
        from: "dockerfilePath: 'worker/Dockerfile',",
        to: 'dockerfilePath: 42,',
        expect: /FAIL {2}railway: typecheck against railway\/iac\s+\.railway\/railway\.ts/,
      },
      {
        only: 'lockfile',
        file: 'package-lock.json',
        from: '"node_modules/zod": {',
        to: '"node_modules/zod-renamed-by-test": {',
        expect: /FAIL {2}lockfile: npm ci --dry-run\s+package-lock\.json/,
      },
    ];

  test.each(cases)('fails on a broken $file', (c) => {
    copy.edit(c.file, c.from, c.to);
    try {
      const { code, out } = validate(c.only);
      expect(out).toMatch(c.expect);
      expect(code).toBe(1);
    } finally {
      copy.restore(c.file);
    }
  });
});
