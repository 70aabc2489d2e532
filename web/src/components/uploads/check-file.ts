// First: zod must be configured before the contracts build their schemas.
import '../../lib/api/zod-jitless.ts';
import {
  createUploadRequestFor,
  type CreateUploadRequest,
  type UploadLimits,
} from '@saas/shared/contracts';
import { describeFieldErrors } from '../../lib/api/problem-message.ts';
import { formatBytes, formatTypes } from './format.ts';

export type FileCheck = { ok: true; request: CreateUploadRequest } | { ok: false; message: string };

/**
 * The API's own rules, applied before asking it: the request schema with the limits the API
 * serves (GET /v1/uploads/limits), so nothing is duplicated here. The API checks again.
 */
export function checkFile(
  file: { name: string; type: string; size: number },
  limits: UploadLimits,
): FileCheck {
  const contentType = file.type || 'application/octet-stream';
  const r = createUploadRequestFor(limits).safeParse({
    filename: file.name,
    contentType,
    size: file.size,
  });
  if (r.success) return { ok: true, request: r.data };
  const paths = new Set(r.error.issues.map((i) => i.path.join('.')));
  const messages: string[] = [];
  if (paths.has('contentType')) {
    messages.push(
      `${file.type ? `It is a ${file.type} file` : 'Its type is unknown'}; accepted types are ${formatTypes(limits.allowedTypes)}.`,
    );
  }
  if (paths.has('size')) {
    messages.push(
      file.size === 0
        ? 'The file is empty.'
        : `It is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)}.`,
    );
  }
  const rest = r.error.issues.filter((i) => {
    const p = i.path.join('.');
    return p !== 'contentType' && p !== 'size';
  });
  if (rest.length > 0) {
    messages.push(
      describeFieldErrors(
        rest.map((i) => ({ location: 'body', path: i.path.join('.'), message: i.message })),
      ),
    );
  }
  return { ok: false, message: `Not uploaded. ${messages.join(' ')}` };
}
