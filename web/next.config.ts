import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { securityHeaders, storageOriginsFrom } from './src/lib/security/security-headers.ts';

// The monorepo root: Turbopack resolves and the standalone output traces from here, so the
// shared workspace and the hoisted node_modules are inside (web/Dockerfile runs web/server.js).
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
};

const headers = securityHeaders({
  production: process.env.NODE_ENV === 'production',
  apiUrl: env('NEXT_PUBLIC_API_URL') ?? 'http://127.0.0.1:4000',
  storageOrigins: storageOriginsFrom({
    storageOrigins: env('NEXT_PUBLIC_STORAGE_ORIGINS'),
    supabaseUrl: env('NEXT_PUBLIC_SUPABASE_URL'),
  }),
  supabaseUrl: env('NEXT_PUBLIC_SUPABASE_URL'),
  sentryDsn: env('NEXT_PUBLIC_SENTRY_DSN'),
});

// The browser checks build a second, Supabase-mode web beside the dev-mode one
// (web/scripts/local-stack.ts): each in its own directory, so neither clobbers the other.
const distDir = env('WEB_BUILD_DIST_DIR') ?? '.next';
if (!/^\.next[\w-]*$/.test(distDir))
  throw new Error(`WEB_BUILD_DIST_DIR must be .next or .next-<name> inside web/, not ${distDir}`);

const nextConfig: NextConfig = {
  output: 'standalone',
  distDir,
  poweredByHeader: false,
  reactStrictMode: true,
  // The contracts are TypeScript sources (tsconfig paths point at them); Next compiles them.
  transpilePackages: ['@saas/shared'],
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // The browser checks (e2e, Lighthouse) rebuild often and `npm test` type-checks the web in
  // its own step, so they skip the build's second pass; a normal build always type-checks.
  typescript: { ignoreBuildErrors: process.env.WEB_BUILD_SKIP_TYPECHECK === '1' },
  async headers() {
    return [{ source: '/:path*', headers }];
  },
};

export default nextConfig;
