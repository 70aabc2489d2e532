import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { checkPublicEnv } from './src/lib/config/public-env-check.ts';
import { securityHeaders } from './src/lib/security/security-headers.ts';

// The monorepo root: Turbopack resolves and the standalone output traces from here, so the
// shared workspace and the hoisted node_modules are inside (web/Dockerfile runs web/server.js).
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
};

// NEXT_PUBLIC_* are inlined into the browser bundle: a Supabase secret key among them stops
// `next build` (and `next dev`) here, before anything is compiled; legacy names only warn.
const publicEnvCheck = checkPublicEnv(process.env);
for (const w of publicEnvCheck.warnings) console.warn(`⚠ ${w}`);
if (publicEnvCheck.errors.length > 0)
  throw new Error(`Refusing to build the web:\n- ${publicEnvCheck.errors.join('\n- ')}`);

// The static headers; the Content-Security-Policy (per-response nonce) is set by src/proxy.ts.
const headers = securityHeaders({ production: process.env.NODE_ENV === 'production' });

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
