// The web's build refuses a Supabase secret key in a NEXT_PUBLIC_* variable (those are inlined
// into the browser bundle) and warns about the legacy anon key name (issue 14 item 10). The
// check lives in web/next.config.ts, so the real `next build` is run: it must stop while
// loading the config, before compiling anything, with a message that names the variable and
// not the value.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { repoRoot } from './deploy-fixture.ts';

const webDir = join(repoRoot, 'web');
// Its own dist dir: a build that wrongly went ahead must not clobber the e2e's .next.
const DIST_DIR = '.next-public-env-test';
const SECRET = 'sb_secret_d0NotShipMeInTheBundle-0123456789ab';

interface Run {
  code: number | null;
  output: string;
}

/** Runs `cmd` in web/ with `env` added; kills it after `timeoutMs` (a build that went ahead). */
function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: webDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', WEB_BUILD_DIST_DIR: DIST_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms: the build went ahead]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('web build: NEXT_PUBLIC_* and Supabase keys', () => {
  test('next build stops on a Supabase secret key in NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY, naming the variable only', async () => {
    try {
      const r = await run(
        [join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
        {
          NODE_ENV: 'production',
          NEXT_PUBLIC_SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co',
          NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: SECRET,
        },
        90_000,
      );
      expect(r.output).toContain(
        'NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY holds a Supabase secret key (sb_secret_…)',
      );
      expect(r.code).not.toBe(0);
      expect(r.output).not.toContain(SECRET.slice('sb_secret_'.length));
      // Stopped before compiling: no build output was written.
      expect(existsSync(join(webDir, DIST_DIR, 'BUILD_ID'))).toBe(false);
    } finally {
      rmSync(join(webDir, DIST_DIR), { recursive: true, force: true });
    }
  }, 120_000);

  test('the legacy NEXT_PUBLIC_SUPABASE_ANON_KEY still loads, with a deprecation warning', async () => {
    // Loading next.config.ts is what `next build` does first; a whole build is not needed here.
    const r = await run(
      [
        '--input-type=module',
        '-e',
        "await import('./next.config.ts'); console.log('config loaded');",
      ],
      { NODE_ENV: 'production', NEXT_PUBLIC_SUPABASE_ANON_KEY: 'sb_publishable_legacy-name-0123' },
      30_000,
    );
    expect(r.code).toBe(0);
    expect(r.output).toContain('config loaded');
    expect(r.output).toContain(
      'NEXT_PUBLIC_SUPABASE_ANON_KEY is deprecated: rename it to NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY',
    );
  });
});
