import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { createMetrics } from '@saas/shared/observability';
import { createUploadsQueue, type UploadsQueue } from '@saas/shared/queue';
import { createRedis } from '@saas/shared/redis';
import { testServices, uniqueId } from '@saas/shared/test-support';
import type { Redis } from 'ioredis';
import { createApiMetrics } from '../../api/src/metrics.ts';
import { createJobMetrics } from '../../worker/src/processing/job-metrics.ts';
import { createQueueMetrics } from '../../worker/src/queue-metrics.ts';
import { exposedSeriesNames, promqlMetricNames } from './support/promql-metric-names.ts';

// The monitoring is code: promtool validates the config and the rules and runs the rules' unit
// tests (each alert fires, and stays quiet, when it should); then every metric a rule or a
// dashboard panel reads must be one the processes really export.
const root = fileURLToPath(new URL('../..', import.meta.url));
const prometheusDir = join(root, 'infra/prometheus');
const dashboardsDir = join(root, 'infra/grafana/dashboards');
const promtool = process.env.PROMTOOL ?? 'promtool';
const run = promisify(execFile);

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f));

async function promtoolRun(args: string[], cwd = prometheusDir): Promise<string> {
  try {
    const { stdout, stderr } = await run(promtool, args, { cwd });
    return stdout + stderr;
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        `${promtool} not found: apt-get install prometheus (it ships promtool), or set PROMTOOL`,
        { cause: err },
      );
    }
    throw new Error(
      `promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
      { cause: err },
    );
  }
}

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const ruleFiles = yamlFiles(join(prometheusDir, 'rules'));
const rules: AlertRule[] = ruleFiles.flatMap((file) =>
  (parse(readFileSync(file, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(
    (g) => g.rules,
  ),
);
const alerts = rules.filter((r): r is AlertRule & { alert: string } => typeof r.alert === 'string');

interface Panel {
  type: string;
  title: string;
  id: number;
  targets?: { expr?: string }[];
  gridPos?: unknown;
}
const dashboards = readdirSync(dashboardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(readFileSync(join(dashboardsDir, f), 'utf8')) as {
      uid: string;
      title: string;
      panels: Panel[];
    },
  }));
const panelExprs = dashboards.flatMap(({ json }) =>
  json.panels
    .filter((p) => p.type !== 'row')
    .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' }))),
);
// Grafana's interval variable is not PromQL: give it the value Grafana would.
const asPromql = (expr: string): string => expr.replaceAll('$__rate_interval', '5m');

describe('promtool', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ops-prometheus-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('check rules: every rule file parses and lints clean', async () => {
    const out = await promtoolRun(['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFiles]);
    expect(out).toContain('SUCCESS');
  });

  it('test rules: the unit tests in infra/prometheus/tests pass', async () => {
    const out = await promtoolRun(['test', 'rules', ...yamlFiles(join(prometheusDir, 'tests'))]);
    expect(out).not.toContain('FAILED');
  });

  it('check config: prometheus.yml is valid and loads every rule file', async () => {
    // check config opens credentials_file: check a copy with a placeholder token.
    cpSync(join(prometheusDir, 'prometheus.yml'), join(scratch, 'prometheus.yml'));
    cpSync(join(prometheusDir, 'rules'), join(scratch, 'rules'), { recursive: true });
    mkdirSync(join(scratch, 'secrets'));
    writeFileSync(join(scratch, 'secrets/metrics-token'), 'placeholder');
    const out = await promtoolRun(
      ['check', 'config', '--lint=all', '--lint-fatal', 'prometheus.yml'],
      scratch,
    );
    expect(out).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  it('every dashboard query is valid PromQL (checked as recording rules)', async () => {
    const file = join(scratch, 'dashboard-queries.yml');
    const groups = [
      {
        name: 'dashboard',
        rules: panelExprs.map((p, i) => ({
          record: `dashboard:query_${i}`,
          expr: asPromql(p.expr),
        })),
      },
    ];
    writeFileSync(file, JSON.stringify({ groups }));
    const out = await promtoolRun(['check', 'rules', file], scratch);
    expect(out).toContain(`SUCCESS: ${panelExprs.length} rules found`);
  });
});

describe('alert rules', () => {
  const tests = yamlFiles(join(prometheusDir, 'tests')).flatMap((file) =>
    (
      parse(readFileSync(file, 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
      }
    ).tests.flatMap((t) => t.alert_rule_test ?? []),
  );

  it('cover what the issue asks for', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      expect.arrayContaining([
        'ApiCriticalErrorRate',
        'ApiHighErrorRate',
        'ApiHighLatencyP95',
        'JobFailureRatioHigh',
        'PostgresCheckFailing',
        'QueueBacklogHigh',
        'RedisCheckFailing',
        'WorkerOffline',
      ]),
    );
  });

  it.each(alerts.map((a) => [a.alert, a] as const))(
    '%s has a severity, summary, description and an existing runbook',
    (_name, alert) => {
      expect(['warning', 'critical']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
      expect(alert.annotations?.description).toBeTruthy();
      const runbook = alert.annotations?.runbook_url ?? '';
      expect(runbook).toMatch(/^docs\/runbooks\/[a-z0-9-]+\.md$/);
      expect(existsSync(join(root, runbook))).toBe(true);
      // The runbook names the alert, so the page found from the alert is the right one.
      expect(readFileSync(join(root, runbook), 'utf8')).toContain(alert.alert);
    },
  );

  it.each(alerts.map((a) => [a.alert] as const))(
    '%s is unit-tested firing and staying quiet',
    (name) => {
      const cases = tests.filter((t) => t.alertname === name);
      expect(cases.some((t) => (t.exp_alerts ?? []).length > 0)).toBe(true);
      expect(cases.some((t) => (t.exp_alerts ?? []).length === 0)).toBe(true);
    },
  );
});

describe('dashboards', () => {
  it.each(dashboards.map((d) => [d.file, d.json] as const))(
    '%s parses, has ids, positions and a query per panel',
    (_file, json) => {
      expect(json.uid).toBeTruthy();
      expect(json.title).toBeTruthy();
      const panels = json.panels.filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(10);
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) {
        expect(p.gridPos).toBeDefined();
        expect((p.targets ?? []).length).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.expr?.trim()).toBeTruthy();
      }
    },
  );

  it('shows request rate, errors, latency, in-flight, queue depth, job durations, failures, workers and health', () => {
    const all = panelExprs.map((p) => p.expr).join('\n');
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'http_requests_in_flight',
      'bullmq_job_count',
      'job_duration_seconds_bucket',
      'jobs_failed_total',
      'queue_workers',
      'health_check_up',
    ]) {
      expect(all).toContain(metric);
    }
  });
});

describe('every metric the rules and dashboards read is exported by the processes', () => {
  let redis: Redis;
  let queue: UploadsQueue;
  let exported: Set<string>;

  beforeAll(async () => {
    // The registries the api and the worker build, and BullMQ's export from a real queue.
    const api = createMetrics({ service: 'api' });
    createApiMetrics(api.registry);
    api.onHealthResult('db', { status: 'ok', latencyMs: 1 });
    const worker = createMetrics({ service: 'worker' });
    createJobMetrics(worker.registry);
    redis = createRedis(testServices.redisUrl, { role: 'client' });
    queue = createUploadsQueue(redis, { prefix: uniqueId('opsmetrics') });
    const queueMetrics = createQueueMetrics({
      queues: [queue],
      registry: worker.registry,
      service: 'worker',
      timeoutMs: 5000,
    });
    const text = `${await api.registry.metrics()}\n${await queueMetrics.render()}`;
    // Added by Prometheus itself for every scrape target.
    exported = new Set([...exposedSeriesNames(text), 'up']);
  });

  afterAll(async () => {
    await queue.close();
    redis.disconnect();
  });

  it('sanity: the inventory holds the contract names', () => {
    for (const name of [
      'http_request_duration_seconds_bucket',
      'health_check_up',
      'jobs_completed_total',
      'bullmq_job_count',
      'queue_workers',
      'process_cpu_seconds_total',
    ]) {
      expect(exported).toContain(name);
    }
  });

  it.each(alerts.map((a) => [a.alert, a.expr] as const))('alert %s', (_name, expr) => {
    const names = promqlMetricNames(expr);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it.each(panelExprs.map((p) => [p.panel, p.expr] as const))('panel "%s"', (_panel, expr) => {
    const names = promqlMetricNames(asPromql(expr));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('the name extractor finds metrics and ignores functions, labels and keywords', () => {
    expect(
      promqlMetricNames(
        'sum by (queue) (rate(jobs_failed_total{name="x"}[10m])) / (sum(rate(jobs_completed_total[5m])) or vector(0)) > 0.1 and on(queue) up == 1',
      ).sort(),
    ).toEqual(['jobs_completed_total', 'jobs_failed_total', 'up']);
  });
});
