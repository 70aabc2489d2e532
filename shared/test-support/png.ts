// Real image bytes for tests and benchmarks: uploads are checked by their magic bytes, so a
// fixture has to be a genuine PNG (signature, IHDR, IDAT, IEND with valid CRCs), and a
// mismatch case needs another real format (PDF).
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const chunk = (type: string, data: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

const ihdr = (width: number, height: number): Buffer => {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = 8; // bit depth
  data[9] = 2; // colour type: RGB
  return chunk('IHDR', data);
};

/**
 * A valid RGB PNG. `noise` fills it with random pixels (incompressible: the file is about
 * width × height × 3 bytes, for slow-transfer and progress tests); otherwise a flat colour (tiny).
 */
export function makePng(width: number, height: number, opts: { noise?: boolean } = {}): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const pixels = opts.noise ? randomBytes(width * 3) : Buffer.alloc(width * 3, 0x7f);
    rows.push(Buffer.concat([Buffer.from([0]), pixels]));
  }
  return Buffer.concat([
    SIGNATURE,
    ihdr(width, height),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: opts.noise ? 0 : 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal PDF: real %PDF magic bytes, for "declared one type, is another" cases. */
export const makePdf = (): Buffer =>
  Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

/**
 * A stream of exactly `size` bytes that sniffs as a PNG (signature, IHDR, the start of an
 * IDAT chunk) followed by random filler, generated 1 MiB at a time: the object is never held
 * in memory.
 */
export function pngLikeStream(size: number): Readable {
  const head = Buffer.concat([
    SIGNATURE,
    ihdr(16384, 16384),
    Buffer.from([0x7f, 0xff, 0xff, 0xff]),
    Buffer.from('IDAT'),
  ]);
  const filler = randomBytes(1024 * 1024);
  async function* generate(): AsyncGenerator<Buffer> {
    let sent = 0;
    const first = head.subarray(0, Math.min(head.length, size));
    yield Buffer.from(first);
    sent += first.length;
    while (sent < size) {
      const n = Math.min(filler.length, size - sent);
      yield Buffer.from(filler.subarray(0, n));
      sent += n;
    }
  }
  return Readable.from(generate(), { objectMode: false });
}
