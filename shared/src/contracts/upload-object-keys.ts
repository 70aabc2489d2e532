// Where an upload's bytes live in the bucket, derived from (owner id, upload id) and nothing else.
// The api and the worker both call this; neither ever reads an object key from a table row.
// Why: a row is data that someone may have changed (a Data API client before the grants were
// narrowed, an operator, a restored dump). A key read from it could point at any object in the
// bucket — another user's file, a backup — and the process would sign, HEAD, copy or delete it.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UploadObjectKeys {
  /** Where the client PUTs through its signed URL. Never served: the client may rewrite it. */
  incoming: string;
  /**
   * The worker's private copy of the bytes it verified. No client is ever given an upload URL
   * for it, so what is downloaded is always what was hashed and sniffed.
   */
  verified: string;
}

/** Throws on anything but two UUIDs: no other input can shape a key (no `..`, no `/`). */
export function uploadObjectKeys(ownerId: string, uploadId: string): UploadObjectKeys {
  if (!UUID.test(ownerId) || !UUID.test(uploadId))
    throw new TypeError('upload object keys are derived from two UUIDs (owner id, upload id)');
  const owner = ownerId.toLowerCase();
  const id = uploadId.toLowerCase();
  return { incoming: `uploads/${owner}/${id}`, verified: `verified/${owner}/${id}` };
}
