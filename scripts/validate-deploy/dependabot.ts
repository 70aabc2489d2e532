// .github/dependabot.yml: version 2, and updates for npm, GitHub Actions and every Dockerfile.
// (No JSON Schema is vendored for it; these are the rules that matter here.)
import { error, type CheckResult, type Finding } from './report.ts';
import { isRecord, parseYaml } from './yaml-source.ts';

export const DOCKERFILE_DIRS = ['/api', '/worker', '/web'];

export function validateDependabot(text: string, target: string): CheckResult {
  const parsed = parseYaml(text);
  const f: Finding[] = [...parsed.findings];
  const result: CheckResult = { check: 'dependabot rules', target, findings: f };
  if (!isRecord(parsed.data)) return result;
  if (parsed.data.version !== 2) f.push(error('version must be 2'));
  const updates = Array.isArray(parsed.data.updates) ? parsed.data.updates.filter(isRecord) : [];
  const dirsOf = (u: Record<string, unknown>): string[] =>
    Array.isArray(u.directories)
      ? u.directories.map(String)
      : typeof u.directory === 'string'
        ? [u.directory]
        : [];
  for (const u of updates) {
    const interval = isRecord(u.schedule) ? u.schedule.interval : undefined;
    if (typeof interval !== 'string')
      f.push(error(`${String(u['package-ecosystem'])}: schedule.interval is missing`));
    if (dirsOf(u).length === 0)
      f.push(error(`${String(u['package-ecosystem'])}: directory (or directories) is missing`));
  }
  const ecosystem = (name: string): Record<string, unknown>[] =>
    updates.filter((u) => u['package-ecosystem'] === name);
  if (!ecosystem('npm').some((u) => dirsOf(u).includes('/')))
    f.push(error('no npm updates for the root (one lockfile for every workspace)'));
  if (ecosystem('github-actions').length === 0) f.push(error('no github-actions updates'));
  const dockerDirs = ecosystem('docker').flatMap(dirsOf);
  for (const dir of DOCKERFILE_DIRS)
    if (!dockerDirs.includes(dir))
      f.push(error(`no docker updates for ${dir} (its Dockerfile's base image)`));
  return result;
}
