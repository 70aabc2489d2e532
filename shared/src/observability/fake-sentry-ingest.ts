import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

// A fake Sentry ingest server for tests: accepts the SDK's real envelopes over HTTP on
// loopback, decodes them and keeps them for assertions. Not used in production code.

export interface EnvelopeItem {
  header: Record<string, unknown>;
  /** The item's JSON payload (an event, a session…), or its text when it is not JSON. */
  payload: unknown;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The whole envelope as the SDK sent it, decompressed: search it for leaks. */
  raw: string;
  /** The request's Content-Encoding (the SDK gzips envelopes over 32 KB). */
  contentEncoding?: string;
}

export interface FakeSentryIngest {
  /** A DSN pointing at this server (project 1). */
  readonly dsn: string;
  readonly envelopes: Envelope[];
  /** The payloads of every `event` item received so far. */
  events(): Record<string, unknown>[];
  /** Resolves once `count` events have arrived. */
  waitForEvents(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Parses Sentry's envelope format: header line, then (item header line, payload) pairs. */
export function parseEnvelope(body: Buffer): Envelope {
  let pos = 0;
  const readLine = (): Buffer => {
    const nl = body.indexOf(0x0a, pos);
    const end = nl < 0 ? body.length : nl;
    const line = body.subarray(pos, end);
    pos = nl < 0 ? body.length : nl + 1;
    return line;
  };
  const header = JSON.parse(readLine().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (pos < body.length) {
    const headerLine = readLine().toString('utf8');
    if (headerLine.trim() === '') continue;
    const itemHeader = JSON.parse(headerLine) as Record<string, unknown>;
    let payloadBytes: Buffer;
    if (typeof itemHeader.length === 'number') {
      // An explicit length allows newlines (and binary) inside the payload.
      payloadBytes = body.subarray(pos, pos + itemHeader.length);
      pos += itemHeader.length;
      if (body[pos] === 0x0a) pos += 1;
    } else {
      payloadBytes = readLine();
    }
    const text = payloadBytes.toString('utf8');
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // attachments and other non-JSON items stay text
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items, raw: body.toString('utf8') };
}

function decode(req: IncomingMessage, body: Buffer): Buffer {
  switch ((req.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

export interface FakeSentryIngestOptions {
  /** Default: any free port. A fixed one lets a DSN be built into a bundle ahead of time. */
  port?: number;
}

/** GET: every envelope received so far, as JSON ({ envelopes: Envelope[] }). Not Sentry's API. */
export const ENVELOPES_PATH = '/__fake__/envelopes';

// Sentry's ingest answers browsers with CORS headers (the browser SDK posts envelopes from the
// page's origin); so does this fake, preflight included.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
};

export async function startFakeSentryIngest(
  opts: FakeSentryIngestOptions = {},
): Promise<FakeSentryIngest> {
  const envelopes: Envelope[] = [];
  const arrivals = new EventEmitter();
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    // For a test in another process than the one that started the server (browser tests).
    if (req.method === 'GET' && req.url === ENVELOPES_PATH) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ envelopes }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/api\/\d+\/envelope\//.test(req.url ?? '')) {
        const envelope = parseEnvelope(decode(req, Buffer.concat(chunks)));
        const encoding = req.headers['content-encoding'];
        envelopes.push(encoding ? { ...envelope, contentEncoding: encoding } : envelope);
        arrivals.emit('envelope');
      }
      res.writeHead(200, { 'Content-Type': 'application/json', ...CORS_HEADERS });
      res.end('{}');
    });
  });
  server.listen(opts.port ?? 0, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw new Error(`fake Sentry ingest server: cannot listen on ${opts.port ?? 0}`, {
        cause: err,
      });
    }),
  ]);
  const { port } = server.address() as AddressInfo;
  const events = (): Record<string, unknown>[] =>
    envelopes.flatMap((e) =>
      e.items
        .filter((i) => i.header.type === 'event')
        .map((i) => i.payload as Record<string, unknown>),
    );
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    events,
    waitForEvents: (count, timeoutMs = 15000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (events().length < count) return;
          clearTimeout(timer);
          arrivals.off('envelope', check);
          resolve(events());
        };
        const timer = setTimeout(() => {
          arrivals.off('envelope', check);
          reject(
            new Error(
              `fake Sentry ingest server: ${events().length} of ${count} events within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        arrivals.on('envelope', check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
