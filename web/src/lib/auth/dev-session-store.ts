import type { Session } from './session.ts';
import { isExpired } from './session.ts';

const KEY = 'saas.dev-session';

/**
 * The dev login's session, in localStorage so it survives a reload (Supabase's client keeps its
 * own the same way). A token in localStorage is readable by any script on the origin: the CSP
 * (no third-party scripts) is what keeps that set small.
 */
export const devSessionStore = {
  read(storage: Storage = window.localStorage): Session | null {
    try {
      const raw = storage.getItem(KEY);
      if (!raw) return null;
      const v: unknown = JSON.parse(raw);
      if (!isSession(v) || isExpired(v)) {
        storage.removeItem(KEY);
        return null;
      }
      return v;
    } catch {
      return null;
    }
  },
  write(session: Session, storage: Storage = window.localStorage): void {
    storage.setItem(KEY, JSON.stringify(session));
  },
  clear(storage: Storage = window.localStorage): void {
    storage.removeItem(KEY);
  },
};

function isSession(v: unknown): v is Session {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.accessToken === 'string' &&
    typeof o.expiresAt === 'string' &&
    (o.email === null || typeof o.email === 'string') &&
    o.provider === 'dev'
  );
}
