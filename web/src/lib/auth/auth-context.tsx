'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { ApiClient } from '../api/api-client.ts';
import { createLazyApiClient } from '../api/lazy-api-client.ts';
import { publicEnv } from '../config/public-env.ts';
import type { AuthBackend } from './auth-backend.ts';
import { createDevAuthBackend } from './dev-auth-backend.ts';
import { isExpired, type Session } from './session.ts';
import { createSupabaseAuthBackend } from './supabase-auth-backend.ts';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface AuthContextValue {
  status: AuthStatus;
  session: Session | null;
  mode: AuthBackend['mode'];
  /** Set when the API refused the token: the login page says why the user is back there. */
  expired: boolean;
  /** Why a sign-in link the user opened did not sign them in (expired, already used). */
  linkError: string | null;
  api: ApiClient;
  signInDev(email: string): Promise<void>;
  signInWithPassword(email: string, password: string): Promise<void>;
  sendMagicLink(email: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

interface Services {
  api: ApiClient;
  backend: AuthBackend;
  /** What a 401 from the API does (the provider sets it once it has its state). */
  setUnauthorizedHandler(fn: () => void): void;
}

function createServices(): Services {
  let onUnauthorized = (): void => {};
  const api = createLazyApiClient({
    baseUrl: publicEnv.apiUrl,
    healthUrl: '/status/report',
    // Called only after createServices returned, when `backend` is set.
    getToken: () => backend.getToken(),
    onUnauthorized: () => onUnauthorized(),
  });
  const { supabaseUrl, supabasePublishableKey } = publicEnv;
  const backend: AuthBackend =
    supabaseUrl && supabasePublishableKey
      ? createSupabaseAuthBackend({ url: supabaseUrl, publishableKey: supabasePublishableKey })
      : createDevAuthBackend(api);
  return {
    api,
    backend,
    setUnauthorizedHandler(fn) {
      onUnauthorized = fn;
    },
  };
}

/** The session for the whole app, restored on load (so it survives a reload), and the API client. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [services] = useState(createServices);
  const { api, backend } = services;
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [expired, setExpired] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);

  const apply = useCallback((s: Session | null) => {
    setSession(s);
    setStatus(s ? 'signed-in' : 'signed-out');
    if (s) {
      setExpired(false);
      setLinkError(null);
    }
  }, []);

  useEffect(() => {
    let live = true;
    backend
      .restore()
      .then((s) => {
        if (!live) return;
        apply(s);
        setLinkError(backend.takeLinkError?.() ?? null);
      })
      .catch(() => live && apply(null));
    const unsubscribe = backend.subscribe((s) => live && apply(s));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [backend, apply]);

  const signOut = useCallback(async () => {
    await backend.signOut();
    apply(null);
  }, [backend, apply]);

  const endSession = useCallback(() => {
    setExpired(true);
    void signOut();
  }, [signOut]);

  useEffect(() => {
    services.setUnauthorizedHandler(endSession);
  }, [services, endSession]);

  // A dev token is not refreshed: end the session when it expires rather than on the next 401.
  useEffect(() => {
    if (!session || session.provider !== 'dev') return;
    const ms = isExpired(session) ? 0 : Date.parse(session.expiresAt) - Date.now() - 5000;
    const t = setTimeout(endSession, Math.min(Math.max(0, ms), 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [session, endSession]);

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      session,
      mode: backend.mode,
      expired,
      linkError,
      api,
      async signInDev(email) {
        if (!backend.signInDev)
          throw new Error('The development sign-in is off because Supabase Auth is configured.');
        apply(await backend.signInDev(email));
      },
      async signInWithPassword(email, password) {
        if (!backend.signInWithPassword)
          throw new Error('Password sign-in needs Supabase Auth (NEXT_PUBLIC_SUPABASE_URL).');
        apply(await backend.signInWithPassword(email, password));
      },
      async sendMagicLink(email) {
        if (!backend.sendMagicLink)
          throw new Error('Magic links need Supabase Auth (NEXT_PUBLIC_SUPABASE_URL).');
        await backend.sendMagicLink(email, `${window.location.origin}/`);
        setLinkError(null);
      },
      signOut,
    }),
    [status, session, backend, expired, linkError, api, apply, signOut],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth() outside <AuthProvider>');
  return v;
}
