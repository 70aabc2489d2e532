'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { errorSentence } from '../../lib/api/api-error.ts';
import { useAuth } from '../../lib/auth/auth-context.tsx';

const messageOf = (err: unknown): string =>
  err instanceof Error && err.name !== 'ApiError' ? err.message : errorSentence(err);

/** /login: Supabase Auth (password or magic link) when configured, else the API's dev login. */
export function LoginPanel() {
  const { status, session, mode, expired, linkError, signOut } = useAuth();

  if (status === 'signed-in' && session) {
    return (
      <div className="card">
        <p>You are signed in{session.email ? ` as ${session.email}` : ''}.</p>
        <div className="actions">
          <Link className="button" href="/">
            Go to your uploads
          </Link>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </div>
    );
  }

  return (
    <>
      {expired ? (
        <p className="notice" role="status">
          Your session ended. Sign in again to continue.
        </p>
      ) : null}
      {linkError ? (
        <p className="error" role="alert">
          {linkError}
        </p>
      ) : null}
      {mode === 'supabase' ? <SupabaseLogin /> : <DevLogin />}
    </>
  );
}

function DevLogin() {
  const { signInDev } = useAuth();
  const router = useRouter();
  const id = useId();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInDev(email);
      router.replace('/');
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Development sign-in</h2>
      <p className="notice">
        <strong>For local development only.</strong> Supabase Auth is not configured in this build
        (NEXT_PUBLIC_SUPABASE_URL is unset), so any email address signs in without a password
        through the API’s development login. The API refuses this login in production.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email address</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in (development)'}
        </button>
        {error ? (
          <p id={`${id}-error`} className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function SupabaseLogin() {
  const { signInWithPassword, sendMagicLink } = useAuth();
  const router = useRouter();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'password' | 'link' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const withPassword = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('password');
    setError(null);
    setSent(null);
    try {
      await signInWithPassword(email, password);
      router.replace('/');
    } catch (err) {
      setError(messageOf(err));
      setBusy(null);
    }
  };

  const withLink = async () => {
    if (!email) {
      setError('Enter your email address first, then ask for a sign-in link.');
      return;
    }
    setBusy('link');
    setError(null);
    try {
      await sendMagicLink(email);
      setSent(email);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sign in with your account</h2>
      <form onSubmit={(e) => void withPassword(e)}>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email address</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <p className="hint">No password? Leave it empty and use “Email me a sign-in link”.</p>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy !== null || password === ''}>
            {busy === 'password' ? 'Signing in…' : 'Sign in'}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy !== null}
            onClick={() => void withLink()}
          >
            {busy === 'link' ? 'Sending…' : 'Email me a sign-in link'}
          </button>
        </div>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {sent ? (
        <p className="success" role="status">
          Check your inbox: we sent a sign-in link to {sent}. Open it in this browser.
        </p>
      ) : null}
    </section>
  );
}
