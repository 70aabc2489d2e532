'use client';

import type { UploadLimits } from '@saas/shared/contracts';
import { useCallback, useRef, useState } from 'react';
import type { ApiClient } from '../../lib/api/api-client.ts';
import { errorSentence } from '../../lib/api/api-error.ts';
import { putWithProgress, UploadTransferError } from '../../lib/api/put-with-progress.ts';
import { checkFile } from './check-file.ts';
import type { Transfer } from './transfer.ts';

let counter = 0;
const nextKey = (): string => `t${Date.now().toString(36)}-${(counter += 1)}`;

/**
 * Files on their way up: check against the limits → POST /v1/uploads (signed URL) → PUT the
 * bytes with progress → POST …/complete. A finished transfer leaves once the API lists its upload.
 */
export function useTransfers(
  api: ApiClient,
  limits: UploadLimits | undefined,
  onUploaded: () => void,
) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const lastPct = useRef(new Map<string, number>());

  const update = useCallback((key: string, patch: Partial<Transfer>) => {
    setTransfers((ts) => ts.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  }, []);

  const run = useCallback(
    async (key: string, file: File, request: Parameters<ApiClient['createUpload']>[0]) => {
      // One key per user action and step: a retry after a lost answer replays the first
      // answer (same upload) instead of creating a second one.
      const action = globalThis.crypto.randomUUID();
      try {
        const created = await api.createUpload(request, { idempotencyKey: `${action}:create` });
        update(key, { uploadId: created.id, phase: 'uploading' });
        await putWithProgress({
          url: created.uploadUrl,
          method: created.method,
          headers: created.headers,
          body: file,
          onProgress: (fraction) => {
            // One render per whole percent, not one per progress event.
            const pct = Math.floor(fraction * 100);
            if (lastPct.current.get(key) === pct) return;
            lastPct.current.set(key, pct);
            update(key, { progress: fraction });
          },
        });
        update(key, { phase: 'finishing', progress: 1 });
        await api.completeUpload(created.id, { idempotencyKey: `${action}:complete` });
        update(key, { phase: 'done' });
        onUploaded();
      } catch (err) {
        const message = err instanceof UploadTransferError ? err.message : errorSentence(err);
        update(key, { phase: 'error', error: `Not uploaded. ${message}` });
      } finally {
        lastPct.current.delete(key);
      }
    },
    [api, update, onUploaded],
  );

  const start = useCallback(
    (files: readonly File[]) => {
      if (!limits) return;
      const added: Transfer[] = [];
      for (const file of files) {
        const key = nextKey();
        const check = checkFile(file, limits);
        if (!check.ok) {
          added.push({
            key,
            filename: file.name,
            size: file.size,
            phase: 'error',
            progress: 0,
            error: check.message,
          });
          continue;
        }
        added.push({ key, filename: file.name, size: file.size, phase: 'requesting', progress: 0 });
        void run(key, file, check.request);
      }
      setTransfers((ts) => [...added.reverse(), ...ts]);
    },
    [limits, run],
  );

  const dismiss = useCallback(
    (key: string) => setTransfers((ts) => ts.filter((t) => t.key !== key)),
    [],
  );

  /** Drops finished transfers whose upload the list now shows (their row takes over). */
  const settle = useCallback((listedIds: ReadonlySet<string>) => {
    setTransfers((ts) => {
      const next = ts.filter(
        (t) => !(t.phase === 'done' && t.uploadId !== undefined && listedIds.has(t.uploadId)),
      );
      return next.length === ts.length ? ts : next;
    });
  }, []);

  return {
    transfers,
    start,
    dismiss,
    settle,
    /** Files still moving (a finished one waits only for the list to show it). */
    active: transfers.some(
      (t) => t.phase === 'requesting' || t.phase === 'uploading' || t.phase === 'finishing',
    ),
  };
}
