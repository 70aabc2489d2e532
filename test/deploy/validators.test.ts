// Each validator of `npm run validate:deploy` passes the repository's file and fails a copy
// broken in one specific way (the file contents are edited in memory).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { validateCompose } from '../../scripts/validate-deploy/compose.ts';
import {
  checkComposeCli,
  runCommand,
  type RunCommand,
} from '../../scripts/validate-deploy/compose-cli.ts';
import { validateDependabot } from '../../scripts/validate-deploy/dependabot.ts';
import {
  validateDockerfile,
  validateDockerignore,
  type DockerfileRules,
} from '../../scripts/validate-deploy/dockerfile.ts';
import { errorsOf } from '../../scripts/validate-deploy/report.ts';
import { lockedTurboVersion } from '../../scripts/validate-deploy/turbo.ts';
import { validateVercel } from '../../scripts/validate-deploy/vercel.ts';
import { validateWorkflow } from '../../scripts/validate-deploy/workflow.ts';
import { readRepoFile, repoRoot } from './deploy-fixture.ts';

const replaced = (text: string, from: string | RegExp, to: string): string => {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not found`);
  return next;
};

describe('docker-compose.yml', () => {
  const text = readRepoFile('docker-compose.yml');
  const check = (t: string, envExample?: string): string[] =>
    errorsOf(validateCompose({ text: t, target: 'docker-compose.yml', envExample }));
  const localEnv =
    'DATABASE_URL=postgres://postgres:postgres@127.0.0.1:54322/postgres\nS3_ACCESS_KEY_ID=S3RVER\nS3_SECRET_ACCESS_KEY=S3RVER\n';

  test('the repository file passes the schema and the stack rules', () => {
    expect(check(text, localEnv)).toEqual([]);
  });

  test('a key the Compose Specification does not know fails the schema', () => {
    expect(
      check(
        replaced(
          text,
          '    restart: unless-stopped\n\n  redis:',
          '    restartt: always\n\n  redis:',
        ),
      ).join('\n'),
    ).toMatch(/restartt/);
  });

  test('a long-running service without a healthcheck fails', () => {
    const broken = replaced(
      text,
      / {4}healthcheck:\n {6}test: \['CMD', 'redis-cli', 'ping'\]\n( {6}\w+: \S+\n)+/,
      '',
    );
    expect(check(broken).join('\n')).toMatch(/redis runs continuously but has no healthcheck/);
  });

  test('a stop_grace_period at or below the worker drain fails', () => {
    expect(
      check(replaced(text, 'stop_grace_period: 40s', 'stop_grace_period: 10s')).join('\n'),
    ).toMatch(/stop_grace_period \(10000 ms\) must exceed WORKER_DRAIN_TIMEOUT_MS \(25000 ms\)/);
  });

  test('starting the api before the migration finished fails', () => {
    const broken = replaced(
      text,
      /( {2}api:[\s\S]*?migrate:\n\s+condition: )service_completed_successfully/,
      '$1service_started',
    );
    expect(check(broken).join('\n')).toMatch(
      /api must wait for one-off migrate with condition service_completed_successfully/,
    );
  });

  test('an unquoted `no` (a boolean to YAML 1.1 tools) fails', () => {
    expect(check(replaced(text, "restart: 'no'", 'restart: no')).join('\n')).toMatch(
      /unquoted "no"/,
    );
  });

  test('Redis without noeviction or on another port fails', () => {
    const errs = check(
      replaced(
        replaced(text, '      - noeviction\n', '      - allkeys-lru\n'),
        '127.0.0.1:6380:6379',
        '127.0.0.1:6379:6379',
      ),
    );
    expect(errs.join('\n')).toMatch(/noeviction/);
    expect(errs.join('\n')).toMatch(/redis must publish port 6380/);
  });

  test('a port published on every interface fails', () => {
    expect(check(replaced(text, "'127.0.0.1:4000:4000'", "'4000:4000'")).join('\n')).toMatch(
      /publishes port 4000 on all interfaces/,
    );
  });

  test('credentials that differ from .env.example fail', () => {
    expect(
      check(text, localEnv.replace('postgres:postgres@', 'postgres:other@')).join('\n'),
    ).toMatch(/DATABASE_URL credentials differ/);
  });
});

describe('docker compose config (policy)', () => {
  const text = readRepoFile('docker-compose.yml');
  const dir = mkdtempSync(join(tmpdir(), 'compose-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake =
    (answers: Record<string, { status: number; output?: string } | 'missing'>): RunCommand =>
    (cmd, args) => {
      const key = `${cmd} ${args.join(' ')}`;
      const hit = Object.entries(answers).find(([prefix]) => key.startsWith(prefix))?.[1];
      if (!hit || hit === 'missing') return { status: null, output: '', missing: true };
      return { status: hit.status, output: hit.output ?? '', missing: false };
    };

  test('compose v2, when installed, decides: its error fails the check', () => {
    const run = fake({
      'docker compose version': { status: 0, output: 'v2.40.0' },
      'docker compose -f': { status: 15, output: 'bad' },
    });
    expect(errorsOf(checkComposeCli('docker-compose.yml', repoRoot, text, run))).toHaveLength(1);
  });

  test('neither v2 nor v1 installed: a note, not a failure', () => {
    const r = checkComposeCli('docker-compose.yml', repoRoot, text, fake({}));
    expect(errorsOf(r)).toEqual([]);
    expect(r.findings[0]?.message).toMatch(/skipped/);
  });

  test('v1 rejecting only the keys it predates passes with a note naming them; any other error fails', () => {
    const v1 = (projected: { status: number; output?: string }): RunCommand =>
      fake({
        'docker-compose version': { status: 0, output: '1.29.2' },
        'docker-compose -f docker-compose.yml': {
          status: 1,
          output: "'name' does not match any of the regexes",
        },
        'docker-compose -f': projected,
      });
    const ok = checkComposeCli('docker-compose.yml', repoRoot, text, v1({ status: 0 }));
    expect(errorsOf(ok)).toEqual([]);
    expect(ok.findings[0]?.message).toMatch(
      /predates name, services\.\*\.build\.dockerfile_inline/,
    );
    const bad = checkComposeCli(
      'docker-compose.yml',
      repoRoot,
      text,
      v1({ status: 1, output: "Service 'web' depends on service 'apix' which is undefined." }),
    );
    expect(errorsOf(bad).join('\n')).toMatch(/apix/);
  });

  test('the installed docker-compose (Debian v1 here) accepts the file and rejects a dangling dependency', () => {
    const good = join(dir, 'good.yml');
    const broken = join(dir, 'broken.yml');
    writeFileSync(good, text);
    writeFileSync(broken, replaced(text, /( {2}web:[\s\S]*?depends_on:\n\s+)api:/, '$1apix:'));
    const version = runCommand('docker-compose', ['version', '--short'], dir);
    const v2 = runCommand('docker', ['compose', 'version'], dir);
    // This machine has Debian's v1 and no v2; on a machine with neither, both answers are notes.
    const installed =
      (!version.missing && version.status === 0) || (!v2.missing && v2.status === 0);
    expect(errorsOf(checkComposeCli(good, repoRoot, text))).toEqual([]);
    expect(
      errorsOf(checkComposeCli(broken, repoRoot, readFileSync(broken, 'utf8'))).length > 0,
    ).toBe(installed);
  });
});

describe('Dockerfiles', () => {
  const turboVersion = lockedTurboVersion(repoRoot);
  const api: DockerfileRules = {
    pkg: '@saas/api',
    requireHealthcheck: true,
    requireProdDepsInstall: true,
    turboVersion,
  };
  const text = readRepoFile('api/Dockerfile');
  const check = (t: string, rules = api): string =>
    errorsOf(validateDockerfile(t, 'api/Dockerfile', rules)).join('\n');

  test.each([
    ['api/Dockerfile', api],
    ['worker/Dockerfile', { ...api, pkg: '@saas/worker' }],
    [
      'web/Dockerfile',
      { pkg: '@saas/web', requireHealthcheck: false, requireProdDepsInstall: false, turboVersion },
    ],
  ])('%s passes', (file, rules) => {
    expect(check(readRepoFile(file), rules)).toBe('');
  });

  test('starting through npm fails', () => {
    expect(check(replaced(text, /^CMD .*$/m, 'CMD ["npm", "start"]'))).toMatch(
      /starts a package manager/,
    );
  });

  test('a shell-form CMD fails', () => {
    expect(check(replaced(text, /^CMD .*$/m, 'CMD node dist/main.js'))).toMatch(/shell form/);
  });

  test('a root runtime fails', () => {
    expect(check(replaced(text, 'USER 1000:1000', 'USER root'))).toMatch(/USER root is root/);
    expect(check(replaced(text, 'USER 1000:1000\n', ''))).toMatch(/runs as root/);
  });

  test('no HEALTHCHECK, or one that needs curl, fails', () => {
    const noHc = replaced(text, /^HEALTHCHECK [^\n]*\\\n[^\n]*\n/m, '');
    expect(check(noHc)).toMatch(/no HEALTHCHECK/);
    const curl = replaced(
      text,
      /^ {2}CMD \["node", "-e", .*$/m,
      '  CMD ["curl", "-f", "http://127.0.0.1:4000/health/live"]',
    );
    expect(check(curl)).toMatch(/slim images have no curl/);
  });

  test('a single-stage build without turbo prune, npm ci or a production-only install fails', () => {
    const single =
      'FROM node:24-trixie-slim\nWORKDIR /app\nCOPY . .\nRUN npm install && npm run build\nUSER node\nHEALTHCHECK CMD ["node", "-e", "1"]\nCMD ["node", "api/dist/main.js"]\n';
    const errs = check(single);
    expect(errs).toMatch(/not multi-stage/);
    expect(errs).toMatch(/turbo prune @saas\/api --docker/);
    expect(errs).toMatch(/no `npm ci`/);
    expect(errs).toMatch(/use npm ci/);
    expect(errs).toMatch(/--omit=dev/);
  });

  test('another Node major or a turbo version other than the lockfile’s fails', () => {
    expect(check(text.replaceAll('node:24-trixie-slim', 'node:20-slim'))).toMatch(/not node:24/);
    expect(check(text, { ...api, turboVersion: '9.9.9' })).toMatch(/differs from turbo 9\.9\.9/);
  });

  test('.dockerignore passes, and fails when .env files may enter the context', () => {
    const ignore = readRepoFile('.dockerignore');
    expect(errorsOf(validateDockerignore(ignore, '.dockerignore'))).toEqual([]);
    expect(
      errorsOf(
        validateDockerignore(ignore.replace(/^(\*\*\/)?\.env$/gm, ''), '.dockerignore'),
      ).join('\n'),
    ).toMatch(/\.env is not ignored/);
  });
});

describe('web/vercel.json', () => {
  const text = readRepoFile('web/vercel.json');
  const turboVersion = lockedTurboVersion(repoRoot);
  const check = (t: string): string =>
    errorsOf(validateVercel(t, 'web/vercel.json', '@saas/web', turboVersion)).join('\n');
  const json = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

  test('passes: schema, headers, and an ignore step that skips only unaffected builds', () => {
    expect(check(text)).toBe('');
  });

  test('a Root Directory key (a dashboard setting) fails the schema', () => {
    expect(check(JSON.stringify({ ...json(), rootDirectory: 'web' }))).toMatch(/rootDirectory/);
  });

  test('wildcard CORS fails', () => {
    const broken = json();
    (broken.headers as { headers: { key: string; value: string }[] }[])[0]!.headers.push({
      key: 'Access-Control-Allow-Origin',
      value: '*',
    });
    expect(check(JSON.stringify(broken))).toMatch(/wildcard CORS/);
  });

  test('a missing security header fails', () => {
    expect(check(text.replace(/\{ "key": "X-Content-Type-Options"[^}]*\},\n\s*/, ''))).toMatch(
      /X-Content-Type-Options is not set/,
    );
  });

  test('an inverted ignore step (builds when unaffected) fails', () => {
    const cmd = (json().ignoreCommand as string).replace(/ \|\| exit 1$/, '');
    const inverted = `! { ${cmd}; }`;
    expect(check(JSON.stringify({ ...json(), ignoreCommand: inverted }))).toMatch(
      /unaffected \(turbo exits 0\): exits 1, so Vercel would build/,
    );
  });

  test('an ignore step without the first-deploy guard skips a branch’s first build and fails', () => {
    const unguarded = (json().ignoreCommand as string).replace(/^.*?; /, '');
    expect(check(JSON.stringify({ ...json(), ignoreCommand: unguarded }))).toMatch(
      /first deploy of a branch/,
    );
  });

  test('an ignore step on the wrong package fails', () => {
    expect(check(text.replace('--packages @saas/web', '--packages web'))).toMatch(
      /checks package web, not @saas\/web/,
    );
  });

  test('env in vercel.json (deprecated) fails', () => {
    expect(
      check(JSON.stringify({ ...json(), env: { NEXT_PUBLIC_API_URL: 'https://api.example.com' } })),
    ).toMatch(/deprecated/);
  });
});

describe('.github/workflows/ci.yml', () => {
  const text = readRepoFile('.github/workflows/ci.yml');
  const check = (t: string): string => errorsOf(validateWorkflow(t, 'ci.yml')).join('\n');

  test('passes the workflow schema and has every CI step and service', () => {
    expect(check(text)).toBe('');
  });

  test('an unknown job key fails the schema', () => {
    expect(
      check(
        replaced(
          text,
          '    runs-on: ubuntu-24.04\n',
          '    runs-on: ubuntu-24.04\n    run-on: ubuntu-24.04\n',
        ),
      ),
    ).toMatch(/run-on/);
  });

  // Issue 14, item 9: actions pinned by tag, a persisted checkout token, install scripts in CI.
  test('an action pinned by tag fails', () => {
    expect(check(replaced(text, /actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v6'))).toMatch(
      /actions\/checkout@v6` is not pinned by commit SHA/,
    );
    expect(
      check(replaced(text, /actions\/setup-node@[0-9a-f]{40}/, 'actions/setup-node@main')),
    ).toMatch(/setup-node@main` is not pinned/);
  });

  test('a checkout that keeps its credentials fails', () => {
    expect(
      check(replaced(text, 'persist-credentials: false', 'persist-credentials: true')),
    ).toMatch(/persist-credentials: false/);
  });

  test('npm ci with install scripts fails', () => {
    expect(check(replaced(text, ' --ignore-scripts', ''))).toMatch(/runs install scripts/);
  });

  test('without the production audit step it fails', () => {
    expect(check(replaced(text, 'npm audit --omit=dev --audit-level=high', 'npm audit'))).toMatch(
      /npm audit --omit=dev --audit-level=high/,
    );
  });

  test("a Redis container off the tests' port fails", () => {
    expect(check(replaced(text, '- 6380:6379', '- 6379:6379'))).toMatch(
      /redis service container must map 6380:6379/,
    );
  });
});

describe('.github/dependabot.yml', () => {
  const text = readRepoFile('.github/dependabot.yml');
  test('passes, and fails without the Docker base images', () => {
    expect(errorsOf(validateDependabot(text, 'dependabot.yml'))).toEqual([]);
    const broken = replaced(text, '      - /web\n', '');
    expect(errorsOf(validateDependabot(broken, 'dependabot.yml')).join('\n')).toMatch(
      /no docker updates for \/web/,
    );
  });
});
