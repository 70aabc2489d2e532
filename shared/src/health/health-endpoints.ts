import type { HealthRegistry } from './health-registry.ts';

export interface HealthEndpointsOptions {
  registry: HealthRegistry;
  /** The lifecycle's readiness flag: false from the moment shutdown begins. */
  isReady: () => boolean;
  /** Checks that must pass for GET /health/ready (usually the critical dependencies). */
  readinessChecks: readonly string[];
  /**
   * Extra liveness condition (e.g. an event-loop watchdog). It must never touch a dependency:
   * a failing liveness probe restarts the process.
   */
  liveness?: () => boolean;
  /**
   * Whether a request may see the full report (check names, durations, errors), given its
   * Authorization header; the others get the status code and up/down only. The API and the
   * worker pass createBearerCheck(METRICS_TOKEN). Not given: everyone sees everything.
   */
  showDetails?: (authorization: string | undefined) => boolean;
}

export interface HealthResponse {
  statusCode: number;
  body: unknown;
}

export interface HealthEndpoints {
  live(): HealthResponse;
  ready(): Promise<HealthResponse>;
  full(): Promise<HealthResponse>;
  check(name: string): Promise<HealthResponse>;
  /** The endpoint serving a request path, or undefined when it is not a health path. */
  match(pathname: string): (() => HealthResponse | Promise<HealthResponse>) | undefined;
}

export const HEALTH_PATHS = {
  full: '/health',
  live: '/health/live',
  ready: '/health/ready',
  check: '/health/:check',
} as const;

const CHECK_PATH = /^\/health\/([^/]+)$/;

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The probe semantics, shared by the Express router and the node:http handler. */
export function createHealthEndpoints(options: HealthEndpointsOptions): HealthEndpoints {
  const { registry } = options;

  const endpoints: HealthEndpoints = {
    // Liveness answers from memory only and stays 200 while draining: failing it mid-drain
    // would make the orchestrator kill the requests being finished (kubernetes#107473).
    live() {
      const alive = options.liveness?.() ?? true;
      return { statusCode: alive ? 200 : 503, body: { status: alive ? 'ok' : 'fail' } };
    },
    async ready() {
      // Draining: out of rotation at once, and no new queries against closing dependencies.
      if (!options.isReady()) {
        const report = await registry.run([]);
        return { statusCode: 503, body: { ...report, status: 'fail', ready: false } };
      }
      const report = await registry.run(options.readinessChecks);
      const ready = Object.values(report.checks).every((c) => c.status === 'ok');
      return { statusCode: ready ? 200 : 503, body: { ...report, ready } };
    },
    async full() {
      const report = await registry.run();
      return { statusCode: report.status === 'fail' ? 503 : 200, body: report };
    },
    async check(name) {
      const result = registry.has(name) ? await registry.runOne(name) : undefined;
      if (!result) return { statusCode: 404, body: { error: 'unknown health check' } };
      return { statusCode: result.status === 'ok' ? 200 : 503, body: { name, ...result } };
    },
    match(pathname) {
      const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
      if (path === HEALTH_PATHS.full) return endpoints.full;
      if (path === HEALTH_PATHS.live) return endpoints.live;
      if (path === HEALTH_PATHS.ready) return endpoints.ready;
      const segment = CHECK_PATH.exec(path)?.[1];
      const name = segment === undefined ? undefined : decodeSegment(segment);
      return name === undefined ? undefined : () => endpoints.check(name);
    },
  };
  return endpoints;
}
