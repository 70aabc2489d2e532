import { fileURLToPath } from 'node:url';
import { spawnNode, type SpawnedProcess } from '@saas/shared/test-support';

export type FixtureLine = Record<string, unknown>;

/** Starts a fixture script of this folder and waits until it says it is up. */
export async function startFixture(
  name: 'lifecycle-app' | 'crash-app' | 'http-app',
  env: NodeJS.ProcessEnv = {},
): Promise<SpawnedProcess> {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const proc = spawnNode(script, { env });
  await proc.waitForLine(/"event":"(started|listening)"/);
  return proc;
}

/** The fixture's JSON lines, parsed (anything else it printed is skipped). */
export function jsonLines(proc: SpawnedProcess): FixtureLine[] {
  return proc.lines.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return value && typeof value === 'object' ? [value as FixtureLine] : [];
    } catch {
      return [];
    }
  });
}
