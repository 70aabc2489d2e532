// Every variable the deploy configs set exists in the config schema of the process that reads
// it (a typo there is silently ignored at runtime: zod drops unknown keys), and every
// variable a schema requires is set by the configs that start that process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { z } from 'zod';
import { apiEnvSchema } from '../../api/src/config.ts';
import { workerEnvSchema } from '../../worker/src/config.ts';
import { evaluateRailway } from '../../scripts/validate-deploy/railway.ts';
import { parseDockerfile } from '../../scripts/validate-deploy/dockerfile.ts';
import { isRecord, parseYaml } from '../../scripts/validate-deploy/yaml-source.ts';
import { readRepoFile, repoRoot } from './deploy-fixture.ts';

const keysOf = (schema: z.ZodObject): Set<string> => new Set(Object.keys(schema.shape));
/** Required: no default and not optional, so the process refuses to start without it. */
const requiredOf = (schema: z.ZodObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success)
    .map(([k]) => k);

const compose = parseYaml(readRepoFile('docker-compose.yml')).data as {
  services: Record<string, Record<string, unknown>>;
};
const composeEnv = (service: string): string[] => {
  const env = compose.services[service]?.environment;
  return isRecord(env) ? Object.keys(env) : [];
};
const composeBuildArgs = (service: string): string[] => {
  const build = compose.services[service]?.build;
  return isRecord(build) && isRecord(build.args) ? Object.keys(build.args) : [];
};

/** ENV names set in a Dockerfile's final (runtime) stage. */
const runtimeEnv = (file: string): string[] => {
  const ins = parseDockerfile(readRepoFile(file));
  const last = ins.map((i) => i.keyword).lastIndexOf('FROM');
  return ins
    .slice(last + 1)
    .filter((i) => i.keyword === 'ENV')
    .flatMap((i) => [...i.args.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!));
};

const railwayVars = (service: string, environment = 'production'): string[] => {
  const { graph } = evaluateRailway(join(repoRoot, '.railway/railway.ts'), environment);
  const node = graph?.resources.find((r) => r.type === 'service' && r.name === service);
  return Object.keys(
    (node as { variables?: Record<string, unknown> } | undefined)?.variables ?? {},
  );
};

let fragmentKeys: Set<string>;
beforeAll(async () => {
  // The union of every shared module's env fragment (shared/src/*/env.ts) and the config base.
  fragmentKeys = new Set();
  const src = join(repoRoot, 'shared/src');
  const files = [
    join(src, 'config/base-env.ts'),
    ...readdirSync(src)
      .map((d) => join(src, d, 'env.ts'))
      .filter((f) => existsSync(f)),
  ];
  for (const f of files) {
    const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
    for (const fragment of Object.values(mod))
      if (isRecord(fragment)) for (const k of Object.keys(fragment)) fragmentKeys.add(k);
  }
});

describe('deploy configs ↔ config schemas', () => {
  const api = keysOf(apiEnvSchema);
  const worker = keysOf(workerEnvSchema);
  const sets = {
    'docker-compose api': composeEnv('api'),
    'docker-compose migrate (api image)': composeEnv('migrate'),
    'docker-compose worker': composeEnv('worker'),
    'railway api': railwayVars('api'),
    'railway worker': railwayVars('worker'),
    'api/Dockerfile ENV': runtimeEnv('api/Dockerfile'),
    'worker/Dockerfile ENV': runtimeEnv('worker/Dockerfile'),
  };

  test.each([
    ['docker-compose api', api],
    ['docker-compose migrate (api image)', api],
    ['railway api', api],
    ['api/Dockerfile ENV', api],
    ['docker-compose worker', worker],
    ['railway worker', worker],
    ['worker/Dockerfile ENV', worker],
  ] as const)('%s sets only variables of its process’s schema', (name, schema) => {
    const names = sets[name];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !schema.has(n))).toEqual([]);
  });

  test('every variable any deploy config sets is a shared-module fragment, api or worker variable', () => {
    const known = new Set([...fragmentKeys, ...api, ...worker]);
    const all = [...new Set(Object.values(sets).flat())];
    expect(all.filter((n) => !known.has(n))).toEqual([]);
    // The fragments are really in there (the union is not just the two schemas).
    expect(
      fragmentKeys.has('DATABASE_URL') &&
        fragmentKeys.has('REDIS_URL') &&
        fragmentKeys.has('LOG_LEVEL'),
    ).toBe(true);
  });

  test('compose and Railway set every variable the api and worker schemas require', () => {
    for (const [where, names, schema] of [
      ['docker-compose api', sets['docker-compose api'], apiEnvSchema],
      ['docker-compose worker', sets['docker-compose worker'], workerEnvSchema],
      ['railway api', sets['railway api'], apiEnvSchema],
      ['railway worker', sets['railway worker'], workerEnvSchema],
    ] as const) {
      const missing = requiredOf(schema).filter((k) => !names.includes(k));
      expect({ where, missing }).toEqual({ where, missing: [] });
    }
  });

  test('the web gets only public build-time variables (NEXT_PUBLIC_*), which the web reads', () => {
    const vercel = JSON.parse(readRepoFile('web/vercel.json')) as {
      env?: object;
      build?: { env?: object };
    };
    const dockerArgs = parseDockerfile(readRepoFile('web/Dockerfile'))
      .filter((i) => i.keyword === 'ARG')
      .map((i) => i.args.split('=')[0]!)
      .filter((n) => n !== 'TURBO_VERSION');
    const names = [
      ...new Set([
        ...composeBuildArgs('web'),
        ...dockerArgs,
        ...Object.keys(vercel.env ?? {}),
        ...Object.keys(vercel.build?.env ?? {}),
      ]),
    ];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !n.startsWith('NEXT_PUBLIC_'))).toEqual([]);
    // Once the web exists, each one must appear in its sources (a renamed variable would be
    // baked in under a name nobody reads).
    const webSources = existsSync(join(repoRoot, 'web/package.json'))
      ? readWebSources()
      : undefined;
    if (webSources !== undefined) expect(names.filter((n) => !webSources.includes(n))).toEqual([]);
  });
});

function readWebSources(): string {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', '.next', 'dist', 'test', 'e2e'].includes(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs|js)$/.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(repoRoot, 'web'));
  return out.join('\n');
}
