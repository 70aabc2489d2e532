// `docker compose config` as a second opinion on docker-compose.yml, offline.
//
// Policy (printed in the report):
// 1. Docker Compose v2 (`docker compose`) installed: its verdict is final; an error fails.
// 2. Only Debian's docker-compose v1 (1.29) installed: it predates parts of the Compose
//    Specification this file uses (top-level `name`, `build.dockerfile_inline`, …) and
//    rejects them. Then the file is checked again with those keys removed (merge keys
//    resolved, as JSON): the rest — services, depends_on targets and conditions, ports,
//    volumes, healthchecks — is something v1 understands, and an error there fails.
//    The removed keys are listed as a note (the schema check above covers them).
// 3. Neither installed: a note, no failure (the schema and stack rules still ran).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { error, note, type CheckResult, type Finding } from './report.ts';
import { isRecord, parseYaml } from './yaml-source.ts';

export interface CommandOutput {
  status: number | null;
  output: string;
  /** The command could not be started (not installed). */
  missing: boolean;
}

export type RunCommand = (cmd: string, args: string[], cwd: string) => CommandOutput;

export const runCommand: RunCommand = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(), missing };
};

/** Keys of the Compose Specification that docker-compose 1.29 does not know. */
const V1_UNKNOWN_TOP = ['name', 'include', 'models'];
const V1_UNKNOWN_SERVICE = [
  'develop',
  'post_start',
  'pre_stop',
  'models',
  'provider',
  'use_api_socket',
  'gpus',
];
const V1_UNKNOWN_BUILD = [
  'dockerfile_inline',
  'additional_contexts',
  'tags',
  'platforms',
  'privileged',
  'ssh',
  'secrets',
  'provenance',
  'sbom',
];
const V1_UNKNOWN_HEALTHCHECK = ['start_interval'];

/** The compose data without the keys v1 cannot know, and the list of what was removed. */
export function v1Projection(data: Record<string, unknown>): {
  data: Record<string, unknown>;
  removed: string[];
} {
  const copy = structuredClone(data);
  const removed = new Set<string>();
  const drop = (obj: unknown, keys: string[], label: string): void => {
    if (!isRecord(obj)) return;
    for (const k of keys)
      if (k in obj) {
        delete obj[k];
        removed.add(`${label}${k}`);
      }
  };
  drop(copy, V1_UNKNOWN_TOP, '');
  // Extension fields (x-*) were already merged into the services by the YAML parser.
  for (const key of Object.keys(copy)) if (key.startsWith('x-')) delete copy[key];
  const services = isRecord(copy.services) ? copy.services : {};
  for (const svc of Object.values(services)) {
    drop(svc, V1_UNKNOWN_SERVICE, 'services.*.');
    if (isRecord(svc)) {
      drop(svc.build, V1_UNKNOWN_BUILD, 'services.*.build.');
      drop(svc.healthcheck, V1_UNKNOWN_HEALTHCHECK, 'services.*.healthcheck.');
    }
  }
  return { data: copy, removed: [...removed].sort() };
}

export function checkComposeCli(
  file: string,
  projectDir: string,
  text: string,
  run: RunCommand = runCommand,
  target = 'docker-compose.yml',
): CheckResult {
  const result: CheckResult = { check: 'compose: docker compose config', target, findings: [] };
  const f = result.findings;

  const v2 = run('docker', ['compose', 'version'], projectDir);
  if (!v2.missing && v2.status === 0) {
    const r = run('docker', ['compose', '-f', file, 'config', '-q'], projectDir);
    f.push(
      r.status === 0
        ? note(`docker compose v2 accepts the file (${firstLine(v2.output)})`)
        : error(`docker compose v2: ${r.output}`),
    );
    return result;
  }

  const v1 = run('docker-compose', ['version', '--short'], projectDir);
  if (v1.missing || v1.status !== 0) {
    f.push(
      note(
        'neither `docker compose` (v2) nor `docker-compose` (v1) is installed: skipped (schema and stack rules still checked)',
      ),
    );
    return result;
  }
  const direct = run('docker-compose', ['-f', file, 'config', '-q'], projectDir);
  if (direct.status === 0) {
    f.push(note(`docker-compose ${v1.output} accepts the file`));
    return result;
  }
  f.push(...viaProjection(text, projectDir, v1.output, run));
  return result;
}

function viaProjection(
  text: string,
  projectDir: string,
  version: string,
  run: RunCommand,
): Finding[] {
  const parsed = parseYaml(text);
  if (!isRecord(parsed.data)) return [error('docker-compose v1: the file does not parse')];
  const { data, removed } = v1Projection(parsed.data);
  const dir = mkdtempSync(join(tmpdir(), 'compose-v1-'));
  try {
    const projected = join(dir, 'docker-compose.json');
    writeFileSync(projected, JSON.stringify(data));
    const r = run(
      'docker-compose',
      ['-f', projected, '--project-directory', projectDir, 'config', '-q'],
      projectDir,
    );
    if (r.status !== 0)
      return [
        error(`docker-compose ${version} rejects the file beyond newer-than-v1 keys: ${r.output}`),
      ];
    return [
      note(
        `docker-compose ${version} (Debian) predates ${removed.length ? removed.join(', ') : 'parts of the Compose Specification'}; ` +
          'without those keys it accepts the file (they are covered by the schema check). Policy: v2 decides when installed; ' +
          'v1 fails the check only for errors outside the keys it predates.',
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';
