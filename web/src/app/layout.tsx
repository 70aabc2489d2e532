import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteHeader } from '../components/site-header.tsx';
import { AuthProvider } from '../lib/auth/auth-context.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'SaaS starter', template: '%s · SaaS starter' },
  description: 'Upload files, watch them being checked, and see the health of the system.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#f6f7f9' };

// Every page is rendered per request: its scripts carry the nonce of that response's CSP
// (src/proxy.ts), and a page prerendered at build time would have scripts without one, all
// blocked. Measured cost: docs/benchmarks.md (Web (Lighthouse), time to first byte).
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <AuthProvider>
          <SiteHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </AuthProvider>
      </body>
    </html>
  );
}
