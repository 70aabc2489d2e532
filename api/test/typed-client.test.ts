import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import ts from 'typescript';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';
import { startAndReadUpload } from './typed-client/sample-client.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const GENERATED = here('./typed-client/generated/api.ts');
const SAMPLE = here('./typed-client/sample-client.ts');

describe('a typed client generated from the document (openapi-typescript + openapi-fetch)', () => {
  it('the committed types are what openapi-typescript generates from docs/openapi.json (npm run openapi:types)', async () => {
    const doc = JSON.parse(readFileSync(here('../../docs/openapi.json'), 'utf8'));
    const generated = COMMENT_HEADER + astToString(await openapiTS(doc));
    expect(readFileSync(GENERATED, 'utf8')).toBe(generated);
  }, 30_000);

  it('the sample client type-checks (strict), and the calls the contract forbids do not', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      here('../tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram([SAMPLE], { ...config.options, noEmit: true });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // Each @ts-expect-error line must really be an error: an unused one is reported here,
    // so loose (any) types would fail this test.
    expect(diagnostics).toEqual([]);
  }, 60_000);

  describe('against the real API', () => {
    let api: TestApi;
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      api = await createTestApi();
      server = api.app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const addr = server.address() as { port: number };
      baseUrl = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(async () => {
      await new Promise((r) => server?.close(r));
      await api?.close();
    });

    it('creates and reads an upload through the generated types', async () => {
      const token = await tokenFor(api.config, { sub: randomUUID() });
      const { created, upload } = await startAndReadUpload(baseUrl, token, randomUUID());
      expect(upload.id).toBe(created.id);
      expect(upload.status).toBe('pending');
      expect(upload.filename).toBe('typed.png');
      const rows = await api.sql`select id from public.uploads where id = ${created.id}`;
      expect(rows).toHaveLength(1);
      expect(bearer(token).Authorization).toMatch(/^Bearer /);
    });
  });
});
