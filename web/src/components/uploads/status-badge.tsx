import type { UploadStatus } from '@saas/shared/contracts';

const LABELS: Record<UploadStatus, string> = {
  pending: 'pending',
  uploaded: 'uploaded',
  ready: 'ready',
  rejected: 'rejected',
  failed: 'failed',
};

/** The status as a word (never colour alone), coloured with AA contrast. */
export function StatusBadge({ status }: { status: UploadStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {LABELS[status]}
    </span>
  );
}
