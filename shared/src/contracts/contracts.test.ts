import { describe, expect, it } from '@jest/globals';
import {
  apiRoutes,
  createUploadRequest,
  createUploadRequestFor,
  devLoginRequest,
  healthReport,
  listUploadsQuery,
  pathFor,
  problemDetails,
  uploadLimits,
} from './index.ts';

describe('contracts', () => {
  it('createUploadRequest accepts a plain file and normalizes the media type', () => {
    const v = createUploadRequest.parse({
      filename: ' cat.png ',
      contentType: 'Image/PNG',
      size: 10,
    });
    expect(v).toEqual({ filename: 'cat.png', contentType: 'image/png', size: 10 });
  });

  it.each([
    [{ filename: 'a.png', contentType: 'image/png', size: 1, extra: true }, ''],
    [{ filename: '../etc/passwd', contentType: 'image/png', size: 1 }, 'filename'],
    [{ filename: 'a\u0000.png', contentType: 'image/png', size: 1 }, 'filename'],
    [{ filename: 'a.png', contentType: 'image/png; charset=x', size: 1 }, 'contentType'],
    [{ filename: 'a.png', contentType: 'image/png', size: 0 }, 'size'],
    [{ filename: 'a.png', contentType: 'image/png', size: 1.5 }, 'size'],
    [{ filename: 'a.png', contentType: 'image/png', size: '1' }, 'size'],
  ])('createUploadRequest rejects %j at path "%s"', (input, path) => {
    const r = createUploadRequest.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('createUploadRequestFor applies the server limits with the same paths', () => {
    const limits = uploadLimits.parse({ maxBytes: 100, allowedTypes: ['image/png'] });
    const r = createUploadRequestFor(limits).safeParse({
      filename: 'a.gif',
      contentType: 'image/gif',
      size: 101,
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['contentType', 'size']);
    expect(
      createUploadRequestFor(limits).safeParse({
        filename: 'a.png',
        contentType: 'image/png',
        size: 100,
      }).success,
    ).toBe(true);
  });

  it('devLoginRequest needs an email and nothing else', () => {
    expect(devLoginRequest.safeParse({ email: 'a@example.com' }).success).toBe(true);
    expect(devLoginRequest.safeParse({ email: 'nope' }).success).toBe(false);
    expect(devLoginRequest.safeParse({ email: 'a@example.com', admin: true }).success).toBe(false);
  });

  it('listUploadsQuery coerces the limit from the query string and bounds it', () => {
    expect(listUploadsQuery.parse({})).toEqual({ limit: 20 });
    expect(listUploadsQuery.parse({ limit: '5' })).toEqual({ limit: 5 });
    expect(listUploadsQuery.safeParse({ limit: '1000' }).success).toBe(false);
    expect(listUploadsQuery.safeParse({ sort: 'x' }).success).toBe(false);
  });

  it('problemDetails requires the request id and keeps extension members', () => {
    const p = {
      type: 'urn:problem:not-found',
      title: 'Not Found',
      status: 404,
      requestId: 'r1',
      retryAfterS: 3,
    };
    expect(problemDetails.parse(p)).toEqual(p);
    expect(problemDetails.safeParse({ ...p, requestId: undefined }).success).toBe(false);
  });

  it('healthReport matches the shape every process serves', () => {
    const report = {
      status: 'degraded',
      service: 'api',
      version: '1.0.0',
      uptimeS: 3,
      checks: {
        db: { status: 'ok', latencyMs: 2, critical: true },
        worker: { status: 'fail', latencyMs: 1, critical: false, error: 'no workers' },
      },
    };
    expect(healthReport.parse(report)).toEqual(report);
  });

  it('every route has a unique method + path and pathFor fills templates', () => {
    const keys = Object.values(apiRoutes).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(pathFor(apiRoutes.getUpload.path, { id: 'a/b' })).toBe('/v1/uploads/a%2Fb');
    expect(() => pathFor(apiRoutes.getUpload.path)).toThrow('missing path parameter "id"');
  });
});
