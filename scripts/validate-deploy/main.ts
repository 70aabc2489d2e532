// `npm run validate:deploy`: offline validation of every deploy config. Prints a report and
// exits 1 when any check fails. Each validator is a function of file contents (see the
// sibling files); test/deploy/ feeds them broken copies.
//
//   node scripts/validate-deploy/main.ts [--root DIR] [--only compose,docker,lockfile,vercel,workflow,dependabot,turbo,railway]
//
// --root validates the deploy files of another checkout (the tests use a copy); schemas,
// turbo and TypeScript always come from this repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateCompose } from './compose.ts';
import { checkComposeCli } from './compose-cli.ts';
import { validateDependabot } from './dependabot.ts';
import { validateDockerfile, validateDockerignore } from './dockerfile.ts';
import { typecheckRailway, validateRailway } from './railway.ts';
import { error, failed, formatReport, note, type CheckResult } from './report.ts';
import { checkLockfiles } from './lockfile.ts';
import { checkTurbo, lockedTurboVersion } from './turbo.ts';
import { validateVercel } from './vercel.ts';
import { validateWorkflow } from './workflow.ts';

export const CHECKS = [
  'compose',
  'docker',
  'lockfile',
  'vercel',
  'workflow',
  'dependabot',
  'turbo',
  'railway',
] as const;
export type CheckName = (typeof CHECKS)[number];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function runChecks(root: string, only: readonly CheckName[] = CHECKS): CheckResult[] {
  const results: CheckResult[] = [];
  const rel = (p: string): string => relative(root, p) || p;
  const read = (path: string, check: string): string | undefined => {
    if (existsSync(path)) return readFileSync(path, 'utf8');
    results.push({ check, target: rel(path), findings: [error('file is missing')] });
    return undefined;
  };
  const turboVersion = lockedTurboVersion(root);

  if (only.includes('compose')) {
    const file = join(root, 'docker-compose.yml');
    const text = read(file, 'compose');
    if (text !== undefined) {
      const example = join(root, '.env.example');
      results.push(
        ...validateCompose({
          text,
          target: rel(file),
          envExample: existsSync(example) ? readFileSync(example, 'utf8') : undefined,
        }),
      );
      results.push(checkComposeCli(file, root, text, undefined, rel(file)));
    }
  }

  if (only.includes('docker')) {
    const images = [
      { pkg: '@saas/api', file: 'api/Dockerfile', runtime: true },
      { pkg: '@saas/worker', file: 'worker/Dockerfile', runtime: true },
      { pkg: '@saas/web', file: 'web/Dockerfile', runtime: false },
    ];
    for (const image of images) {
      const text = read(join(root, image.file), `dockerfile rules (${image.pkg})`);
      if (text === undefined) continue;
      // web: Next's standalone output traces its own production node_modules, and the
      // healthcheck requirement (api, worker) does not apply, though it has one.
      results.push(
        validateDockerfile(text, image.file, {
          pkg: image.pkg,
          requireHealthcheck: image.runtime,
          requireProdDepsInstall: image.runtime,
          turboVersion,
        }),
      );
    }
    const ignore = read(join(root, '.dockerignore'), 'dockerignore rules');
    if (ignore !== undefined) results.push(validateDockerignore(ignore, '.dockerignore'));
  }

  if (only.includes('lockfile')) {
    results.push(
      ...checkLockfiles(root, join(repoRoot, 'node_modules/.bin/turbo'), [
        { name: '@saas/api', dir: 'api' },
        { name: '@saas/worker', dir: 'worker' },
        { name: '@saas/web', dir: 'web' },
      ]),
    );
  }

  if (only.includes('vercel')) {
    const file = join(root, 'web/vercel.json');
    const text = read(file, 'vercel');
    if (text !== undefined) {
      const webPkg = join(root, 'web/package.json');
      const name = existsSync(webPkg)
        ? (JSON.parse(readFileSync(webPkg, 'utf8')) as { name?: string }).name
        : undefined;
      const checks = validateVercel(text, rel(file), name ?? '@saas/web', turboVersion);
      if (!name)
        checks
          .at(-1)
          ?.findings.push(
            note('web/package.json does not exist yet: assumed the package name @saas/web'),
          );
      results.push(...checks);
    }
  }

  if (only.includes('workflow')) {
    const dir = join(root, '.github/workflows');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
    if (files.length === 0)
      results.push({ check: 'workflow', target: rel(dir), findings: [error('no workflow files')] });
    for (const f of files)
      results.push(...validateWorkflow(readFileSync(join(dir, f), 'utf8'), rel(join(dir, f))));
  }

  if (only.includes('dependabot')) {
    const file = join(root, '.github/dependabot.yml');
    const text = read(file, 'dependabot rules');
    if (text !== undefined) results.push(validateDependabot(text, rel(file)));
  }

  if (only.includes('turbo')) {
    if (read(join(root, 'turbo.json'), 'turbo: run build --dry=json') !== undefined)
      results.push(checkTurbo(root, join(repoRoot, 'node_modules/.bin/turbo')));
  }

  if (only.includes('railway')) {
    const file = join(root, '.railway/railway.ts');
    const tsconfig = join(root, '.railway/tsconfig.json');
    if (
      read(file, 'railway') !== undefined &&
      read(tsconfig, 'railway: typecheck against railway/iac') !== undefined
    ) {
      results.push(typecheckRailway(tsconfig, rel(file)));
      results.push(...validateRailway(file, rel(file)));
    }
  }
  return results;
}

function main(): void {
  const { values } = parseArgs({ options: { root: { type: 'string' }, only: { type: 'string' } } });
  const root = values.root ?? repoRoot;
  const only = (values.only?.split(',').map((s) => s.trim()) ?? [...CHECKS]) as CheckName[];
  const unknown = only.filter((c) => !(CHECKS as readonly string[]).includes(c));
  if (unknown.length) {
    console.error(`unknown check(s): ${unknown.join(', ')}; known: ${CHECKS.join(', ')}`);
    process.exit(2);
  }
  console.log(`validate:deploy — offline checks of the deploy configs in ${root}`);
  console.log(
    '(compose: `docker compose` v2 decides when installed; Debian docker-compose v1 fails only on errors outside',
  );
  console.log(
    ' the newer keys it predates; neither installed: noted, not failed. See scripts/validate-deploy/compose-cli.ts.)\n',
  );
  const results = runChecks(root, only);
  console.log(formatReport(results, process.stdout.isTTY));
  process.exit(results.some(failed) ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
