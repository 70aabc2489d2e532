import { executeCheck } from './execute-check.ts';
import { reportStatus } from './report-status.ts';
import { singleFlightCache } from './single-flight-cache.ts';
import type { HealthCheck, HealthCheckOptions, HealthCheckResult, HealthReport } from './types.ts';

export interface HealthRegistryOptions {
  service: string;
  version: string;
  /** Default per-check timeout (HEALTH_CHECK_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a check's result is reused (HEALTH_CACHE_MS); 0 keeps only the single-flight. */
  cacheMs: number;
  /** Clock for the cache window (tests pass a fake one). */
  now?: () => number;
  /**
   * Called each time a check really runs (not for cached answers), e.g. to set
   * health_check_up{check} and health_check_latency_seconds{check}. Errors it throws are ignored.
   */
  onResult?: (name: string, result: HealthCheckResult) => void;
}

export interface HealthRegistry {
  readonly service: string;
  readonly version: string;
  /** Adds a named check. Names are URL path segments (GET /health/:check); duplicates throw. */
  register(name: string, check: HealthCheck, options: HealthCheckOptions): void;
  has(name: string): boolean;
  names(): string[];
  /**
   * Runs the named checks (all when omitted) in parallel, each under its timeout. A name that
   * is not registered (yet) counts as a failing critical check: not ready until it exists.
   */
  run(names?: readonly string[]): Promise<HealthReport>;
  /** One check's result, or undefined for an unknown name. */
  runOne(name: string): Promise<HealthCheckResult | undefined>;
}

const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const notRegistered: HealthCheckResult = {
  status: 'fail',
  latencyMs: 0,
  critical: true,
  error: 'check not registered',
};

export function createHealthRegistry(options: HealthRegistryOptions): HealthRegistry {
  const now = options.now ?? Date.now;
  const runners = new Map<string, () => Promise<HealthCheckResult>>();

  const report = (checks: Record<string, HealthCheckResult>): HealthReport => ({
    status: reportStatus(Object.values(checks)),
    service: options.service,
    version: options.version,
    uptimeS: Math.floor(process.uptime()),
    checks,
  });

  const notify = (name: string, result: HealthCheckResult): void => {
    try {
      options.onResult?.(name, result);
    } catch {
      // A broken metrics hook must not turn a health answer into a 500.
    }
  };

  return {
    service: options.service,
    version: options.version,
    register(name, check, checkOptions) {
      if (!CHECK_NAME.test(name)) throw new Error(`invalid health check name "${name}"`);
      if (runners.has(name)) throw new Error(`health check "${name}" is already registered`);
      const timeoutMs = checkOptions.timeoutMs ?? options.timeoutMs;
      const runOnce = async (): Promise<HealthCheckResult> => {
        const result = await executeCheck(check, { critical: checkOptions.critical, timeoutMs });
        notify(name, result);
        return result;
      };
      runners.set(name, singleFlightCache(runOnce, { cacheMs: options.cacheMs, now }));
    },
    has: (name) => runners.has(name),
    names: () => [...runners.keys()],
    async run(names) {
      const selected = names ?? [...runners.keys()];
      const results = await Promise.all(
        selected.map(
          async (name) => [name, (await runners.get(name)?.()) ?? notRegistered] as const,
        ),
      );
      return report(Object.fromEntries(results));
    },
    async runOne(name) {
      return runners.get(name)?.();
    },
  };
}
