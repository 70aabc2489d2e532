import type { ApiClient, ApiClientOptions } from './api-client.ts';

/**
 * The API client, loaded on its first call: it carries the contracts and zod (~40 KB gzipped),
 * which the first paint of /login and /status does not need. Same interface, so callers do
 * not know the difference.
 */
export function createLazyApiClient(opts: ApiClientOptions): ApiClient {
  let loading: Promise<ApiClient> | undefined;
  const client = (): Promise<ApiClient> =>
    (loading ??= import('./api-client.ts').then((m) => m.createApiClient(opts)));
  return {
    devLogin: async (...a) => (await client()).devLogin(...a),
    me: async (...a) => (await client()).me(...a),
    uploadLimits: async (...a) => (await client()).uploadLimits(...a),
    createUpload: async (...a) => (await client()).createUpload(...a),
    listUploads: async (...a) => (await client()).listUploads(...a),
    getUpload: async (...a) => (await client()).getUpload(...a),
    completeUpload: async (...a) => (await client()).completeUpload(...a),
    downloadUpload: async (...a) => (await client()).downloadUpload(...a),
    deleteUpload: async (...a) => (await client()).deleteUpload(...a),
    health: async (...a) => (await client()).health(...a),
  };
}
