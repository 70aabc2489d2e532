export { healthEnv } from './env.ts';
export type {
  HealthCheck,
  HealthCheckOptions,
  HealthCheckResult,
  HealthReport,
  HealthStatus,
} from './types.ts';
export {
  createHealthRegistry,
  type HealthRegistry,
  type HealthRegistryOptions,
} from './health-registry.ts';
export {
  createHealthEndpoints,
  HEALTH_PATHS,
  type HealthEndpoints,
  type HealthEndpointsOptions,
  type HealthResponse,
} from './health-endpoints.ts';
export { createHealthRouter } from './health-router.ts';
export { createHealthHandler } from './health-handler.ts';
export { describeCheckError, sanitizeErrorText } from './sanitize-error.ts';
