import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createConformanceChecker, type Exchange } from './support/openapi-conformance.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

const committed = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');

describe('GET /openapi.json', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves the committed document, public and cacheable, readable from any origin', async () => {
    const res = await request(api.app)
      .get('/openapi.json')
      .set('Origin', 'https://elsewhere.example');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toBe(committed);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['etag']).toMatch(/^"[\w-]+"$/);
    // The API's strict headers stay on: the document is data, not a page.
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['ratelimit']).toBeUndefined();

    const again = await request(api.app)
      .get('/openapi.json')
      .set('If-None-Match', res.headers['etag']!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const changed = await request(api.app).get('/openapi.json').set('If-None-Match', '"other"');
    expect(changed.status).toBe(200);
  });
});

describe('the conformance checker refuses what the document does not say', () => {
  const checker = createConformanceChecker();
  const ok = (over: Partial<Exchange>): Exchange => ({
    method: 'GET',
    url: '/v1/uploads/limits',
    requestHeaders: {},
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
    body: Buffer.from(JSON.stringify({ maxBytes: 10, allowedTypes: ['image/png'] })),
    ...over,
  });

  it('accepts a response as documented', () => {
    expect(checker.check(ok({}))).toEqual([]);
  });

  it.each([
    ['an undeclared status', { status: 418 }, /status 418 is not declared/],
    [
      'a missing required header',
      { headers: { 'content-type': 'application/json' } },
      /X-Request-Id missing/,
    ],
    [
      'a malformed draft-8 RateLimit header',
      {
        headers: { 'content-type': 'application/json', 'x-request-id': 'r1', ratelimit: 'limit=3' },
      },
      /header RateLimit=/,
    ],
    [
      'an undocumented field',
      { body: Buffer.from('{"maxBytes":10,"allowedTypes":["a"],"secret":1}') },
      /additional/,
    ],
    [
      'a wrong type',
      { body: Buffer.from('{"maxBytes":"10","allowedTypes":["a"]}') },
      /must be integer/,
    ],
    [
      'an undeclared media type',
      { headers: { 'content-type': 'text/html', 'x-request-id': 'r1' } },
      /media type "text\/html"/,
    ],
    [
      'an error that is not a problem',
      {
        status: 429,
        headers: { 'content-type': 'application/json', 'x-request-id': 'r1', 'retry-after': '1' },
        body: Buffer.from('{"error":"x"}'),
      },
      /media type "application\/json" not declared/,
    ],
    [
      'a problem with the wrong type URN for its status',
      {
        status: 429,
        headers: {
          'content-type': 'application/problem+json',
          'x-request-id': 'r1',
          'retry-after': '1',
        },
        body: Buffer.from(
          JSON.stringify({
            type: 'urn:problem:internal',
            title: 'x',
            status: 429,
            requestId: 'r1',
          }),
        ),
      },
      /must be equal to one of the allowed values/,
    ],
    [
      'a 201 without its Location',
      {
        method: 'POST',
        url: '/v1/uploads',
        status: 201,
        body: Buffer.from(
          JSON.stringify({
            id: '7d3f4a52-5a5c-4b55-9d1b-3b8d2f0f4b1e',
            uploadUrl: 'http://s/x',
            method: 'PUT',
            headers: {},
            expiresAt: '2026-01-01T00:00:00.000Z',
          }),
        ),
      },
      /required header Location missing/,
    ],
  ])('flags %s', (_name, over, message) => {
    const found = checker.check(ok(over as Partial<Exchange>));
    expect(found.join('\n')).toMatch(message);
  });
});
