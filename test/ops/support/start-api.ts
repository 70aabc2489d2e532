import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '@saas/shared/lifecycle';
import { createTestApi } from '../../../api/test/support/test-api.ts';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/**
 * The real API (createApp with the same wiring the API's own tests use) on the real local
 * services — a fresh migrated database, a unique Redis prefix, the shared S3 bucket — listening
 * on a free loopback port, so the verifier talks HTTP to it like it would to a deployment.
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const api = await createTestApi({ env });
  const server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await closeHttpServer(server);
      await api.close();
    },
  };
}
