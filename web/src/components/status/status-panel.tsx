'use client';

import { useAuth } from '../../lib/auth/auth-context.tsx';
import { StatusView, type HealthViewState } from './status-view.tsx';
import { useHealth } from './use-health.ts';

const INTERVAL_S = 10;

/** The server-rendered report, then refreshed from the browser every INTERVAL_S seconds. */
export function StatusPanel({ initial }: { initial: HealthViewState }) {
  const { api } = useAuth();
  const { state, refreshing, refresh } = useHealth(api, INTERVAL_S * 1000, initial);
  return (
    <StatusView state={state} refreshing={refreshing} intervalS={INTERVAL_S} onRefresh={refresh} />
  );
}
