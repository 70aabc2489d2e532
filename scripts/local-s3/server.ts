// Local S3-compatible server for development and tests (s3rver, from npm): no Docker needed.
// Creates the uploads bucket and its CORS rule on start so the browser can PUT to signed URLs,
// and the backups bucket (db:backup --upload; no CORS: browsers never reach it).
// Why s3rver and not MinIO: MinIO ships no npm or Debian package here; see
// docs/decisions/0005-local-s3-server.md (and its limits: it does not verify signatures).
import S3rver from 's3rver';

const host = process.env.S3_HOST ?? '127.0.0.1';
const port = Number(process.env.S3_PORT ?? 9000);
const directory = process.env.S3_DATA_DIR ?? '.local/s3';
const bucket = process.env.S3_BUCKET ?? 'uploads';
// Backups live apart from the users' uploads (BACKUP_BUCKET, scripts/backup/backup-env.ts).
const backupBucket = process.env.S3_BACKUP_BUCKET ?? 'backups';
const origins = (process.env.S3_CORS_ORIGINS ?? 'http://localhost:3000,http://127.0.0.1:3000')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

const corsXml = `<CORSConfiguration>
  <CORSRule>
${origins.map((o) => `    <AllowedOrigin>${escapeXml(o)}</AllowedOrigin>`).join('\n')}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  address: host,
  port,
  directory,
  silent: process.env.S3_SILENT !== 'false',
  // Path-style only: bucket names in the URL path, like the adapters use (forcePathStyle).
  vhostBuckets: false,
  configureBuckets: [
    { name: bucket, configs: [corsXml] },
    { name: backupBucket, configs: [] },
  ],
});

const address = await server.run();
console.log(JSON.stringify({ msg: 'local s3 listening', address, bucket, backupBucket, origins }));

const stop = (): void => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
