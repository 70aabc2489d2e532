import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTestDatabase,
  jsonLineProblem,
  spawnNode,
  type TestDatabase,
} from '@saas/shared/test-support';

// The pre-deploy migration entry (api/src/migrate.ts) as a real process on a fresh database:
// every line it writes is one JSON object with unique keys (its "migration applied" lines
// once carried `version` twice: the service's and the migration's).

const MIGRATE = fileURLToPath(new URL('../src/migrate.ts', import.meta.url));

describe('api/src/migrate.ts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies the migrations, exits 0, and writes only JSON lines with unique keys', async () => {
    const proc = spawnNode(MIGRATE, {
      env: { NODE_ENV: 'test', DATABASE_URL: db.url, SERVICE_VERSION: '9.9.9', LOG_LEVEL: 'info' },
    });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const lines = proc.lines.filter((l) => l.trim() !== '');
    expect(lines.map((l) => [l, jsonLineProblem(l)]).filter(([, p]) => p)).toEqual([]);
    const applied = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => String(l.msg).startsWith('migration applied:'));
    expect(applied.length).toBeGreaterThan(0);
    for (const line of applied) {
      expect(line.version).toBe('9.9.9');
      expect(line.migration).toMatch(/^\d{14}$/);
    }
  });
});
