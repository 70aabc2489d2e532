import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, spawnNode, type TestDatabase } from '@saas/shared/test-support';
import { listMigrationFiles } from './migration-files.ts';

// `npm run db:migrate` runs this script; spawn it for real against a test database.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const script = fileURLToPath(new URL('../../../scripts/db-migrate.ts', import.meta.url));
const dir = fileURLToPath(new URL('../../../infra/supabase/migrations', import.meta.url));

async function migrate(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const proc = spawnNode(script, { cwd: root, env });
  const { code } = await proc.exited;
  return { code, output: proc.lines.join('\n') };
}

describe('scripts/db-migrate.ts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies the repo’s migrations, says which, and exits 0; then finds nothing to apply', async () => {
    const versions = (await listMigrationFiles(dir)).map((f) => f.version);
    const first = await migrate({ DATABASE_URL: db.url });
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain(`[db:migrate] done: applied ${versions.join(', ')}`);
    const second = await migrate({ DATABASE_URL: db.url });
    expect(second).toMatchObject({ code: 0 });
    expect(second.output).toContain('[db:migrate] done: nothing to apply');
  });

  it('exits 1 with the reason, and without the password, when the login is refused', async () => {
    const url = new URL(db.url);
    url.password = 'Wr0ng-Pa55word';
    const res = await migrate({ DATABASE_URL: url.toString() });
    expect(res.code).toBe(1);
    expect(res.output).toMatch(
      /\[db:migrate\] failed: database refused the connection: .*password authentication failed/,
    );
    expect(res.output).not.toContain('Wr0ng-Pa55word');
  });
});
