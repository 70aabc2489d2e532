import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiClient } from '../../web/src/lib/api/api-client.ts';
import { tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

// The web's own client against the real API: the answer to the first attempt is lost after
// the API did the work (a timeout, a dropped connection); the retry carries the same
// Idempotency-Key and gets the first answer back, so the user's action creates one upload.
describe("the web's upload calls retry a lost answer with the same Idempotency-Key", () => {
  let api: TestApi;
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    api = await createTestApi();
    server = api.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await api?.close();
  });

  it('creates one upload although the first answer never arrived', async () => {
    const token = await tokenFor(api.config, { sub: randomUUID() });
    const sent: { key: string | null; status: number }[] = [];
    let lose = 1;
    const client = createApiClient({
      baseUrl,
      getToken: () => token,
      // Real requests to the real API; the first answer is dropped on the way back.
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        sent.push({ key: new Headers(init?.headers).get('Idempotency-Key'), status: res.status });
        if (lose-- > 0) throw new TypeError('fetch failed (answer lost)');
        return res;
      },
    });
    const key = `${randomUUID()}:create`;
    const created = await client.createUpload(
      { filename: 'a.png', contentType: 'image/png', size: 4 },
      { idempotencyKey: key },
    );
    expect(sent).toEqual([
      { key, status: 201 },
      { key, status: 201 },
    ]);
    const rows = await api.sql`select id from public.uploads`;
    expect(rows.map((r) => r.id)).toEqual([created.id]);
  });
});
