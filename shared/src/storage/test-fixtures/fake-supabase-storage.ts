import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Fake Supabase Storage server: a node:http server speaking the Supabase Storage API wire format
// (https://github.com/supabase/storage, src/http/routes/object and bucket) for exactly the calls
// the supabase adapter makes through @supabase/storage-js. Errors use the real shape: HTTP 400
// with the logical status in the body, e.g. {"statusCode":"404","code":"NoSuchKey",
// "error":"not_found","message":"Object not found"}. Signed-URL tokens are HS256 JWTs with
// {url: "<bucket>/<path>", exp}, as the real server issues them. Test use only.

export interface FakeSupabaseStorage {
  /** Project URL to give the adapter (the Storage API lives under /storage/v1). */
  url: string;
  serviceRoleKey: string;
  /** Each bucket's settings as the last updateBucket (PUT /bucket/:id) left them. */
  bucketSettings(bucket: string): BucketSettings | undefined;
  /** Method and path (no query: tokens stay out) of every request, in order. */
  requests: { method: string; path: string }[];
  /**
   * From now on, object downloads send all but the last byte and wait for release() before
   * ending: a client that buffers the whole body cannot resolve before then.
   */
  stallDownloads(): { release(): void };
  close(): Promise<void>;
}

export interface BucketSettings {
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
}

interface StoredObject {
  id: string;
  bytes: Buffer;
  contentType: string;
  etag: string;
  createdAt: string;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
}

const PREFIX = '/storage/v1';
const UPLOAD_TOKEN_TTL_S = 7200;

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/** Storage renders its errors as HTTP 400 with the logical status in the body. */
const sendError = (
  res: ServerResponse,
  statusCode: string,
  code: string,
  error: string,
  message: string,
): void => sendJson(res, 400, { statusCode, code, error, message });

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const decodePath = (raw: string): string => raw.split('/').map(decodeURIComponent).join('/');

