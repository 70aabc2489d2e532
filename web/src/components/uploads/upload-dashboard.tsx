'use client';

import type { Upload } from '@saas/shared/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorSentence } from '../../lib/api/api-error.ts';
import { useAuth } from '../../lib/auth/auth-context.tsx';
import { UploadDropzone } from './upload-dropzone.tsx';
import { UploadList } from './upload-list.tsx';
import { useTransfers } from './use-transfers.ts';
import { useUploadLimits } from './use-upload-limits.ts';
import { useUploadList } from './use-upload-list.ts';

const nameOf = (u: Upload): string => u.filename ?? 'Untitled file';

/** `/`: upload files and follow them from pending to ready (or rejected, with the reason). */
export function UploadDashboard() {
  const { api } = useAuth();
  const limits = useUploadLimits(api);
  const refreshList = useRef<() => void>(() => {});
  const onUploaded = useCallback(() => refreshList.current(), []);
  const transfers = useTransfers(
    api,
    limits.state.kind === 'ready' ? limits.state.limits : undefined,
    onUploaded,
  );
  const { settle } = transfers;
  const onItems = useCallback(
    (items: readonly Upload[]) => settle(new Set(items.map((u) => u.id))),
    [settle],
  );
  const list = useUploadList(api, { transfersActive: transfers.active, onItems });
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    refreshList.current = list.refresh;
  }, [list.refresh]);

  const items = useMemo(() => (list.state.kind === 'ready' ? list.state.items : []), [list.state]);

  const withBusy = async (id: string, fn: () => Promise<void>) => {
    setBusy((s) => new Set(s).add(id));
    setActionError(null);
    try {
      await fn();
    } finally {
      setBusy((s) => {
        const n = new Set(s);
        n.delete(id);
        return n;
      });
    }
  };

  const download = (u: Upload) =>
    void withBusy(u.id, async () => {
      try {
        const { url } = await api.downloadUpload(u.id);
        // A link to the short-lived signed URL; the store answers with Content-Disposition:
        // attachment, so the page stays where it is.
        const a = document.createElement('a');
        a.href = url;
        a.rel = 'noopener';
        a.download = u.filename ?? '';
        document.body.append(a);
        a.click();
        a.remove();
      } catch (err) {
        setActionError(`Could not download ${nameOf(u)}. ${errorSentence(err)}`);
      }
    });

  const remove = (u: Upload) =>
    void withBusy(u.id, async () => {
      try {
        await api.deleteUpload(u.id);
        list.remove(u.id);
        list.setAnnouncement(`${nameOf(u)} was deleted.`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          list.remove(u.id);
          return;
        }
        setActionError(`Could not delete ${nameOf(u)}. ${errorSentence(err)}`);
      }
    });

  return (
    <>
      <h1>Your uploads</h1>
      <p className="lead">
        Files go straight to storage, then a worker checks what they really are. Their status
        updates here on its own.
      </p>

      {limits.state.kind === 'error' ? (
        <div className="error" role="alert">
          <p>
            Uploading is unavailable: the upload limits could not be read. {limits.state.message}
          </p>
          <button type="button" className="secondary" onClick={limits.retry}>
            Try again
          </button>
        </div>
      ) : null}

      <UploadDropzone
        limits={limits.state.kind === 'ready' ? limits.state.limits : undefined}
        disabled={limits.state.kind !== 'ready'}
        onFiles={transfers.start}
      />

      <h2 id="files-heading">Files</h2>
      <p role="status" className="visually-hidden">
        {list.announcement}
      </p>
      {actionError ? (
        <p className="error" role="alert">
          {actionError}
        </p>
      ) : null}
      {list.state.kind === 'ready' && list.state.refreshError ? (
        <p className="notice" role="status">
          The list may be out of date: {list.state.refreshError} Retrying automatically.
        </p>
      ) : null}

      {list.state.kind === 'loading' ? (
        <p role="status" className="muted">
          Loading your uploads…
        </p>
      ) : list.state.kind === 'error' ? (
        <div className="error" role="alert">
          <p>Your uploads could not be loaded. {list.state.message}</p>
          <button type="button" className="secondary" onClick={list.refresh}>
            Try again
          </button>
        </div>
      ) : items.length === 0 && transfers.transfers.length === 0 ? (
        <p className="card">
          No uploads yet. Drag a file onto the box above, or press “Choose files”, to upload your
          first one.
        </p>
      ) : null}

      {list.state.kind === 'ready' && list.state.more ? (
        <p className="muted">Showing your {items.length} most recent uploads.</p>
      ) : null}
      {items.length > 0 || transfers.transfers.length > 0 ? (
        <UploadList
          uploads={items}
          transfers={transfers.transfers}
          onDownload={download}
          onDelete={remove}
          onDismissTransfer={transfers.dismiss}
          busyIds={busy}
        />
      ) : null}
    </>
  );
}
