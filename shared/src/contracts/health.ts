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
