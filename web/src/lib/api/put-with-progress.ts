export interface PutWithProgressInput {
  url: string;
  method: 'PUT';
  /** Exactly the headers the signed URL was issued for (the signature binds them). */
  headers: Record<string, string>;
  body: Blob;
  /** Fraction sent, 0..1. */
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}

export class UploadTransferError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'UploadTransferError';
    this.status = status;
  }
}

/**
 * Sends the file straight to the object store's signed URL. XMLHttpRequest rather than fetch:
 * only XHR reports upload progress (`xhr.upload.onprogress`) in browsers today.
 */
export function putWithProgress(input: PutWithProgressInput): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(input.method, input.url);
    for (const [k, v] of Object.entries(input.headers)) {
      // The browser sets Content-Length itself and refuses scripts that try.
      if (k.toLowerCase() !== 'content-length') xhr.setRequestHeader(k, v);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) input.onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        input.onProgress(1);
        resolve();
      } else {
        reject(
          new UploadTransferError(
            xhr.status === 403
              ? 'The storage refused the upload (the signed link may have expired). Try the upload again.'
              : `The storage refused the upload (HTTP ${xhr.status}). Try again in a moment.`,
            xhr.status,
          ),
        );
      }
    };
    xhr.onerror = () =>
      reject(
        new UploadTransferError('The upload was interrupted: check your connection and try again.'),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (input.signal) {
      if (input.signal.aborted) {
        xhr.abort();
        return;
      }
      input.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    input.onProgress(0);
    xhr.send(input.body);
  });
}
