/** A file on its way from this browser to the object store (before the API lists it). */
export interface Transfer {
  key: string;
  filename: string;
  size: number;
  phase: 'requesting' | 'uploading' | 'finishing' | 'done' | 'error';
  /** 0..1 of the bytes sent. */
  progress: number;
  /** Set once the API created the upload. */
  uploadId?: string;
  /** A sentence saying what went wrong and what to do. */
  error?: string;
}
