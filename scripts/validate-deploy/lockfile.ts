// Every image installs with `npm ci` from a turbo-pruned lockfile. npm ci refuses a lockfile
// that is out of sync with the manifests — e.g. one missing the other platforms' optional
// binaries (@swc/core-darwin-arm64…), which a registry mirror without them produces — and
// then every Docker build and fresh clone fails. Checked offline with `npm ci --dry-run`,
// on the repository's lockfile and on each pruned one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { error, note, type CheckResult, type Finding } from './report.ts';

const quiet = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

/** `npm ci --dry-run --offline` in dir: nothing is downloaded or written, the sync check runs. */
export function npmCiDryRun(dir: string): Finding[] {
  const r = spawnSync('npm', ['ci', '--dry-run', '--offline', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: quiet,
  });
  if (r.status === 0) return [];
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const missing = [...out.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]!);
  if (missing.length)
    return [
      error(
        `npm ci refuses the lockfile: ${missing.length} package(s) missing from it (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''}). ` +
          'Usually optional platform binaries a registry mirror lacks; regenerate package-lock.json against the full registry (or add the entries) — every `npm ci` (fresh clone, CI, Docker build) fails until then.',
      ),
    ];
  const lines = out
    .split('\n')
    .filter(
      (l) => /npm (error|ERR)/.test(l) && !/A complete log|help ci|^npm error$/.test(l.trim()),
    );
  return [error(`npm ci --dry-run failed: ${lines.slice(0, 6).join('\n') || out.slice(0, 400)}`)];
}

/** A copy of the manifests and lockfile (what npm ci reads) in a temp dir. */
function manifestsCopy(root: string, into: string): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
    if (existsSync(join(root, file))) copyFileSync(join(root, file), join(into, file));
  }
  for (const ws of pkg.workspaces ?? []) {
    const manifest = join(root, ws, 'package.json');
    if (!existsSync(manifest)) continue;
    mkdirSync(join(into, ws), { recursive: true });
    copyFileSync(manifest, join(into, ws, 'package.json'));
  }
}

export function checkLockfiles(
  root: string,
  turboBin: string,
  packages: { name: string; dir: string }[],
): CheckResult[] {
  const tmp = mkdtempSync(join(tmpdir(), 'lockfile-check-'));
  try {
    const whole = join(tmp, 'repo');
    mkdirSync(whole);
    manifestsCopy(root, whole);
    const results: CheckResult[] = [
      {
        check: 'lockfile: npm ci --dry-run',
        target: 'package-lock.json',
        findings: npmCiDryRun(whole),
      },
    ];
    for (const p of packages) {
      const check = `lockfile: turbo prune ${p.name} + npm ci --dry-run`;
      if (!existsSync(join(root, p.dir, 'package.json'))) {
        results.push({
          check,
          target: p.dir,
          findings: [note(`${p.dir}/package.json does not exist yet: skipped`)],
        });
        continue;
      }
      const out = join(tmp, `prune-${p.dir}`);
      const pr = spawnSync(turboBin, ['prune', p.name, '--docker', `--out-dir=${out}`], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...quiet, TURBO_TELEMETRY_DISABLED: '1' },
      });
      const findings =
        pr.status === 0
          ? npmCiDryRun(join(out, 'json'))
          : [error(`turbo prune failed: ${`${pr.stderr}${pr.stdout}`.trim().slice(0, 400)}`)];
      results.push({ check, target: `${p.dir}/`, findings });
    }
    return results;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
