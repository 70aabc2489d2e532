// `npm run uploads:backfill-verified [-- --dry-run]`: once, after upgrading to downloads from the
// worker's verified copy (issue 14). Gives every `ready` upload of before a verified copy when its
// bytes still hash to the recorded sha256, and marks the others `failed` (scripts/uploads/
// backfill-verified.ts). Reads DATABASE_URL and the storage variables of the api (STORAGE_*,
// S3_* / SUPABASE_*). Exit 0 done, 1 failed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@saas/shared/config';
import { createDb } from '@saas/shared/db';
import { createStorageFromEnv, storageEnv } from '@saas/shared/storage';
import { readDatabaseUrl } from './backup/database-url.ts';
import { backfillVerified } from './uploads/backfill-verified.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg: string): void => console.log(`[uploads:backfill-verified] ${msg}`);

async function main(): Promise<number> {
  const dryRun = process.argv.includes('--dry-run');
  const url = readDatabaseUrl(root);
  if (!url) throw new Error('DATABASE_URL is not set: export it, or copy .env.example to .env');
  const env = defineConfig({ shape: storageEnv }).load({ envFile: false, exampleFile: false });
  const storage = createStorageFromEnv({ ...env, S3_PUBLIC_ENDPOINT: undefined });
  const sql = createDb({ url, max: 2 });
  try {
    const r = await backfillVerified({ sql, storage, dryRun, log });
    log(
      `${dryRun ? 'dry run: ' : ''}checked ${r.checked} ready uploads: ${r.alreadyVerified} already verified, ` +
        `${r.copied} copied, ${r.mismatched.length} changed since verification, ${r.missing.length} missing`,
    );
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
    await storage.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(
    `[uploads:backfill-verified] failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exitCode = 1;
}
