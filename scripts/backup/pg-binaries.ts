import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where pg_dump / pg_restore live: PG_BIN_DIR when set, else the newest Debian install
 * (/usr/lib/postgresql/<major>/bin — Debian's wrappers on PATH pick a version by cluster,
 * which a client-only machine does not have), else PATH. pg_dump must be at least the
 * server's major version: dumping a PostgreSQL 17 server needs pg_dump 17.
 */
export function findPgBinary(
  name: 'pg_dump' | 'pg_restore',
  env: NodeJS.ProcessEnv = process.env,
): string {
  const candidates: string[] = [];
  if (env.PG_BIN_DIR) candidates.push(join(env.PG_BIN_DIR, name));
  if (existsSync(DEBIAN_PG_ROOT)) {
    const majors = readdirSync(DEBIAN_PG_ROOT)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((m) => join(DEBIAN_PG_ROOT, m, 'bin', name)));
  }
  candidates.push(
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, name)),
  );
  const found = candidates.find(executable);
  if (!found) {
    throw new Error(
      `${name} not found (looked in PG_BIN_DIR, ${DEBIAN_PG_ROOT}/*/bin and PATH): install the PostgreSQL client (apt-get install postgresql-client)`,
    );
  }
  return found;
}
