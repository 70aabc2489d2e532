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

/**
 * Any health endpoint to a caller without the metrics token, when one is configured: up/down
 * only (check names, versions and errors tell an attacker what the service runs on).
 */
export const publicHealthView = z.object({ status: healthStatus });
export type PublicHealthView = z.infer<typeof publicHealthView>;

/** GET /health: the full report with the token (or when none is configured), else up/down. */
export const healthAnswer = z.union([healthReport, publicHealthView]);
/** GET /health/ready: the readiness report with the token, else up/down. */
export const readinessAnswer = z.union([readinessReport, publicHealthView]);
/** GET /health/:check: the check with the token, else up/down. */
export const namedHealthCheckAnswer = z.union([namedHealthCheck, publicHealthView]);
/** GET /health/:check for an unknown name: the error with the token, else up/down. */
export const unknownHealthCheckAnswer = z.union([unknownHealthCheck, publicHealthView]);
