import { z } from 'zod';

export const healthStatus = z.enum(['ok', 'degraded', 'fail']);

export const healthCheckResult = z.object({
  status: z.enum(['ok', 'fail']),
  latencyMs: z.number().min(0),
  /** A failing critical check fails the report; a failing optional one degrades it. */
  critical: z.boolean(),
  /** Short, scrubbed reason; never a connection string or a secret. */
  error: z.string().optional(),
  /** What the check chose to report (counts, versions); never a secret. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HealthCheckResult = z.infer<typeof healthCheckResult>;

/** Every process answers its health endpoints with this shape: 200 for ok/degraded, 503 for fail. */
export const healthReport = z.object({
  status: healthStatus,
  service: z.string(),
  version: z.string(),
  uptimeS: z.number().min(0),
  checks: z.record(z.string(), healthCheckResult),
});
export type HealthReport = z.infer<typeof healthReport>;

/** GET /health/live: answers from memory only (never touches a dependency). */
export const livenessReport = z.object({ status: z.enum(['ok', 'fail']) });
export type LivenessReport = z.infer<typeof livenessReport>;

/** GET /health/ready: the readiness checks only, and whether this process takes traffic. */
export const readinessReport = healthReport.extend({ ready: z.boolean() });
export type ReadinessReport = z.infer<typeof readinessReport>;

/** GET /health/:check: one check's result, by name. */
export const namedHealthCheck = healthCheckResult.extend({ name: z.string() });
export type NamedHealthCheck = z.infer<typeof namedHealthCheck>;

/** GET /health/:check for a name the registry does not know (404). */
export const unknownHealthCheck = z.object({ error: z.string() });
