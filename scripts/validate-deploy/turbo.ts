// turbo.json: its published schema is permissive (unknown keys pass), so ask turbo itself.
// `turbo run build --dry=json` parses turbo.json strictly and plans the build without running it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { error, type CheckResult } from './report.ts';

/**
 * root: a workspace root holding turbo.json, package.json, the lockfile and the workspaces'
 * package.json files. turboBin: the turbo executable (node_modules/.bin/turbo of this repo).
 */
export function checkTurbo(root: string, turboBin: string, target = 'turbo.json'): CheckResult {
  const result: CheckResult = { check: 'turbo: run build --dry=json', target, findings: [] };
  const r = spawnSync(turboBin, ['run', 'build', '--dry=json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      TURBO_TELEMETRY_DISABLED: '1',
      DO_NOT_TRACK: '1',
      TURBO_NO_UPDATE_NOTIFIER: '1',
    },
  });
  if (r.status !== 0) {
    const out = stripVTControlCharacters(`${r.stderr ?? ''}${r.stdout ?? ''}`).trim();
    result.findings.push(
      error(`turbo rejects the configuration: ${out.split('\n').slice(0, 12).join('\n')}`),
    );
    return result;
  }
  try {
    const plan = JSON.parse(r.stdout) as { tasks?: { taskId: string }[] };
    if (!plan.tasks?.length) result.findings.push(error('the dry run planned no build task'));
  } catch {
    result.findings.push(error('turbo --dry=json did not print JSON'));
  }
  return result;
}

/** The turbo version package-lock.json pins (Dockerfiles and the Vercel ignore step must match). */
export function lockedTurboVersion(root: string): string | undefined {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages?: Record<string, { version?: string }>;
    };
    return lock.packages?.['node_modules/turbo']?.version;
  } catch {
    return undefined;
  }
}
