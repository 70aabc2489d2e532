import type { ObjectStorage } from './object-storage.ts';

/** The health registry's check for the object store: the bucket answers within the signal's time. */
export const storageCheck =
  (storage: ObjectStorage) =>
  (signal: AbortSignal): Promise<void> =>
    storage.check(signal);
