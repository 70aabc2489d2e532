import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueId } from '@saas/shared/test-support';
import { secretVariables } from '../../scripts/secrets-generate.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/secrets-generate.ts');

/** Runs the script with `input` piped to stdin (not a terminal), like `echo … | npm run …`. */
function runScript(
  args: string[],
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', script, ...args], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const assignments = (out: string): Map<string, string> =>
  new Map([...out.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('npm run secrets:generate', () => {
  const vars = secretVariables();
  const generated = vars.filter((v) => !v.provider).map((v) => v.name);
  const provided = vars.filter((v) => v.provider).map((v) => v.name);

  it('finds the secret variables of both schemas and tells generated from provider ones', () => {
    expect(generated).toEqual(expect.arrayContaining(['AUTH_JWT_SECRET', 'METRICS_TOKEN']));
    expect(provided).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'REDIS_URL',
        'SENTRY_DSN',
        'S3_SECRET_ACCESS_KEY',
        'SUPABASE_SECRET_KEY',
        'SUPABASE_SERVICE_ROLE_KEY',
      ]),
    );
    expect(vars.find((v) => v.name === 'METRICS_TOKEN')?.processes).toEqual(['api', 'worker']);
  });

  it('prints a strong, fresh value for every generated secret and names the provider ones', async () => {
    const [first, second] = await Promise.all([runScript([]), runScript([])]);
    expect(first.code).toBe(0);
    const a = assignments(first.stdout);
    const b = assignments(second.stdout);
    expect([...a.keys()].sort()).toEqual([...generated].sort());
    for (const name of generated) {
      expect(a.get(name)).toMatch(/^[A-Za-z0-9_-]{43,}$/); // base64url of ≥ 32 random bytes
      expect(a.get(name)).not.toBe(b.get(name));
    }
    expect(new Set(a.values()).size).toBe(a.size);
    for (const name of provided) {
      expect(first.stdout).toMatch(new RegExp(`^#\\s+${name} \\(`, 'm'));
      expect(a.has(name)).toBe(false);
    }
  });

  describe('--interactive', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ops-secrets-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('never echoes or prints back what is typed, and writes the file with mode 0600', async () => {
      const out = join(dir, 'prod.env');
      // One answer per provider variable, in the order asked; distinctive values to search for.
      const answers = new Map(
        provided.map((name) => [
          name,
          name === 'DATABASE_URL'
            ? `postgres://app:${uniqueId('pw')}@db.example.com:5432/postgres`
            : name === 'REDIS_URL'
              ? `rediss://default:${uniqueId('pw')}@redis.example.com:6379`
              : name === 'SENTRY_DSN'
                ? `https://${uniqueId('key')}@o1.ingest.sentry.io/1`
                : uniqueId(`${name.toLowerCase()}-`),
        ]),
      );
      const res = await runScript(
        ['--interactive', '--out', out],
        `${[...answers.values()].join('\n')}\n`,
      );
      expect(res.code).toBe(0);
      const shown = res.stdout + res.stderr;
      for (const [name, value] of answers) {
        expect(shown).not.toContain(value);
        expect(shown).toContain(`${name}: set (value not shown)`);
      }
      const written = assignments(readFileSync(out, 'utf8'));
      for (const [name, value] of answers) expect(written.get(name)).toBe(value);
      for (const name of generated) expect(written.get(name)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    });

    it('refuses to overwrite an existing file, and skips invalid values without showing them', async () => {
      const existing = join(dir, 'existing.env');
      writeFileSync(existing, 'KEEP=1\n');
      const bad = `not-a-url-${uniqueId()}`;
      const first = provided[0]!;
      const [refused, res] = await Promise.all([
        runScript(['--interactive', '--out', existing], '\n'),
        runScript(['--interactive', '--out', join(dir, 'skip.env')], `${bad}\n`),
      ]);
      expect(refused.code).toBe(2);
      expect(readFileSync(existing, 'utf8')).toBe('KEEP=1\n');
      expect(res.code).toBe(0);
      expect(res.stdout + res.stderr).not.toContain(bad);
      expect(res.stdout).toContain(
        `${first}: skipped — not a valid value for it (value not shown)`,
      );
    });
  });
});
