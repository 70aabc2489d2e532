// The policy's inputs for src/proxy.ts. NEXT_PUBLIC_* are inlined into the proxy's bundle at
// build time only when named literally (as in lib/config/public-env.ts), so the proxy sends the
// origins the browser bundle was built with, whatever the server's runtime env says.
import { publicEnv } from '../config/public-env.ts';
import { storageOriginsFrom, type SecurityHeaderOptions } from './security-headers.ts';

export const cspOptions: SecurityHeaderOptions = {
  production: process.env.NODE_ENV === 'production',
  apiUrl: publicEnv.apiUrl,
  storageOrigins: storageOriginsFrom({
    storageOrigins: process.env.NEXT_PUBLIC_STORAGE_ORIGINS,
    supabaseUrl: publicEnv.supabaseUrl,
  }),
  supabaseUrl: publicEnv.supabaseUrl,
  sentryDsn: publicEnv.sentryDsn,
};
