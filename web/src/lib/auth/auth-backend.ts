import type { Session } from './session.ts';

/** One way of signing in: the dev login (no Supabase) or Supabase Auth. */
export interface AuthBackend {
  mode: 'dev' | 'supabase';
  /** The session kept from an earlier visit (or a magic-link redirect), if any. */
  restore(): Promise<Session | null>;
  /**
   * After restore(): why the sign-in link the browser came back from did not sign the user in
   * (expired, already used), as a sentence; once, then undefined.
   */
  takeLinkError?(): string | undefined;
  /** Session changes made elsewhere: another tab, a token refresh, an expiry. */
  subscribe(onChange: (session: Session | null) => void): () => void;
  /** A token valid now (refreshed when the backend can), or undefined when signed out. */
  getToken(): Promise<string | undefined>;
  signOut(): Promise<void>;
  signInDev?(email: string): Promise<Session>;
  signInWithPassword?(email: string, password: string): Promise<Session>;
  /** Emails a one-time sign-in link that returns to `redirectTo`. */
  sendMagicLink?(email: string, redirectTo: string): Promise<void>;
}
