// Next 16's proxy (formerly middleware): every page response gets a Content-Security-Policy
// with a fresh nonce. Next reads the nonce from the request's Content-Security-Policy header
// and puts it on its own scripts (framework, page chunks, the inline RSC payload), so only
// they run; an injected inline script or event handler has no nonce and is blocked. A nonce
// per response means per-request rendering: the root layout opts every page out of static
// prerendering (app/layout.tsx). The other security headers are static (next.config.ts).
import { NextResponse, type NextRequest } from 'next/server';
import { cspOptions } from './lib/security/csp-options.ts';
import { contentSecurityPolicy, newNonce } from './lib/security/security-headers.ts';

export function proxy(request: NextRequest): NextResponse {
  const csp = contentSecurityPolicy({ ...cspOptions, nonce: newNonce() });
  // Replaces whatever the client sent under that name: the nonce must be ours.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Documents only: not the hashed static files, the icon, or the JSON of /status/report.
      source: '/((?!_next/static|_next/image|favicon.ico|icon.svg|status/report).*)',
      // Router prefetches are RSC payloads, not documents (Next's CSP guide).
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
