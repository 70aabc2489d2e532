import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importProblem } from './classify-import.ts';
import { envFragmentKeys, isEnvFragmentFile } from './env-fragment.ts';
import { importSpecifiers } from './import-specifiers.ts';
import { listModules, readManifest, type ModuleManifest } from './module-manifest.ts';
import { readmeProblems } from './readme-header.ts';

export interface Violation {
  /** Path from the root, with `:line` when it is about one import. */
  where: string;
  message: string;
}

export const COPY_DOC = 'docs/copy-a-module.md';
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

export const isTestFile = (relPath: string): boolean =>
  /\.(test|bench)\.tsx?$/.test(relPath) || /(^|\/)test-fixtures\//.test(relPath);

function sourceFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sourceFiles(path, base);
    return SOURCE.test(d.name) ? [relative(base, path)] : [];
  });
}

const readJson = (path: string): Record<string, Record<string, string> | undefined> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string> | undefined>;

/**
 * Every way a shared module could stop being copyable on its own: an import from a process, from
 * a module or package module.json does not declare, a declaration that disagrees with
 * shared/package.json, an import cycle between modules, an env variable its fragment defines but
 * module.json omits, a README without the what/copy/wire header, a module missing from the doc.
 */
export function checkModuleBoundaries(root: string): Violation[] {
  const sharedSrc = join(root, 'shared', 'src');
  const sharedPkg = readJson(join(root, 'shared', 'package.json'));
  const rootPkg = readJson(join(root, 'package.json'));
  const violations: Violation[] = [];
  const manifests = new Map<string, ModuleManifest>();
  const names = listModules(sharedSrc);

  for (const name of names) {
    const result = readManifest(join(sharedSrc, name));
    if ('error' in result)
      violations.push({ where: `shared/src/${name}/module.json`, message: result.error });
    else manifests.set(name, result.manifest);
  }

  for (const [name, m] of manifests) {
    const where = `shared/src/${name}/module.json`;
    const add = (message: string): void => void violations.push({ where, message });
    if (m.name !== name) add(`"name" is "${m.name}", the folder is "${name}"`);
    const runtime = sharedPkg.dependencies ?? {};
    for (const [field, declared] of [
      ['dependencies', m.dependencies],
      ['peerDependencies', m.peerDependencies],
    ] as const) {
      for (const [pkg, range] of Object.entries(declared)) {
        if (runtime[pkg] === undefined)
          add(`${field}: ${pkg} is not a dependency of shared/package.json`);
        else if (runtime[pkg] !== range)
          add(`${field}: ${pkg} is ${range}, shared/package.json has ${runtime[pkg]}`);
      }
    }
    const dev = { ...runtime, ...rootPkg.devDependencies, ...sharedPkg.devDependencies };
    for (const [pkg, range] of Object.entries(m.devDependencies)) {
      if (dev[pkg] === undefined)
        add(`devDependencies: ${pkg} is in neither the root nor the shared package.json`);
      else if (dev[pkg] !== range)
        add(`devDependencies: ${pkg} is ${range}, package.json has ${dev[pkg]}`);
    }
    for (const other of m.modules) {
      if (other === name) add('"modules" lists the module itself');
      else if (!names.includes(other))
        add(`"modules" lists "${other}", which is not a folder under shared/src`);
    }
    const moduleDir = join(sharedSrc, name);
    const files = sourceFiles(moduleDir);
    for (const rel of files) {
      const file = join(moduleDir, rel);
      const text = readFileSync(file, 'utf8');
      const isTest = isTestFile(rel);
      for (const { specifier, line } of importSpecifiers(text)) {
        const problem = importProblem(specifier, { root, manifest: m, file, isTest });
        if (problem)
          violations.push({ where: `shared/src/${name}/${rel}:${line}`, message: problem });
      }
      if (isEnvFragmentFile(rel)) {
        for (const key of envFragmentKeys(text)) {
          if (!m.env.includes(key)) add(`"env" omits ${key}, defined in ${rel}`);
        }
      }
    }
    const readme = join(moduleDir, 'README.md');
    if (!existsSync(readme)) add('README.md is missing');
    else {
      for (const message of readmeProblems(readFileSync(readme, 'utf8'), m)) {
        violations.push({ where: `shared/src/${name}/README.md`, message });
      }
    }
  }

  for (const cycle of findCycles(manifests)) {
    violations.push({ where: 'shared/src', message: `module import cycle: ${cycle.join(' → ')}` });
  }

  const doc = join(root, COPY_DOC);
  if (!existsSync(doc)) violations.push({ where: COPY_DOC, message: 'is missing' });
  else {
    const text = readFileSync(doc, 'utf8');
    for (const name of names) {
      if (!new RegExp(`^## \`?${name}\`?(\\s|$)`, 'm').test(text))
        violations.push({ where: COPY_DOC, message: `has no "## ${name}" section` });
    }
  }
  return violations;
}

/** Module dependency cycles (each reported once, from its alphabetically first member). */
function findCycles(manifests: Map<string, ModuleManifest>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at >= 0) {
      const cycle = path.slice(at);
      const key = [...cycle].sort().join(',');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push([...cycle, name]);
      }
      return;
    }
    for (const next of manifests.get(name)?.modules ?? []) walk(next, [...path, name]);
  };
  for (const name of [...manifests.keys()].sort()) walk(name, []);
  return cycles;
}
