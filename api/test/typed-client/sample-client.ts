// What a user's own client looks like: types generated from the published document
// (`npm run openapi:types`, i.e. `npx openapi-typescript docs/openapi.json -o …`) and
// openapi-fetch. typed-client.test.ts type-checks this file and runs it against the real API.
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api.ts';

export type Upload = components['schemas']['Upload'];

export async function startAndReadUpload(
  baseUrl: string,
  token: string,
  idempotencyKey: string,
): Promise<{ created: components['schemas']['CreateUploadResponse']; upload: Upload }> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const limits = await api.GET('/v1/uploads/limits');
  if (!limits.data) throw new Error(`limits: ${limits.response.status}`);
  const contentType = limits.data.allowedTypes[0]!;

  const created = await api.POST('/v1/uploads', {
    params: { header: { 'Idempotency-Key': idempotencyKey } },
    body: { filename: 'typed.png', contentType, size: 10 },
  });
  if (!created.data) throw new Error(`create: ${created.response.status} ${created.error?.type}`);

  const read = await api.GET('/v1/uploads/{id}', { params: { path: { id: created.data.id } } });
  if (read.error) {
    // The error is typed as the problem+json body: `type` is one of the documented URNs.
    const type: string = read.error.type;
    throw new Error(`read: ${type}`);
  }
  return { created: created.data, upload: read.data };
}

/** Calls the generated types refuse (checked by tsc: each marked line must be an error). */
export function wrongCalls(api: ReturnType<typeof createClient<paths>>): void {
  const body: paths['/v1/uploads']['post']['requestBody'] = {
    content: {
      // @ts-expect-error size is a number
      'application/json': { filename: 'a.png', contentType: 'image/png', size: '10' },
    },
  };
  const strict: components['schemas']['CreateUploadRequest'] = {
    filename: 'a',
    contentType: 'image/png',
    size: 1,
    // @ts-expect-error the body is strict: no unknown fields
    x: 1,
  };
  // @ts-expect-error there is no PUT on an upload
  void api.PUT('/v1/uploads/{id}', { params: { path: { id: 'x' } } });
  // @ts-expect-error the path parameter is required
  void api.GET('/v1/uploads/{id}', {});
  void body;
  void strict;
}
