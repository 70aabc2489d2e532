// .railway/railway.ts: type-checked against the railway package's own types (railway/iac),
// evaluated as the Railway CLI does, its graph validated with the SDK's validateGraph(), and
// the api/worker rules applied. Broken copies live in a temp dir that sees this repo's
// node_modules, so `railway/iac` resolves exactly as for the real file.
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals';
import { errorsOf } from '../../scripts/validate-deploy/report.ts';
import {
  evaluateRailway,
  typecheckRailway,
  validateRailway,
} from '../../scripts/validate-deploy/railway.ts';
import { copyDeployFiles } from './deploy-fixture.ts';

const copy = copyDeployFiles();
const file = '.railway/railway.ts';
afterAll(() => copy.remove());
beforeEach(() => copy.restore(file));

const typeErrors = (): string =>
  errorsOf(typecheckRailway(copy.path('.railway/tsconfig.json'), file)).join('\n');
const ruleErrors = (): string => errorsOf(validateRailway(copy.path(file), file)).join('\n');

describe('.railway/railway.ts', () => {
  test('type-checks against railway/iac and passes validateGraph and the service rules', () => {
    expect(typeErrors()).toBe('');
    expect(ruleErrors()).toBe('');
  });

  test('describes Redis, the api (2 replicas in production, pre-deploy migration) and the worker', () => {
    const { graph, errors } = evaluateRailway(copy.path(file), 'production');
    expect(errors).toEqual([]);
    const byAddress = new Map(graph!.resources.map((r) => [r.address, r]));
    expect(byAddress.get('database.redis')).toMatchObject({ engine: 'redis' });
    expect(byAddress.get('service.api')).toMatchObject({
      deploy: {
        healthcheckPath: '/health/ready',
        preDeployCommand: ['node dist/migrate.js'],
        numReplicas: 2,
      },
      variables: {
        REDIS_URL: { type: 'reference', resource: 'database.redis', output: 'REDIS_URL' },
      },
    });
    expect(byAddress.get('service.worker')).toMatchObject({
      deploy: { sleepApplication: false, restartPolicyType: 'ON_FAILURE', drainingSeconds: 45 },
    });
    expect(graph!.edges).toContainEqual({
      from: 'service.worker',
      to: 'database.redis',
      type: 'variable',
      key: 'REDIS_URL',
    });
    expect(
      evaluateRailway(copy.path(file), 'staging').graph!.resources.find((r) => r.name === 'api'),
    ).toMatchObject({
      deploy: { numReplicas: 1 },
    });
  });

  test('a value of the wrong type fails the typecheck', () => {
    copy.edit(file, 'replicas: production ? 2 : 1,', "replicas: 'two',");
    expect(typeErrors()).toMatch(/railway\.ts:\d+:\d+ TS2322/);
  });

  test('an unknown service field fails the typecheck', () => {
    copy.edit(
      file,
      "healthcheck: '/health/ready',\n    healthcheckTimeout: 120,\n    replicas: production",
      "healthCheck: '/health/ready',\n    healthcheckTimeout: 120,\n    replicas: production",
    );
    expect(typeErrors()).toMatch(/healthCheck/);
  });

  test('a reference to a resource outside the project fails validateGraph', () => {
    copy.edit(file, 'resources: [cache, api, worker]', 'resources: [api, worker]');
    expect(ruleErrors()).toMatch(/Edge references missing target: database\.redis/);
  });

  test('a draining time below the worker drain timeout fails', () => {
    copy.edit(file, 'const WORKER_DRAINING_SECONDS = 45;', 'const WORKER_DRAINING_SECONDS = 20;');
    expect(ruleErrors()).toMatch(
      /worker: drainingSeconds \(20\) must exceed WORKER_DRAIN_TIMEOUT_MS \(25000 ms\)/,
    );
  });

  test('a secret written into the file fails', () => {
    copy.edit(
      file,
      "AUTH_JWT_SECRET: shared('AUTH_JWT_SECRET'),",
      "AUTH_JWT_SECRET: 'hunter2-hunter2-hunter2-hunter2-hunter2',",
    );
    expect(ruleErrors()).toMatch(/api: AUTH_JWT_SECRET is a literal value/);
  });

  test('a sleeping worker or an api without its pre-deploy migration fails', () => {
    copy.edit(
      file,
      '      // A sleeping worker would not poll its queues.\n      sleepApplication: false,',
      '      sleepApplication: true,',
    );
    copy.edit(file, "preDeploy: 'node dist/migrate.js',", '');
    const errs = ruleErrors();
    expect(errs).toMatch(/worker: set sleepApplication: false/);
    expect(errs).toMatch(/api: no pre-deploy migration command/);
  });
});
