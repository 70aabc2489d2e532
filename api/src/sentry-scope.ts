import { getIsolationScope } from '@sentry/node';

/**
 * Puts the request's ids on Sentry's per-request scope. Sentry 11 captures an Express layer's
 * 5xx error itself (its express integration) before our error handler runs, and drops our
 * identical second capture (Dedupe): without this, that event would carry no request or user
 * id. Ids only — never the email.
 */
export function bindSentryRequest(ids: { requestId: string; userId?: string }): void {
  const scope = getIsolationScope();
  scope.setTag('requestId', ids.requestId);
  if (ids.userId) scope.setUser({ id: ids.userId });
}
