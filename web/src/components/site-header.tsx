'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useAuth } from '../lib/auth/auth-context.tsx';

const LINKS = [
  { href: '/', label: 'Uploads' },
  { href: '/status', label: 'Status' },
] as const;

export function SiteHeader() {
  const pathname = usePathname();
  const router = useRouter();
  const { status, session, signOut } = useAuth();

  return (
    <header className="site-header">
      <Link className="brand" href="/" prefetch={false}>
        SaaS starter
      </Link>
      <nav aria-label="Main">
        <ul>
          {LINKS.map((l) => (
            <li key={l.href}>
              {/* No prefetch: three small static pages; the first seconds of each stay free of extra work. */}
              <Link
                href={l.href}
                prefetch={false}
                aria-current={pathname === l.href ? 'page' : undefined}
              >
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="account">
        {status === 'signed-in' && session ? (
          <>
            <span>
              Signed in{session.email ? ' as ' : ''}
              {session.email ? <strong>{session.email}</strong> : null}
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                void signOut().then(() => router.push('/login'));
              }}
            >
              Sign out
            </button>
          </>
        ) : status === 'signed-out' && pathname !== '/login' ? (
          <Link href="/login" prefetch={false}>
            Sign in
          </Link>
        ) : null}
      </div>
    </header>
  );
}
