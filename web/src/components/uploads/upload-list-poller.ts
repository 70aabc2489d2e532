import type { ListUploadsResponse, Upload } from '@saas/shared/contracts';
import type { ApiClient } from '../../lib/api/api-client.ts';
import { errorSentence } from '../../lib/api/api-error.ts';
import { createPoller } from '../../lib/polling/create-poller.ts';
import { nextPollDelay } from './poll-delay.ts';

export type UploadListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  /**
   * `refreshError`: the list shown is the last one loaded; the latest refresh failed.
   * `more`: the user has older uploads than the PAGE_SIZE shown.
   */
  | { kind: 'ready'; items: Upload[]; refreshError?: string; more: boolean };

export interface UploadListPoller {
  start(): void;
  stop(): void;
  refresh(): void;
  /** Files are in flight from this browser: poll fast. */
  setActive(active: boolean): void;
  /** Drops an item at once (after a delete) instead of waiting for the next poll. */
  remove(id: string): void;
}

const PAGE_SIZE = 50;
// A pending upload older than this was abandoned (the cleanup job removes it later): it must
// not keep the page polling fast.
const PENDING_ACTIVE_MS = 120_000;

const signature = (items: readonly Upload[]): string =>
  items.map((u) => `${u.id}:${u.status}:${u.updatedAt}`).join('|');

const isMoving = (u: Upload, now: number): boolean =>
  u.status === 'uploaded' ||
  (u.status === 'pending' && now - Date.parse(u.createdAt) < PENDING_ACTIVE_MS);

const nameOf = (u: Upload): string => u.filename ?? 'Untitled file';

/**
 * The user's uploads, kept current by polling (see nextPollDelay), so statuses change on the
 * page without a reload. `onChanges` gets one sentence per status change, for a live region.
 */
export function createUploadListPoller(
  api: ApiClient,
  on: { state(s: UploadListState): void; changes(sentences: string[]): void },
): UploadListPoller {
  let state: UploadListState = { kind: 'loading' };
  let active = false;
  let failures = 0;
  let quiet = 0;
  let lastSignature = '';
  const statuses = new Map<string, Upload['status']>();

  const emit = (s: UploadListState): void => {
    state = s;
    on.state(s);
  };
  const items = (): Upload[] => (state.kind === 'ready' ? state.items : []);

  const poller = createPoller<ListUploadsResponse>({
    load: (signal) => api.listUploads({ limit: PAGE_SIZE }, { signal }),
    onResult(r) {
      if (!r.ok) {
        failures += 1;
        const message = errorSentence(r.error);
        emit(
          state.kind === 'ready' ? { ...state, refreshError: message } : { kind: 'error', message },
        );
        return;
      }
      failures = 0;
      const listed = r.value.items;
      const sig = signature(listed);
      quiet = sig === lastSignature ? quiet + 1 : 0;
      lastSignature = sig;
      const changes: string[] = [];
      for (const u of listed) {
        const before = statuses.get(u.id);
        if (before !== undefined && before !== u.status)
          changes.push(`${nameOf(u)} is ${u.status}.`);
        statuses.set(u.id, u.status);
      }
      emit({ kind: 'ready', items: listed, more: r.value.nextCursor !== null });
      if (changes.length > 0) on.changes(changes);
    },
    nextDelay() {
      const now = Date.now();
      return nextPollDelay({
        active: active || items().some((u) => isMoving(u, now)),
        failures,
        quietPolls: quiet,
        hidden: document.visibilityState === 'hidden',
      });
    },
  });

  return {
    start: poller.start,
    stop: poller.stop,
    refresh() {
      quiet = 0;
      poller.refresh();
    },
    setActive(a) {
      if (a && !active) quiet = 0;
      active = a;
    },
    remove(id) {
      statuses.delete(id);
      if (state.kind === 'ready') emit({ ...state, items: state.items.filter((u) => u.id !== id) });
    },
  };
}
