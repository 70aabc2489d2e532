import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ModuleManifest } from './module-manifest.ts';
import { packageName } from './import-specifiers.ts';

const PROCESSES = ['api', 'worker', 'web'];
const TEST_SUPPORT = '@saas/shared/test-support';
// The test runner's globals: every test file imports them; nothing to declare.
const TEST_RUNNER = '@jest/globals';

export interface ImportContext {
  /** Repository root (or the root of a temp copy). */
  root: string;
  manifest: ModuleManifest;
  /** Absolute path of the importing file. */
  file: string;
  /** Test code: `*.test.ts`, `*.bench.ts`, anything under `test-fixtures/`. */
  isTest: boolean;
}

/** Why `specifier` may not be imported from this file, or undefined when it may. */
export function importProblem(specifier: string, ctx: ImportContext): string | undefined {
  const { manifest } = ctx;
  if (specifier.startsWith('node:')) return undefined;
  if (builtinModules.includes(packageName(specifier)))
    return `imports the builtin '${specifier}' without the node: prefix`;
  if (specifier.startsWith('.')) return relativeProblem(specifier, ctx);
  if (isAbsolute(specifier)) return `imports the absolute path '${specifier}'`;
  if (specifier.startsWith('#'))
    return `imports '${specifier}' through package.json "imports": not copyable`;
  if (specifier.startsWith('@saas/')) {
    const process = PROCESSES.find(
      (p) => specifier === `@saas/${p}` || specifier.startsWith(`@saas/${p}/`),
    );
    if (process) return `imports the ${process} process ('${specifier}')`;
    if (ctx.isTest && specifier === TEST_SUPPORT) return undefined;
    if (specifier === TEST_SUPPORT)
      return `imports test support ('${specifier}') from non-test code`;
    return `imports '${specifier}': shared modules import each other by relative path (../<module>/index.ts), declared in "modules"`;
  }
  const pkg = packageName(specifier);
  if (pkg in manifest.dependencies || pkg in manifest.peerDependencies) return undefined;
  if (ctx.isTest && (pkg === TEST_RUNNER || pkg in manifest.devDependencies)) return undefined;
  return ctx.isTest
    ? `imports the package '${pkg}', which module.json declares in neither dependencies, peerDependencies nor devDependencies`
    : `imports the package '${pkg}', which module.json declares in neither dependencies nor peerDependencies`;
}

function relativeProblem(specifier: string, ctx: ImportContext): string | undefined {
  const sharedSrc = resolve(ctx.root, 'shared', 'src');
  const target = resolve(dirname(ctx.file), specifier);
  const inShared = relative(sharedSrc, target);
  if (!inShared.startsWith('..') && !isAbsolute(inShared)) {
    const folder = inShared.split(sep)[0]!;
    if (folder === ctx.manifest.name) return undefined;
    if (ctx.manifest.modules.includes(folder)) return undefined;
    return `imports the shared module '${folder}' ('${specifier}'), which module.json does not list in "modules"`;
  }
  const fromRoot = relative(ctx.root, target).split(sep);
  const top = fromRoot[0]!;
  if (PROCESSES.includes(top)) return `imports from the ${top} process ('${specifier}')`;
  if (top === 'shared' && fromRoot[1] === 'test-support') {
    return ctx.isTest
      ? `imports test support by path ('${specifier}'): use '${TEST_SUPPORT}'`
      : `imports test support ('${specifier}') from non-test code`;
  }
  return `imports '${specifier}', outside shared/src/${ctx.manifest.name}/`;
}
