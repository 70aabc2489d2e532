import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import { testServices } from '@saas/shared/test-support';

/** The local services (scripts/services.sh), overridable like the tests' (TEST_*_URL). */
export const services = testServices;

export const benchStorage = (): ObjectStorage => createS3Storage({ ...services.s3 });

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Checks every service the scenarios need before anything starts, and says which one is
 * missing and how to start it, rather than failing halfway through a run.
 */
export async function preflight(
  need: { postgres: boolean; redis: boolean; s3: boolean } = {
    postgres: true,
    redis: true,
    s3: true,
  },
): Promise<void> {
  const problems: string[] = [];
  if (need.postgres) {
    const sql = postgres(services.databaseUrl, {
      max: 1,
      connect_timeout: 3,
      onnotice: () => {},
    });
    try {
      await sql`select 1`;
    } catch (err) {
      problems.push(`PostgreSQL at ${new URL(services.databaseUrl).host}: ${reason(err)}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  if (need.redis) {
    const redis = new Redis(services.redisUrl, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // The failed connect() says it all; without a listener ioredis prints its own stack too.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      problems.push(`Redis at ${services.redisUrl}: ${reason(err)}`);
    } finally {
      redis.disconnect();
    }
  }
  if (need.s3) {
    const storage = benchStorage();
    try {
      await storage.check(AbortSignal.timeout(3000));
    } catch (err) {
      problems.push(`S3 at ${services.s3.endpoint} (bucket ${services.s3.bucket}): ${reason(err)}`);
    } finally {
      await storage.close();
    }
  }
  if (problems.length > 0) throw new ServicesUnavailableError(problems);
}

/** A service a runner needs does not answer: the message says which and what to do. */
export class ServicesUnavailableError extends Error {
  override readonly name = 'ServicesUnavailableError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `cannot start: ${problems.length} service(s) unreachable:\n  - ${problems.join('\n  - ')}\n` +
        'The npm scripts start them (npm run bench, bench:web, test:e2e, test:chaos, npm test); by hand: `npm run services:up` (or point TEST_DATABASE_URL / TEST_REDIS_URL / TEST_S3_ENDPOINT at yours).',
    );
    this.problems = problems;
  }
}

/** What a runner prints for a failure: the message alone when a service is missing (no stack). */
export const describeFailure = (err: unknown): string =>
  err instanceof ServicesUnavailableError
    ? err.message
    : err instanceof Error
      ? (err.stack ?? err.message)
      : String(err);
