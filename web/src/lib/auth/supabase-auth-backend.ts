import type { Session as SupabaseSession, SupabaseClient } from '@supabase/supabase-js';
import type { AuthBackend } from './auth-backend.ts';
import type { Session } from './session.ts';

const toSession = (s: SupabaseSession | null): Session | null =>
  s
    ? {
        accessToken: s.access_token,
        expiresAt: new Date(
          (s.expires_at ?? Math.floor(Date.now() / 1000) + s.expires_in) * 1000,
        ).toISOString(),
        email: s.user.email ?? null,
        provider: 'supabase',
      }
    : null;

// Supabase Auth's messages are terse ("Invalid login credentials"): say what to do.
const authSentence = (message: string): string => {
  if (/invalid login credentials/i.test(message))
    return 'The email or password is not right. Check both and try again.';
  if (/email not confirmed/i.test(message))
    return 'Confirm your email address first: open the link we sent you.';
  if (/rate limit|too many/i.test(message))
    return 'Too many attempts. Wait a minute and try again.';
  const t = message.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/**
 * Supabase Auth through supabase-js, loaded only when NEXT_PUBLIC_SUPABASE_URL is set (the dev
 * build never downloads it). supabase-js keeps the session in localStorage, refreshes the token
 * before it expires and picks up the magic link's tokens when the user comes back.
 */
export function createSupabaseAuthBackend(opts: { url: string; anonKey: string }): AuthBackend {
  let client: Promise<SupabaseClient> | undefined;
  const getClient = (): Promise<SupabaseClient> =>
    (client ??= import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(opts.url, opts.anonKey, {
        auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true },
      }),
    ));

  return {
    mode: 'supabase',
    async restore() {
      const { data } = await (await getClient()).auth.getSession();
      return toSession(data.session);
    },
    subscribe(onChange) {
      let unsubscribe: (() => void) | undefined;
      let closed = false;
      void getClient().then((c) => {
        if (closed) return;
        const { data } = c.auth.onAuthStateChange((_event, s) => onChange(toSession(s)));
        unsubscribe = () => data.subscription.unsubscribe();
      });
      return () => {
        closed = true;
        unsubscribe?.();
      };
    },
    async getToken() {
      const { data } = await (await getClient()).auth.getSession();
      return data.session?.access_token;
    },
    async signOut() {
      await (await getClient()).auth.signOut();
    },
    async signInWithPassword(email, password) {
      const { data, error } = await (
        await getClient()
      ).auth.signInWithPassword({ email, password });
      if (error) throw new Error(authSentence(error.message));
      const s = toSession(data.session);
      if (!s) throw new Error('Sign-in did not return a session. Try again.');
      return s;
    },
    async sendMagicLink(email, redirectTo) {
      const { error } = await (
        await getClient()
      ).auth.signInWithOtp({ email, options: { emailRedirectTo: redirectTo } });
      if (error) throw new Error(authSentence(error.message));
    },
  };
}
