import { describe, expect, it } from '@jest/globals';
import { checkOpenApi, generateOpenApi, REFERENCE_FILE } from './openapi.ts';

describe('openapi drift', () => {
  it('docs/openapi.json and docs/api-reference.html match the zod contracts (npm run openapi regenerates them)', () => {
    expect(checkOpenApi()).toEqual([]);
  });

  it('the reference page has every operation and nothing that needs a script or the network', () => {
    const files = generateOpenApi();
    const doc = JSON.parse(files[0]!.content) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const html = files.find((f) => f.path === REFERENCE_FILE)!.content;
    for (const item of Object.values(doc.paths))
      for (const op of Object.values(item)) expect(html).toContain(`id="${op.operationId}"`);
    expect(html).not.toMatch(/<script|<link|<iframe|\son\w+=|src=/i);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });
});
