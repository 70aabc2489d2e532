import { assertMigrated } from '@saas/shared/db';
import type { Db } from '@saas/shared/db';
import type { HealthCheck } from '@saas/shared/health';
import type { UploadsQueue } from '@saas/shared/queue';

/**
 * Ready only when this build's migrations are applied. Migrations applied by a newer deploy
 * (unknown here) do not make an old replica unready mid-rollout: expand/contract keeps old
 * code compatible, and the startup guard is where strictness belongs.
 */
export const migrationsCheck =
  (sql: Db, dir: string): HealthCheck =>
  async () => {
    const s = await assertMigrated(sql, { dir, allowUnknown: true });
    return { details: { applied: s.applied.length } };
  };

/**
 * Live workers on the uploads queue (BullMQ lists its workers' named connections). None is a
 * failure of this check, but optional: the API still serves while uploads wait in the queue.
 */
export const workerCheck =
  (queue: Pick<UploadsQueue, 'getWorkersCount'>): HealthCheck =>
  async () => {
    const workers = await queue.getWorkersCount();
    if (workers === 0) throw new Error('no live worker on the uploads queue');
    return { details: { workers } };
  };
