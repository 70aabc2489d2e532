import { fileURLToPath } from 'node:url';
import { spawnNode, type SpawnedProcess } from '@saas/shared/test-support';
import type { CopiedApp } from './copy-workspace.ts';

const GUARD = fileURLToPath(new URL('./module-guard.ts', import.meta.url));

export interface StartedApp {
  proc: SpawnedProcess;
  url: string;
}

/**
 * Runs a copied app as `node <entry>` (Node 24 strips the types) from its own folder, with the
 * resolve guard unless told otherwise. Variables set to undefined are removed from the child's
 * environment; NODE_PATH and NODE_OPTIONS always are, so nothing resolves from elsewhere.
 */
export function spawnApp(
  app: CopiedApp,
  env: Record<string, string | undefined>,
  opts: { guard?: boolean } = {},
): SpawnedProcess {
  return spawnNode(app.entry, {
    cwd: app.dir,
    nodeArgs: opts.guard === false ? [] : ['--import', GUARD],
    env: {
      NODE_PATH: undefined,
      NODE_OPTIONS: undefined,
      COPY_MODULE_GUARD: JSON.stringify(app.guard),
      ...env,
    },
  });
}

/** Spawns the app and waits for its `{"event":"listening","port":…}` line. */
export async function startApp(
  app: CopiedApp,
  env: Record<string, string | undefined>,
  track: SpawnedProcess[],
): Promise<StartedApp> {
  const proc = spawnApp(app, env);
  track.push(proc);
  const line = await proc.waitForLine(/"event":"listening"/, 30_000);
  const { port } = JSON.parse(line) as { port: number };
  return { proc, url: `http://127.0.0.1:${port}` };
}
