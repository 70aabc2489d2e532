// web/vercel.json: Vercel's schema, security headers, no wildcard CORS, and an ignore step
// whose exit codes are proved by running it against a stand-in turbo.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaMessages, vercelSchema } from './schemas.ts';
import { error, type CheckResult, type Finding } from './report.ts';
import { isRecord } from './yaml-source.ts';

/** Headers every response of the web app carries (CSP lives in next.config: it needs the API origin). */
export const REQUIRED_HEADERS: Record<string, RegExp> = {
  'X-Content-Type-Options': /^nosniff$/i,
  'X-Frame-Options': /^DENY$/i,
  'Referrer-Policy': /^(strict-origin-when-cross-origin|strict-origin|no-referrer|same-origin)$/i,
  'Strict-Transport-Security': /max-age=\d{7,}/i,
  'Permissions-Policy': /.+/,
};

const CATCH_ALL_SOURCES = new Set(['/(.*)', '/:path*', '/(.*)?', '/:path(.*)']);

export function validateVercel(
  text: string,
  target: string,
  webPackage: string,
  turboVersion?: string,
): CheckResult[] {
  const schema: CheckResult = { check: 'vercel: vercel.json schema', target, findings: [] };
  const rules: CheckResult = { check: 'vercel: headers, CORS, ignore step', target, findings: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    schema.findings.push(error(`not JSON: ${(e as Error).message}`));
    return [schema];
  }
  const validate = vercelSchema();
  if (!validate(data)) schema.findings.push(...schemaMessages(validate.errors).map(error));
  if (!isRecord(data)) return [schema];

  rules.findings.push(...headerRules(data), ...rewriteRules(data));
  if ('env' in data || (isRecord(data.build) && 'env' in data.build))
    rules.findings.push(
      error('`env` in vercel.json is deprecated: use the project’s environment variables'),
    );
  if (typeof data.ignoreCommand !== 'string')
    rules.findings.push(error('no ignoreCommand: every commit would rebuild the web'));
  else rules.findings.push(...ignoreCommandRules(data.ignoreCommand, webPackage, turboVersion));
  return [schema, rules];
}

type Header = { key: string; value: string };

function headerRules(data: Record<string, unknown>): Finding[] {
  const f: Finding[] = [];
  const entries = Array.isArray(data.headers)
    ? (data.headers as { source: string; headers: Header[] }[])
    : [];
  for (const entry of entries)
    for (const h of entry.headers ?? [])
      if (/^access-control-allow-origin$/i.test(h.key) && h.value.trim() === '*')
        f.push(
          error(
            `${entry.source}: Access-Control-Allow-Origin: * (wildcard CORS); list origins in the API's CORS_ORIGINS instead`,
          ),
        );
  const catchAll = entries
    .filter((e) => CATCH_ALL_SOURCES.has(e.source))
    .flatMap((e) => e.headers ?? []);
  for (const [key, pattern] of Object.entries(REQUIRED_HEADERS)) {
    const h = catchAll.find((x) => x.key.toLowerCase() === key.toLowerCase());
    if (!h) f.push(error(`security header ${key} is not set for every path (source "/(.*)")`));
    else if (!pattern.test(h.value))
      f.push(error(`security header ${key}: "${h.value}" does not match ${String(pattern)}`));
  }
  return f;
}

function rewriteRules(data: Record<string, unknown>): Finding[] {
  const rewrites = Array.isArray(data.rewrites) ? (data.rewrites as { destination: string }[]) : [];
  return rewrites
    .filter(
      (r) =>
        /^http:\/\//.test(r.destination) ||
        /example\.(com|org)|your-|<|CHANGE/i.test(r.destination),
    )
    .map((r) => error(`rewrite destination ${r.destination} is plain http or a placeholder`));
}

/**
 * Vercel skips the build when the ignore command exits 0 and builds on any other code.
 * `turbo query affected --exit-code` exits 0 when unaffected, 1 when affected, 2 on error —
 * already the right sense, so no inversion: 0 skips, 1 and 2 build. Proved here by running
 * the command with a stand-in `npx` that answers each code.
 */
export function ignoreCommandRules(
  command: string,
  webPackage: string,
  turboVersion?: string,
): Finding[] {
  const f: Finding[] = [];
  const pinned = /turbo@(\S+)/.exec(command)?.[1];
  if (pinned && turboVersion && pinned !== turboVersion)
    f.push(
      error(
        `ignoreCommand runs turbo@${pinned}, package-lock.json has ${turboVersion}: keep them in step`,
      ),
    );
  if (!/turbo(@\S+)?\s+query\s+affected\b/.test(command))
    f.push(error('ignoreCommand does not use `turbo query affected`'));
  if (!command.includes('--exit-code')) f.push(error('ignoreCommand lacks --exit-code'));
  const pkg = /--packages[\s=]+(\S+)/.exec(command)?.[1];
  if (pkg !== webPackage)
    f.push(
      error(
        `ignoreCommand checks package ${pkg ?? '(none)'}, not ${webPackage}: an unknown package is never "affected", so the web would never build`,
      ),
    );
  if (f.length) return f;

  const cases: { name: string; turboExit: number; previousSha?: string; expectBuild: boolean }[] = [
    { name: 'unaffected (turbo exits 0)', turboExit: 0, previousSha: 'abc123', expectBuild: false },
    { name: 'affected (turbo exits 1)', turboExit: 1, previousSha: 'abc123', expectBuild: true },
    { name: 'turbo error (exits 2)', turboExit: 2, previousSha: 'abc123', expectBuild: true },
    { name: 'first deploy of a branch (no previous SHA)', turboExit: 0, expectBuild: true },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'vercel-ignore-'));
  try {
    const log = join(dir, 'calls.log');
    // Stand-ins for both ways of calling turbo (npx before install, or an installed turbo).
    for (const name of ['npx', 'turbo']) {
      const fake = join(dir, name);
      writeFileSync(fake, `#!/bin/sh\necho "$*" >> "${log}"\nexit "$FAKE_TURBO_EXIT"\n`);
      chmodSync(fake, 0o755);
    }
    for (const c of cases) {
      writeFileSync(log, '');
      const env: NodeJS.ProcessEnv = {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        FAKE_TURBO_EXIT: String(c.turboExit),
      };
      if (c.previousSha) env.VERCEL_GIT_PREVIOUS_SHA = c.previousSha;
      const r = spawnSync('sh', ['-c', command], { env, encoding: 'utf8', timeout: 10_000 });
      const built = r.status !== 0;
      if (built !== c.expectBuild)
        f.push(
          error(
            `ignoreCommand, ${c.name}: exits ${String(r.status)}, so Vercel would ${built ? 'build' : 'skip the build'}`,
          ),
        );
      const calls = readFileSync(log, 'utf8');
      if (c.previousSha && calls && !calls.includes(c.previousSha))
        f.push(
          error(
            'ignoreCommand does not compare against VERCEL_GIT_PREVIOUS_SHA (the last deployed commit)',
          ),
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return f;
}
