import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { OpenApiDocument } from './build-document.ts';

/**
 * GET /openapi.json: the document, serialized once. Public and cacheable: a strong ETag (hash
 * of the bytes) with If-None-Match → 304, and `Access-Control-Allow-Origin: *` so any docs
 * site or code generator can read it from a browser (it holds no secrets, and no credentials
 * are involved).
 */
export function openApiRoute(doc: OpenApiDocument): RequestHandler {
  const body = `${JSON.stringify(doc, null, 2)}\n`;
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  return (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', etag);
    res.setHeader('Access-Control-Allow-Origin', '*');
    const match = req.headers['if-none-match'];
    if (
      match !== undefined &&
      match.split(/\s*,\s*/).some((t) => t === etag || t === '*' || t === `W/${etag}`)
    ) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(body);
  };
}
