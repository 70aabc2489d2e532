import type { ApiClient } from '../api/api-client.ts';
import type { AuthBackend } from './auth-backend.ts';
import { devSessionStore } from './dev-session-store.ts';
import type { Session } from './session.ts';

/**
 * Without Supabase: POST /v1/dev/login (any email, no password; the API serves it only outside
 * production) and a session in localStorage. The storage event keeps other tabs in step.
 */
export function createDevAuthBackend(api: Pick<ApiClient, 'devLogin'>): AuthBackend {
  return {
    mode: 'dev',
    restore: () => Promise.resolve(devSessionStore.read()),
    subscribe(onChange) {
      const onStorage = (e: StorageEvent): void => {
        if (e.storageArea === window.localStorage) onChange(devSessionStore.read());
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
    getToken: () => Promise.resolve(devSessionStore.read()?.accessToken),
    signOut() {
      devSessionStore.clear();
      return Promise.resolve();
    },
    async signInDev(email) {
      const res = await api.devLogin({ email });
      const session: Session = {
        accessToken: res.accessToken,
        expiresAt: res.expiresAt,
        email,
        provider: 'dev',
      };
      devSessionStore.write(session);
      return session;
    },
  };
}
