import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** SHA-256 of a file, streamed (backups can be large). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const checksumPath = (file: string): string => `${file}.sha256`;

/** Writes `<file>.sha256` in sha256sum's format, so `sha256sum -c` verifies it too. */
export async function writeChecksumFile(file: string, sha256: string): Promise<string> {
  const path = checksumPath(file);
  await writeFile(path, `${sha256}  ${basename(file)}\n`);
  return path;
}

export type ChecksumVerdict = { ok: true; sha256: string } | { ok: false; reason: string };

/** Compares a file with its `.sha256` companion. A missing or unreadable checksum is a failure. */
export async function verifyChecksumFile(file: string): Promise<ChecksumVerdict> {
  const path = checksumPath(file);
  if (!existsSync(path)) {
    return { ok: false, reason: `no checksum file ${basename(path)} next to the backup` };
  }
  const expected = (await readFile(path, 'utf8')).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    return { ok: false, reason: `${basename(path)} does not hold a SHA-256 hex digest` };
  }
  const actual = await sha256File(file);
  if (actual !== expected) {
    return {
      ok: false,
      reason: `checksum mismatch: the file hashes to ${actual.slice(0, 12)}…, ${basename(path)} says ${expected.slice(0, 12)}… (corrupt or tampered)`,
    };
  }
  return { ok: true, sha256: actual };
}
