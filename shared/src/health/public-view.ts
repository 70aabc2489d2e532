import type { HealthResponse } from './health-endpoints.ts';

/**
 * What an anonymous caller sees of a health response: the status code and up/down only. The
 * check names, durations, versions and (sanitised) errors of the full report tell an attacker
 * what the service runs on and when a dependency struggles; they need the token.
 */
export function publicView(response: HealthResponse): HealthResponse {
  const body = response.body as { status?: unknown } | null | undefined;
  const status =
    typeof body?.status === 'string' ? body.status : response.statusCode < 400 ? 'ok' : 'fail';
  return { statusCode: response.statusCode, body: { status } };
}

/** The view for one request: full when showDetails says so (or is not given), else public. */
export const viewFor =
  (showDetails: ((authorization: string | undefined) => boolean) | undefined) =>
  (authorization: string | undefined): ((r: HealthResponse) => HealthResponse) =>
    !showDetails || showDetails(authorization) ? (r) => r : publicView;
