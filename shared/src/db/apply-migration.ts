import { readFile } from 'node:fs/promises';
import type postgres from 'postgres';
import { MigrationFailedError } from './migration-errors.ts';
import type { MigrationFile } from './migration-files.ts';
import { recordMigration } from './migration-history.ts';
import { splitStatements } from './split-statements.ts';

// Set transaction-locally before the file runs: if it is gone afterwards, the file ended the
// transaction itself (COMMIT/ROLLBACK inside it) and is no longer atomic with its history row.
const MARKER = 'saas.migration_tx';

function lineOf(text: string, position: unknown): number | undefined {
  const pos = Number(position);
  if (!Number.isInteger(pos) || pos < 1) return undefined;
  return text.slice(0, pos - 1).split('\n').length;
}

/**
 * Runs one file and records it in the history table in one transaction, on the runner's
 * reserved connection. The file goes to the server whole (simple query protocol), so the
 * server, not our splitter, decides where statements end.
 */
export async function applyMigration(
  conn: postgres.Sql,
  file: MigrationFile,
  appliedBefore: string[],
): Promise<void> {
  const text = await readFile(file.path, 'utf8');
  await conn.unsafe('begin');
  try {
    await conn`select set_config(${MARKER}, 'on', true)`;
    await conn.unsafe(text);
    const [row] = await conn<{ v: string | null }[]>`select current_setting(${MARKER}, true) as v`;
    if (row?.v !== 'on') {
      throw Object.assign(
        new Error(
          'the file ended the runner’s transaction (COMMIT/ROLLBACK/BEGIN inside it); remove them, each file already runs in one transaction',
        ),
        { code: 'TX_ENDED' },
      );
    }
    await recordMigration(conn, file, splitStatements(text));
    await conn.unsafe('commit');
  } catch (err) {
    await conn.unsafe('rollback').catch(() => {});
    const e = err as { message?: string; code?: string; position?: unknown };
    throw new MigrationFailedError({
      version: file.version,
      file: file.fileName,
      line: lineOf(text, e.position),
      reason: e.message ?? String(err),
      code: e.code,
      applied: appliedBefore,
    });
  }
}
