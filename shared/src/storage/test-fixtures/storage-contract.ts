import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ObjectStorage } from '../object-storage.ts';
import { StorageError } from '../storage-error.ts';

// The behaviour every ObjectStorage adapter promises, run against each adapter's real (or
// wire-faithful) server. Uploads go through the signed URL with plain fetch, as a browser does.

export interface ContractTarget {
  storage: ObjectStorage;
  /** Unique per run, so parallel test files and reruns never share keys. */
  keyPrefix: string;
  close(): Promise<void>;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Creates an upload URL and PUTs the bytes to it with exactly the headers it asks for. */
export async function putThroughUploadUrl(
  storage: ObjectStorage,
  key: string,
  bytes: Buffer,
  contentType: string,
): Promise<void> {
  const upload = await storage.createUploadUrl(key, {
    contentType,
    size: bytes.length,
    expiresInS: 300,
  });
  const res = await fetch(upload.url, {
    method: upload.method,
    headers: upload.headers,
    body: bytes,
  });
  if (!res.ok) throw new Error(`upload PUT answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

export function describeStorageContract(title: string, open: () => Promise<ContractTarget>): void {
  describe(title, () => {
    let target: ContractTarget;
    // Several chunks on the wire, and not a round number.
    const bytes = randomBytes(256 * 1024 + 7);
    const contentType = 'application/pdf';
    const written = new Set<string>();
    const key = (name: string): string => {
      const k = `${target.keyPrefix}/${name}`;
      written.add(k);
      return k;
    };

    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      if (!target) return;
      for (const k of written) await target.storage.delete(k);
      await target.close();
    });

    test('a PUT to the upload URL with its headers stores the bytes; head() reports size and type', async () => {
      const k = key('put-then-head');
      const upload = await target.storage.createUploadUrl(k, {
        contentType,
        size: bytes.length,
        expiresInS: 300,
      });
      expect(upload.method).toBe('PUT');
      expect(upload.headers).toEqual({ 'Content-Type': contentType });
      expect(upload.expiresAt.getTime()).toBeGreaterThan(Date.now());

      const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
      await res.arrayBuffer();
      expect(res.status).toBe(200);

      const info = await target.storage.head(k);
      expect(info).toMatchObject({ size: bytes.length, contentType });
      expect(info?.etag).toMatch(/^[^"]+$/);
    });

    test('getStream() streams the stored bytes back unchanged', async () => {
      const k = key('stream');
      await putThroughUploadUrl(target.storage, k, bytes, contentType);

      const stream = await target.storage.getStream(k);
      expect(stream).toBeInstanceOf(Readable);
      expect(sha256(await readAll(stream))).toBe(sha256(bytes));
    });

    test('the download URL serves the bytes as an attachment under a safe filename', async () => {
      const k = key('download');
      await putThroughUploadUrl(target.storage, k, bytes, contentType);

      const download = await target.storage.createDownloadUrl(k, {
        expiresInS: 120,
        filename: '../../etc/Q1 report ä.pdf',
      });
      expect(download.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const res = await fetch(download.url);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(sha256(body)).toBe(sha256(bytes));
      const disposition = res.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment;/);
      expect(disposition).toContain("filename*=UTF-8''Q1%20report%20%C3%A4.pdf");
      expect(disposition).not.toContain('..');
    });

    test('without a filename the download URL serves the bytes inline', async () => {
      const k = key('inline');
      await putThroughUploadUrl(target.storage, k, bytes, contentType);

      const res = await fetch((await target.storage.createDownloadUrl(k, { expiresInS: 60 })).url);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(bytes));
      expect(res.headers.get('content-disposition') ?? '').not.toMatch(/attachment/);
    });

    test('a missing key: head() is null, getStream() rejects as not found', async () => {
      const k = key('never-written');
      await expect(target.storage.head(k)).resolves.toBeNull();
      const err = await target.storage.getStream(k).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).notFound).toBe(true);
    });

    test('delete() removes the object and is idempotent', async () => {
      const k = key('delete');
      await putThroughUploadUrl(target.storage, k, bytes, contentType);
      expect(await target.storage.head(k)).not.toBeNull();

      await target.storage.delete(k);
      await expect(target.storage.head(k)).resolves.toBeNull();
      await expect(target.storage.delete(k)).resolves.toBeUndefined();
      await expect(target.storage.delete(key('never-existed'))).resolves.toBeUndefined();
    });

    test('copy() duplicates the object server-side, overwrites the destination, and a later PUT to the source leaves the copy alone', async () => {
      const from = key('copy-source');
      const to = key('copy-destination');
      const upload = await target.storage.createUploadUrl(from, {
        contentType,
        size: bytes.length,
        expiresInS: 300,
      });
      const putBytes = (body: Buffer) =>
        fetch(upload.url, { method: 'PUT', headers: upload.headers, body }).then((r) =>
          r.arrayBuffer(),
        );
      await putBytes(bytes);
      const info = await target.storage.copy(from, to);
      expect(info).toMatchObject({ size: bytes.length });
      const readSha = async (k: string) => sha256(await readAll(await target.storage.getStream(k)));
      expect(await readSha(to)).toBe(sha256(bytes));

      // The client PUTs other bytes to the same signed URL (a store may accept or refuse it):
      // the copy keeps the bytes it was made from.
      await putBytes(randomBytes(bytes.length));
      expect(await readSha(to)).toBe(sha256(bytes));

      // Copying again replaces the destination (a worker re-run) with the source as it is now.
      await target.storage.copy(from, to);
      expect(await readSha(to)).toBe(await readSha(from));
    });

    test('copy() of a missing source rejects as not found', async () => {
      const err = await target.storage.copy(key('no-source'), key('no-destination')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).notFound).toBe(true);
      await expect(target.storage.head(key('no-destination'))).resolves.toBeNull();
    });

    test('check() passes while the bucket is reachable', async () => {
      await expect(target.storage.check(AbortSignal.timeout(10_000))).resolves.toBeUndefined();
    });

    test('a malformed key is refused before any request', async () => {
      for (const bad of ['', '/abs', 'a/../b', 'a//b', 'trailing/', 'ctl\u0000x']) {
        await expect(target.storage.head(bad)).rejects.toThrow(/invalid object key/);
      }
    });
  });
}