export async function startFakeSupabaseStorage(
  options: { serviceRoleKey?: string; buckets?: string[] } = {},
): Promise<FakeSupabaseStorage> {
  const serviceRoleKey = options.serviceRoleKey ?? `fake-service-role-${randomUUID()}`;
  const buckets = new Map<string, BucketSettings>(
    (options.buckets ?? ['uploads']).map((b) => [
      b,
      { public: false, file_size_limit: null, allowed_mime_types: null },
    ]),
  );
  const objects = new Map<string, StoredObject>();
  const requests: { method: string; path: string }[] = [];
  const jwtSecret = randomBytes(32);
  let stall: Promise<void> | undefined;

  const signToken = (claims: Record<string, unknown>): string => {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ ...claims, iat: Math.floor(Date.now() / 1000) }));
    const sig = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  };

  /** True when the token's signature, url and expiry hold; otherwise answers with Storage's error. */
  const verifyToken = (ctx: Ctx, objectUrl: string): boolean => {
    const [head, body, sig] = (ctx.query.get('token') ?? '').split('.');
    const expected =
      head && body
        ? createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url')
        : '';
    if (!sig || sig !== expected) {
      sendError(ctx.res, '400', 'InvalidJWT', 'Invalid JWT', 'invalid signature');
      return false;
    }
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as {
      url: string;
      exp: number;
    };
    if (claims.url !== objectUrl) {
      sendError(
        ctx.res,
        '400',
        'InvalidSignature',
        'InvalidSignature',
        'The url do not match the signature',
      );
      return false;
    }
    if (claims.exp * 1000 < Date.now()) {
      sendError(ctx.res, '400', 'InvalidJWT', 'ExpiredSignature', 'The signature has expired');
      return false;
    }
    return true;
  };

  const authorized = (ctx: Ctx): boolean => {
    if (ctx.req.headers.authorization === `Bearer ${serviceRoleKey}`) return true;
    sendError(ctx.res, '403', 'InvalidJWT', 'Unauthorized', 'invalid signature');
    return false;
  };

  const bucketExists = (ctx: Ctx, bucket: string): boolean => {
    if (buckets.has(bucket)) return true;
    sendError(ctx.res, '404', 'NoSuchBucket', 'Bucket not found', 'Bucket not found');
    return false;
  };

  const findObject = (ctx: Ctx, bucket: string, path: string): StoredObject | undefined => {
    if (!bucketExists(ctx, bucket)) return undefined;
    const obj = objects.get(`${bucket}/${path}`);
    if (!obj) sendError(ctx.res, '404', 'NoSuchKey', 'not_found', 'Object not found');
    return obj;
  };

  const serveObject = async (ctx: Ctx, obj: StoredObject): Promise<void> => {
    const headers: Record<string, string | number> = {
      'accept-ranges': 'bytes',
      'content-type': obj.contentType,
      'content-length': obj.bytes.length,
      etag: obj.etag,
      'cache-control': 'max-age=3600',
    };
    const download = ctx.query.get('download');
    if (download !== null) {
      // As Storage's renderer writes it (src/storage/renderer/renderer.ts, handleDownload).
      const encoded = encodeURIComponent(download);
      headers['content-disposition'] =
        download === ''
          ? 'attachment;'
          : `attachment; filename=${encoded}; filename*=UTF-8''${encoded};`;
    }
    ctx.res.writeHead(200, headers);
    const held = stall;
    if (!held || obj.bytes.length === 0) {
      ctx.res.end(obj.bytes);
      return;
    }
    ctx.res.write(obj.bytes.subarray(0, -1));
    await held;
    ctx.res.end(obj.bytes.subarray(-1));
  };

  const objectInfo = (
    bucket: string,
    path: string,
    obj: StoredObject,
  ): Record<string, unknown> => ({
    id: obj.id,
    name: path,
    version: obj.id,
    bucket_id: bucket,
    size: obj.bytes.length,
    content_type: obj.contentType,
    cache_control: 'max-age=3600',
    etag: obj.etag,
    metadata: {},
    last_modified: obj.createdAt,
    created_at: obj.createdAt,
  });

  type Handler = (ctx: Ctx, bucket: string, path: string) => Promise<void> | void;
  const routes: [string, RegExp, Handler][] = [
    [
      'GET',
      /^\/bucket\/([^/]+)$/,
      (ctx, bucket) => {
        if (!authorized(ctx) || !bucketExists(ctx, bucket)) return;
        const now = new Date().toISOString();
        sendJson(ctx.res, 200, {
          id: bucket,
          name: bucket,
          owner: '',
          ...buckets.get(bucket),
          created_at: now,
          updated_at: now,
        });
      },
    ],
    [
      // updateBucket: storage-js sends every field; an undefined one is simply absent.
      'PUT',
      /^\/bucket\/([^/]+)$/,
      async (ctx, bucket) => {
        const body = JSON.parse((await readBody(ctx.req)).toString('utf8')) as Partial<
          BucketSettings & { file_size_limit: number | string }
        >;
        if (!authorized(ctx) || !bucketExists(ctx, bucket)) return;
        const current = buckets.get(bucket)!;
        buckets.set(bucket, {
          public: body.public ?? current.public,
          file_size_limit:
            body.file_size_limit === undefined
              ? current.file_size_limit
              : Number(body.file_size_limit),
          allowed_mime_types: body.allowed_mime_types ?? current.allowed_mime_types,
        });
        sendJson(ctx.res, 200, { message: 'Successfully updated' });
      },
    ],
    [
      'POST',
      /^\/object\/upload\/sign\/([^/]+)\/(.+)$/,
      (ctx, bucket, path) => {
        if (!authorized(ctx) || !bucketExists(ctx, bucket)) return;
        if (objects.has(`${bucket}/${path}`) && ctx.req.headers['x-upsert'] !== 'true') {
          sendError(ctx.res, '409', 'Duplicate', 'Duplicate', 'The resource already exists');
          return;
        }
        const exp = Math.floor(Date.now() / 1000) + UPLOAD_TOKEN_TTL_S;
        const token = signToken({ url: `${bucket}/${path}`, exp, owner: 'service_role' });
        sendJson(ctx.res, 200, {
          url: `/object/upload/sign/${bucket}/${path}?token=${token}`,
          token,
        });
      },
    ],
    [
      'PUT',
      /^\/object\/upload\/sign\/([^/]+)\/(.+)$/,
      async (ctx, bucket, path) => {
        if (!verifyToken(ctx, `${bucket}/${path}`)) return;
        const bytes = await readBody(ctx.req);
        const contentType = ctx.req.headers['content-type'] ?? 'application/octet-stream';
        // As Storage enforces the bucket's limits on every upload, signed ones included
        // (src/storage/uploader.ts: validateMimeType, the file size limit).
        const settings = buckets.get(bucket);
        const limit = settings?.file_size_limit;
        if (limit !== null && limit !== undefined && bytes.length > limit) {
          sendError(
            ctx.res,
            '413',
            'EntityTooLarge',
            'Payload too large',
            'The object exceeded the maximum allowed size',
          );
          return;
        }
        const allowed = settings?.allowed_mime_types;
        if (allowed && allowed.length > 0 && !allowed.includes(contentType.split(';')[0]!.trim())) {
          sendError(
            ctx.res,
            '415',
            'InvalidMimeType',
            'invalid_mime_type',
            `mime type ${contentType} is not supported`,
          );
          return;
        }
        objects.set(`${bucket}/${path}`, {
          id: randomUUID(),
          bytes,
          contentType,
          etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
          createdAt: new Date().toISOString(),
        });
        sendJson(ctx.res, 200, {
          Key: `${bucket}/${path}`,
          Id: objects.get(`${bucket}/${path}`)!.id,
        });
      },
    ],
    [
      'POST',
      /^\/object\/sign\/([^/]+)\/(.+)$/,
      async (ctx, bucket, path) => {
        if (!authorized(ctx)) return;
        const { expiresIn } = JSON.parse((await readBody(ctx.req)).toString('utf8')) as {
          expiresIn?: unknown;
        };
        if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1) {
          sendError(ctx.res, '400', 'InvalidRequest', 'Bad Request', 'body/expiresIn must be >= 1');
          return;
        }
        if (!findObject(ctx, bucket, path)) return;
        const exp = Math.floor(Date.now() / 1000) + expiresIn;
        const token = signToken({ url: `${bucket}/${path}`, exp });
        sendJson(ctx.res, 200, { signedURL: `/object/sign/${bucket}/${path}?token=${token}` });
      },
    ],
    [
      'GET',
      /^\/object\/sign\/([^/]+)\/(.+)$/,
      async (ctx, bucket, path) => {
        if (!verifyToken(ctx, `${bucket}/${path}`)) return;
        const obj = findObject(ctx, bucket, path);
        if (obj) await serveObject(ctx, obj);
      },
    ],
    [
      'GET',
      /^\/object\/info(?:\/authenticated)?\/([^/]+)\/(.+)$/,
      (ctx, bucket, path) => {
        if (!authorized(ctx)) return;
        const obj = findObject(ctx, bucket, path);
        if (obj) sendJson(ctx.res, 200, objectInfo(bucket, path, obj));
      },
    ],
    [
      'GET',
      /^\/object(?:\/authenticated)?\/([^/]+)\/(.+)$/,
      async (ctx, bucket, path) => {
        if (!authorized(ctx)) return;
        const obj = findObject(ctx, bucket, path);
        if (obj) await serveObject(ctx, obj);
      },
    ],
    [
      // copy: {bucketId, sourceKey, destinationKey}; an existing destination is a 409 (no
      // x-upsert), as in Storage's copyObject.
      'POST',
      /^\/object\/copy$/,
      async (ctx) => {
        const body = JSON.parse((await readBody(ctx.req)).toString('utf8')) as {
          bucketId: string;
          sourceKey: string;
          destinationKey: string;
        };
        if (!authorized(ctx)) return;
        const source = findObject(ctx, body.bucketId, body.sourceKey);
        if (!source) return;
        const destination = `${body.bucketId}/${body.destinationKey}`;
        if (objects.has(destination)) {
          sendError(ctx.res, '409', 'Duplicate', 'Duplicate', 'The resource already exists');
          return;
        }
        objects.set(destination, {
          ...source,
          id: randomUUID(),
          bytes: Buffer.from(source.bytes),
          createdAt: new Date().toISOString(),
        });
        sendJson(ctx.res, 200, { Id: objects.get(destination)!.id, Key: destination });
      },
    ],
    [
      'DELETE',
      /^\/object\/([^/]+)$/,
      async (ctx, bucket) => {
        if (!authorized(ctx) || !bucketExists(ctx, bucket)) return;
        const { prefixes } = JSON.parse((await readBody(ctx.req)).toString('utf8')) as {
          prefixes?: unknown;
        };
        if (!Array.isArray(prefixes) || prefixes.length === 0) {
          sendError(
            ctx.res,
            '400',
            'InvalidRequest',
            'Bad Request',
            'body/prefixes must have items',
          );
          return;
        }
        const removed: Record<string, unknown>[] = [];
        for (const p of prefixes) {
          const path = typeof p === 'string' ? p : String((p as { path?: unknown }).path);
          const obj = objects.get(`${bucket}/${path}`);
          if (!obj) continue;
          objects.delete(`${bucket}/${path}`);
          removed.push(objectInfo(bucket, path, obj));
        }
        sendJson(ctx.res, 200, removed);
      },
    ],
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://fake.invalid');
    requests.push({ method: req.method ?? '', path: parsed.pathname });
    const ctx: Ctx = { req, res, query: parsed.searchParams };
    const path = parsed.pathname.startsWith(PREFIX) ? parsed.pathname.slice(PREFIX.length) : '';
    for (const [method, pattern, handler] of routes) {
      const m = req.method === method ? pattern.exec(path) : null;
      if (m) {
        await handler(
          ctx,
          m[1] === undefined ? '' : decodePath(m[1]),
          m[2] === undefined ? '' : decodePath(m[2]),
        );
        return;
      }
    }
    await readBody(req);
    sendJson(res, 404, {
      statusCode: '404',
      error: 'Not Found',
      message: `Route ${req.method}:${path} not found`,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { statusCode: '500', error: 'Internal', message: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    serviceRoleKey,
    requests,
    bucketSettings: (bucket) => buckets.get(bucket),
    stallDownloads() {
      let release!: () => void;
      stall = new Promise<void>((r) => (release = r));
      return {
        release() {
          stall = undefined;
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
