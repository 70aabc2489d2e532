'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useAuth } from '../lib/auth/auth-context.tsx';

/** Renders its children for a signed-in user; otherwise sends the browser to /login. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const router = useRouter();

  useEffect(() => {
    if (status === 'signed-out') router.replace('/login');
  }, [status, router]);

  if (status === 'loading') {
    return (
      <p role="status" className="muted">
        Checking your session…
      </p>
    );
  }
  if (status === 'signed-out') {
    return (
      <p>
        You need to sign in to see your uploads. <Link href="/login">Go to the sign-in page</Link>.
      </p>
    );
  }
  return <>{children}</>;
}
