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

// A magic link that failed comes back as #error=…&error_code=…&error_description=…; supabase-js
// reports it as initialize()'s AuthImplicitGrantRedirectError (checked by name, as supabase-js's
// own isAuthImplicitGrantRedirectError does: the module is imported lazily).
const linkSentence = (error: { name: string; message: string; details?: unknown }): string => {
  const details = error.details as { code?: string } | null | undefined;
  if (details?.code === 'otp_expired')
    return 'That sign-in link has expired or was already used. Ask for a new one below.';
  return authSentence(error.message);
};

/**
 * Supabase Auth through supabase-js, loaded only when NEXT_PUBLIC_SUPABASE_URL is set (the dev
 * build never downloads it). supabase-js keeps the session in localStorage, refreshes the token
 * before it expires and picks up the magic link's tokens when the user comes back.
 */
export function createSupabaseAuthBackend(opts: {
  url: string;
  /** sb_publishable_… (or a legacy anon JWT): sent as `apikey`. */
  publishableKey: string;
}): AuthBackend {
  let client: Promise<SupabaseClient> | undefined;
  let linkError: string | undefined;
  const getClient = (): Promise<SupabaseClient> =>
    (client ??= import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(opts.url, opts.publishableKey, {
        auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true },
      }),
    ));

  return {
    mode: 'supabase',
    async restore() {
      const { auth } = await getClient();
      // The client read the URL when it was created (detectSessionInUrl): a magic link's return
      // carries the session, or why there is none. initialize() gives that run's outcome.
      const { error } = await auth.initialize();
      if (error?.name === 'AuthImplicitGrantRedirectError') {
        linkError = linkSentence(error);
        // supabase-js leaves the error in the URL: drop it, or a reload would show it again.
        const { pathname, search } = window.location;
        window.history.replaceState(window.history.state, '', pathname + search);
      }
      const { data } = await auth.getSession();
      return toSession(data.session);
    },
    takeLinkError() {
      const e = linkError;
      linkError = undefined;
      return e;
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
