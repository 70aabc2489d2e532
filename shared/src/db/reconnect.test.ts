import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTestDatabase,
  sleep,
  startTcpSwitch,
  type TcpSwitch,
  type TestDatabase,
} from '@saas/shared/test-support';
import { createDb, reconnectBackoff, type Db } from './create-db.ts';

describe('reconnect after the database went away', () => {
  let db: TestDatabase;
  let sw: TcpSwitch;
  let sql: Db;

  beforeAll(async () => {
    db = await createTestDatabase();
    sw = await startTcpSwitch(Number(new URL(db.url).port));
    const url = new URL(db.url);
    url.port = String(sw.port);
    sql = createDb({ url: url.toString(), max: 2, connectTimeoutMs: 2000 });
  });

  afterAll(async () => {
    await sql.end({ timeout: 0 });
    await sw.close();
    await db.drop();
  });

  it('fails queries fast while the server is gone and answers within ~1 s once it is back', async () => {
    await expect(sql`select 1 as one`).resolves.toEqual([{ one: 1 }]);

    sw.setOpen(false);
    // Keep asking for 4 s, as an API under load would: each attempt fails and raises the
    // shared retry count that postgres.js feeds to the backoff (its own default reaches 20 s).
    const outageEnds = Date.now() + 4000;
    let failures = 0;
    while (Date.now() < outageEnds) {
      await sql`select 1`.catch(() => failures++);
      await sleep(50);
    }
    expect(failures).toBeGreaterThan(3);

    sw.setOpen(true);
    const back = Date.now();
    let answered = false;
    while (!answered && Date.now() - back < 15_000) {
      answered = await sql`select 1`.then(
        () => true,
        () => false,
      );
      if (!answered) await sleep(50);
    }
    expect(answered).toBe(true);
    // Capped at 1 s (plus connect time); with postgres.js' default (up to 20 s) this test fails.
    expect(Date.now() - back).toBeLessThan(5000);
  }, 30_000);

  it('keeps the backoff between half the cap and the cap, however many attempts failed', () => {
    const backoff = reconnectBackoff(1);
    for (const attempt of [0, 1, 5, 10, 50]) {
      const s = backoff(attempt);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
      if (attempt >= 5) expect(s).toBeGreaterThanOrEqual(0.5);
    }
  });
});
