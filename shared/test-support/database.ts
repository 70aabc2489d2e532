import postgres from 'postgres';
import { testServices, uniqueId } from './env.ts';

export interface TestDatabase {
  /** Connection string of a fresh, empty database owned by this test file. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the local PostgreSQL so each test file runs in isolation
 * (migrations, rows, RLS) without touching the dev database. Drop it in afterAll.
 */
export async function createTestDatabase(
  adminUrl: string = testServices.databaseUrl,
): Promise<TestDatabase> {
  const name = uniqueId('test_');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
