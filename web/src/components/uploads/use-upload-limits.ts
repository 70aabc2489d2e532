'use client';

import type { UploadLimits } from '@saas/shared/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../lib/api/api-client.ts';
import { errorSentence } from '../../lib/api/api-error.ts';

export type LimitsState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; limits: UploadLimits };

/** The limits the API enforces (GET /v1/uploads/limits), read once per visit. */
export function useUploadLimits(api: ApiClient) {
  const [state, setState] = useState<LimitsState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .uploadLimits({ signal: ctl.signal })
      .then((limits) => setState({ kind: 'ready', limits }))
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setState({ kind: 'error', message: errorSentence(err) });
      });
    return () => ctl.abort();
  }, [api, attempt]);

  const retry = useCallback(() => {
    setState({ kind: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, retry };
}
