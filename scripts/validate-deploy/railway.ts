// .railway/railway.ts: type-checked against the `railway` package (railway/iac), evaluated for
// production and a non-production environment, its graph validated by the SDK
// (validateGraph), then the rules the api and worker need on Railway.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { RailwayGraph, ServiceNode, VariableValue } from 'railway/iac';
import { error, type CheckResult, type Finding } from './report.ts';

/** tsc --noEmit on the project of the given tsconfig (.railway/tsconfig.json). */
export function typecheckRailway(tsconfigPath: string, target: string): CheckResult {
  const result: CheckResult = {
    check: 'railway: typecheck against railway/iac',
    target,
    findings: [],
  };
  const read = ts.readConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
  if (read.error) {
    result.findings.push(error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n')));
    return result;
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfigPath));
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  for (const d of diagnostics.slice(0, 10)) {
    const where =
      d.file && d.start !== undefined
        ? (({ line, character }) =>
            `${d.file.fileName.split('/').slice(-2).join('/')}:${line + 1}:${character + 1} `)(
            d.file.getLineAndCharacterOfPosition(d.start),
          )
        : '';
    result.findings.push(
      error(`${where}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    );
  }
  return result;
}

export interface Evaluation {
  graph: RailwayGraph | null;
  errors: string[];
}

const evalScript = fileURLToPath(new URL('./railway-eval.ts', import.meta.url));

/** Runs the file in a child node (as the Railway CLI does) and returns its graph. */
export function evaluateRailway(file: string, environment: string): Evaluation {
  const r = spawnSync(process.execPath, [evalScript, file, environment], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0)
    return {
      graph: null,
      errors: [
        `evaluating it failed: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 6).join('\n')}`,
      ],
    };
  try {
    return JSON.parse(r.stdout) as Evaluation;
  } catch {
    return { graph: null, errors: [`evaluating it printed no graph: ${r.stdout.slice(0, 200)}`] };
  }
}

export interface RailwayExpectations {
  redis: string;
  api: { name: string; dockerfile: string; healthcheck: string };
  worker: { name: string; dockerfile: string; defaultDrainMs: number };
}

export const railwayExpectations: RailwayExpectations = {
  redis: 'redis',
  api: { name: 'api', dockerfile: 'api/Dockerfile', healthcheck: '/health/ready' },
  worker: { name: 'worker', dockerfile: 'worker/Dockerfile', defaultDrainMs: 25_000 },
};

export function validateRailway(
  file: string,
  target: string,
  expect: RailwayExpectations = railwayExpectations,
  environments: string[] = ['production', 'staging'],
): CheckResult[] {
  const results: CheckResult[] = [];
  for (const env of environments) {
    const evaluation = evaluateRailway(file, env);
    const graphCheck: CheckResult = {
      check: `railway: evaluate + validateGraph (${env})`,
      target,
      findings: evaluation.errors.map(error),
    };
    results.push(graphCheck);
    if (!evaluation.graph) continue;
    results.push({
      check: `railway: service rules (${env})`,
      target,
      findings: serviceRules(evaluation.graph, expect, env),
    });
  }
  return results;
}

const literal = (v: VariableValue | undefined): string | undefined =>
  v?.type === 'literal' ? (v.value ?? undefined) : undefined;

// Names that hold credentials: never a literal value in a file that lives in git.
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|_KEY$|KEY_ID$|DSN|DATABASE_URL|REDIS_URL/;

function serviceRules(graph: RailwayGraph, expect: RailwayExpectations, env: string): Finding[] {
  const f: Finding[] = [];
  const byName = new Map(graph.resources.map((r) => [`${r.type}:${r.name}`, r]));
  const redis = byName.get(`database:${expect.redis}`);
  if (!redis) f.push(error(`no Redis database named ${expect.redis}`));
  const svc = (name: string): ServiceNode | undefined => {
    const r = byName.get(`service:${name}`);
    if (!r) f.push(error(`no service named ${name}`));
    return r as ServiceNode | undefined;
  };

  for (const node of graph.resources) {
    if (node.type !== 'service') continue;
    for (const [key, v] of Object.entries((node as ServiceNode).variables ?? {}))
      if (SECRET_NAME.test(key) && literal(v) !== undefined)
        f.push(
          error(
            `${node.name}: ${key} is a literal value; reference it (a shared variable or another resource)`,
          ),
        );
  }

  const common = (s: ServiceNode, dockerfile: string): void => {
    const d = s.deploy ?? {};
    if (s.build?.builder !== 'DOCKERFILE' || s.build.dockerfilePath !== dockerfile)
      f.push(error(`${s.name}: build with the Dockerfile ${dockerfile}`));
    if (!s.build?.watchPatterns?.length)
      f.push(error(`${s.name}: no watch patterns (every commit would redeploy it)`));
    if (d.restartPolicyType !== 'ON_FAILURE')
      f.push(error(`${s.name}: restart policy must be ON_FAILURE`));
    if (!d.healthcheckPath)
      f.push(error(`${s.name}: no healthcheck path (deploys would go live unchecked)`));
    if (d.sleepApplication !== false) f.push(error(`${s.name}: set sleepApplication: false`));
    if (d.startCommand && /\b(npm|yarn|pnpm|npx)\b/.test(d.startCommand))
      f.push(
        error(
          `${s.name}: start command goes through a package manager; SIGTERM would not reach node`,
        ),
      );
    const redisUrl = s.variables?.REDIS_URL;
    if (redis && !(redisUrl?.type === 'reference' && redisUrl.resource === redis.address))
      f.push(
        error(
          `${s.name}: REDIS_URL must reference ${redis.address} (wired by reference, not copied)`,
        ),
      );
    const drainingMs = (d.drainingSeconds ?? 0) * 1000;
    const shutdownMs = Number(literal(s.variables?.SHUTDOWN_TIMEOUT_MS) ?? 10_000);
    if (drainingMs <= shutdownMs)
      f.push(
        error(
          `${s.name}: drainingSeconds (${d.drainingSeconds ?? 0}) must exceed SHUTDOWN_TIMEOUT_MS (${shutdownMs} ms); Railway's default is 0 (SIGKILL at once)`,
        ),
      );
  };

  const api = svc(expect.api.name);
  if (api) {
    common(api, expect.api.dockerfile);
    const d = api.deploy ?? {};
    if (d.healthcheckPath !== expect.api.healthcheck)
      f.push(error(`api: healthcheck must be ${expect.api.healthcheck}`));
    if (!d.preDeployCommand?.some((c) => /migrate/.test(c)))
      f.push(error('api: no pre-deploy migration command'));
    const replicas =
      d.numReplicas ??
      Object.values(d.multiRegionConfig ?? {}).reduce((n, r) => n + (r?.numReplicas ?? 0), 0);
    if (env === 'production' && replicas < 2)
      f.push(error(`api: ${replicas} replica(s) in production; run at least 2`));
  }
  const worker = svc(expect.worker.name);
  if (worker) {
    common(worker, expect.worker.dockerfile);
    const drainMs = Number(
      literal(worker.variables?.WORKER_DRAIN_TIMEOUT_MS) ?? expect.worker.defaultDrainMs,
    );
    const drainingMs = (worker.deploy?.drainingSeconds ?? 0) * 1000;
    if (drainingMs <= drainMs)
      f.push(
        error(
          `worker: drainingSeconds (${worker.deploy?.drainingSeconds ?? 0}) must exceed WORKER_DRAIN_TIMEOUT_MS (${drainMs} ms)`,
        ),
      );
  }
  return f;
}
