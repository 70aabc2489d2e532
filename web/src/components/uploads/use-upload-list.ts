'use client';

import type { Upload } from '@saas/shared/contracts';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../lib/api/api-client.ts';
import { createUploadListPoller, type UploadListState } from './upload-list-poller.ts';

export type { UploadListState } from './upload-list-poller.ts';

/** The polled upload list as React state, plus the latest status-change sentence. */
export function useUploadList(
  api: ApiClient,
  opts: {
    transfersActive: boolean;
    /** Each list loaded; must be a stable function (it is captured once). */
    onItems: (items: readonly Upload[]) => void;
  },
) {
  const [state, setState] = useState<UploadListState>({ kind: 'loading' });
  const [announcement, setAnnouncement] = useState('');
  const [poller] = useState(() =>
    createUploadListPoller(api, {
      state(s) {
        setState(s);
        if (s.kind === 'ready') opts.onItems(s.items);
      },
      changes: (s) => setAnnouncement(s.join(' ')),
    }),
  );

  useEffect(() => {
    poller.start();
    return () => poller.stop();
  }, [poller]);

  useEffect(() => {
    poller.setActive(opts.transfersActive);
  }, [poller, opts.transfersActive]);

  return { state, announcement, setAnnouncement, refresh: poller.refresh, remove: poller.remove };
}
