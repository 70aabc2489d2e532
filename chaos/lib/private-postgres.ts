import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@saas/shared/test-support';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** Superuser URL (trust auth on loopback: a throwaway cluster). */
  readonly adminUrl: string;
  readonly port: number;
  readonly pid: () => number | undefined;
  /** pg_ctl stop -m fast: every connection is terminated, as in a crash-restart or a failover. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

/** Debian's PostgreSQL binaries (the newest installed major). */
function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => existsSync(join(base, d, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(
      `no PostgreSQL binaries under ${base}: install Debian's postgresql package (scripts/services.sh does)`,
    );
  return join(base, majors[0]!, 'bin');
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** util-linux's runuser, in /usr/sbin: a minimal PATH (CI, cron) leaves that folder out. */
const runuser = (): string =>
  ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p)) ?? 'runuser';

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
async function asPostgres(cmd: string, args: string[]): Promise<void> {
  const [file, argv] = isRoot() ? [runuser(), ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  await run(file, argv, { timeout: 120_000 });
}

/**
 * A PostgreSQL cluster of the suite's own (initdb into a temp dir, loopback, a free port), so
 * the suite can restart it without touching the shared one other suites use.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (isRoot()) {
    await run('chown', ['-R', 'postgres:postgres', dir]);
  }
  const port = await freePort();
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  // fsync stays on: a restart must be a real one.
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=100 -c shared_buffers=32MB`;
  const start = (): Promise<void> =>
    asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  const stop = (): Promise<void> =>
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  await start();
  let running = true;
  const pid = (): number | undefined => {
    try {
      const first = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0];
      return first ? Number(first) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
