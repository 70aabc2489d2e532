import type { Upload } from '@saas/shared/contracts';
import type { UploadRecord } from './repository.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The public shape of a row: no owner id, object key or request id. */
export const toUploadView = (r: UploadRecord): Upload => ({
  id: r.id,
  filename: r.filename,
  contentType: r.contentType,
  size: r.size,
  status: r.status,
  statusReason: r.statusReason,
  sha256: r.sha256,
  detectedType: r.detectedType,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  completedAt: iso(r.completedAt),
  processedAt: iso(r.processedAt),
  expiresAt: r.expiresAt.toISOString(),
});
