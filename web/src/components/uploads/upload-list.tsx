import type { Upload } from '@saas/shared/contracts';
import { formatBytes } from './format.ts';
import { StatusBadge } from './status-badge.tsx';
import type { Transfer } from './transfer.ts';

export interface UploadListProps {
  uploads: readonly Upload[];
  transfers: readonly Transfer[];
  onDownload(upload: Upload): void;
  onDelete(upload: Upload): void;
  onDismissTransfer(key: string): void;
  /** Upload ids with an action in flight (their buttons are disabled). */
  busyIds?: ReadonlySet<string>;
}

const STATUS_HINTS: Partial<Record<Upload['status'], string>> = {
  pending: 'Waiting for the file to arrive.',
  uploaded: 'Received; checking the file…',
};

const PHASE_TEXT: Record<Transfer['phase'], string> = {
  requesting: 'Preparing the upload…',
  uploading: 'Uploading',
  finishing: 'Uploaded; registering the file…',
  done: 'Uploaded; waiting for the list to update…',
  error: 'Not uploaded',
};

const nameOf = (u: Upload): string => u.filename ?? 'Untitled file';

/** The user's uploads with their status, plus the files still being sent from this browser. */
export function UploadList({
  uploads,
  transfers,
  onDownload,
  onDelete,
  onDismissTransfer,
  busyIds,
}: UploadListProps) {
  return (
    <ul className="upload-list" aria-label="Uploads">
      {transfers.map((t) => (
        <TransferItem key={t.key} transfer={t} onDismiss={() => onDismissTransfer(t.key)} />
      ))}
      {uploads.map((u) => {
        const busy = busyIds?.has(u.id) ?? false;
        const name = nameOf(u);
        return (
          <li key={u.id} className="upload-item" data-upload-id={u.id}>
            <div>
              <div className="name">{name}</div>
              <div className="meta">
                <StatusBadge status={u.status} />
                {u.size !== null ? <> · {formatBytes(u.size)}</> : null}
                {u.detectedType ? <> · {u.detectedType}</> : null}
              </div>
              {u.status === 'rejected' || u.status === 'failed' ? (
                <p className="reason">
                  {u.status === 'rejected' ? 'Rejected: ' : 'Failed: '}
                  {u.statusReason ?? 'no reason was recorded.'}
                </p>
              ) : STATUS_HINTS[u.status] ? (
                <p className="meta">{STATUS_HINTS[u.status]}</p>
              ) : null}
            </div>
            <div className="actions">
              {u.status === 'ready' ? (
                <button
                  type="button"
                  onClick={() => onDownload(u)}
                  disabled={busy}
                  aria-label={`Download ${name}`}
                >
                  Download
                </button>
              ) : null}
              <button
                type="button"
                className="danger"
                onClick={() => onDelete(u)}
                disabled={busy}
                aria-label={`Delete ${name}`}
              >
                Delete
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function TransferItem({ transfer: t, onDismiss }: { transfer: Transfer; onDismiss: () => void }) {
  const pct = Math.round(t.progress * 100);
  return (
    <li className="upload-item" data-transfer={t.phase}>
      <div>
        <div className="name">{t.filename}</div>
        <div className="meta">
          {formatBytes(t.size)} · {PHASE_TEXT[t.phase]}
          {t.phase === 'uploading' ? ` ${pct}%` : ''}
        </div>
        {t.phase === 'error' ? (
          <p className="reason" role="alert">
            {t.error}
          </p>
        ) : (
          <progress max={100} value={pct} aria-label={`Upload progress of ${t.filename}`}>
            {pct}%
          </progress>
        )}
      </div>
      <div className="actions">
        {t.phase === 'error' ? (
          <button
            type="button"
            className="secondary"
            onClick={onDismiss}
            aria-label={`Dismiss ${t.filename}`}
          >
            Dismiss
          </button>
        ) : null}
      </div>
    </li>
  );
}
