'use client';

import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../lib/api/api-client.ts';
import { errorSentence } from '../../lib/api/api-error.ts';
import { createPoller } from '../../lib/polling/create-poller.ts';
import type { HealthViewState } from './status-view.tsx';

const isTimeout = (err: unknown): boolean => err instanceof Error && err.name === 'TimeoutError';

/** Polls the API's /health every `intervalMs` (and on demand); keeps the last report when the API goes away. */
export function useHealth(
  api: ApiClient,
  intervalMs: number,
  initial: HealthViewState = { kind: 'loading' },
) {
  const [state, setState] = useState<HealthViewState>(initial);
  const [refreshing, setRefreshing] = useState(initial.kind === 'loading');
  const [poller] = useState(() =>
    createPoller({
      // The API's checks answer within their own timeouts; this bounds a hung connection.
      // A server-rendered first report is fresh: the first refresh waits one interval.
      startDelayMs: initial.kind === 'loading' ? 0 : intervalMs,
      load: (signal) =>
        api.health({
          signal: AbortSignal.any([
            signal,
            AbortSignal.timeout(Math.max(5_000, intervalMs - 1_000)),
          ]),
        }),
      onResult(r) {
        setRefreshing(false);
        if (r.ok) {
          setState({ kind: 'report', report: r.value, checkedAt: new Date().toISOString() });
          return;
        }
        const message = isTimeout(r.error)
          ? 'The API did not answer in time. It may be overloaded or down.'
          : errorSentence(r.error);
        setState((prev) => ({
          kind: 'unreachable',
          message,
          checkedAt: new Date().toISOString(),
          last:
            prev.kind === 'report'
              ? { report: prev.report, checkedAt: prev.checkedAt }
              : prev.kind === 'unreachable'
                ? prev.last
                : undefined,
        }));
      },
      // A background tab checks once a minute; it checks at once when shown again.
      nextDelay: () =>
        document.visibilityState === 'hidden' ? Math.max(intervalMs, 60_000) : intervalMs,
    }),
  );

  useEffect(() => {
    poller.start();
    return () => poller.stop();
  }, [poller]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    poller.refresh();
  }, [poller]);

  return { state, refreshing, refresh };
}
