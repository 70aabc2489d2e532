import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * shared/src/<module>/module.json: what a module needs when it is copied into another app.
 * - dependencies: npm packages its code imports (ranges as in shared/package.json).
 * - peerDependencies: packages the app provides and wires in (express for a router, the
 *   ioredis client it passes) — imported for types, or not imported at all.
 * - devDependencies: packages only its tests import, and @types packages its code needs to
 *   type-check (ranges as in the root or shared package.json); @jest/globals and
 *   @saas/shared/test-support are implied.
 * - modules: other shared modules it imports (by relative path), copied with it.
 * - env: the variables its env fragment defines.
 */
export interface ModuleManifest {
  name: string;
  summary: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  modules: string[];
  env: string[];
}

export type ManifestResult = { manifest: ModuleManifest } | { error: string };

const isRecordOfStrings = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string');
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The folders under shared/src that are modules (every folder is one). */
export function listModules(sharedSrc: string): string[] {
  return readdirSync(sharedSrc, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function readManifest(moduleDir: string): ManifestResult {
  const file = join(moduleDir, 'module.json');
  if (!existsSync(file)) return { error: 'module.json is missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { error: `module.json is not JSON (${(err as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null) return { error: 'module.json is not an object' };
  const j = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof j.name !== 'string') problems.push('"name" must be a string');
  if (typeof j.summary !== 'string' || j.summary.length === 0)
    problems.push('"summary" must be a non-empty string');
  for (const field of ['dependencies', 'peerDependencies', 'devDependencies'] as const) {
    if (j[field] !== undefined && !isRecordOfStrings(j[field]))
      problems.push(`"${field}" must map package names to version ranges`);
  }
  if (j.dependencies === undefined) problems.push('"dependencies" is required (may be {})');
  if (!isStringArray(j.modules)) problems.push('"modules" must be an array of module names');
  if (!isStringArray(j.env)) problems.push('"env" must be an array of variable names');
  if (problems.length > 0) return { error: `module.json: ${problems.join('; ')}` };
  return {
    manifest: {
      name: j.name as string,
      summary: j.summary as string,
      dependencies: j.dependencies as Record<string, string>,
      peerDependencies: (j.peerDependencies ?? {}) as Record<string, string>,
      devDependencies: (j.devDependencies ?? {}) as Record<string, string>,
      modules: j.modules as string[],
      env: j.env as string[],
    },
  };
}

/** The module and every module it declares, transitively (what a copy must include). */
export function moduleClosure(name: string, manifests: Map<string, ModuleManifest>): string[] {
  const seen = new Set<string>();
  const visit = (m: string): void => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const dep of manifests.get(m)?.modules ?? []) visit(dep);
  };
  visit(name);
  return [...seen];
}
