// An empty Next.js page, built with the same Next, React and Turbopack as the web: Lighthouse's
// "framework floor" on this machine right now, printed next to the web's pages so a low
// performance score can be told apart from a slow, busy machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@saas/shared/test-support';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repo (Turbopack resolves only under its root) and git-ignored.
const dir = join(repoRoot, '.local', 'lighthouse-reference');
const nextBin = join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');

const FILES: Record<string, string> = {
  'package.json': '{ "name": "lighthouse-reference", "private": true, "type": "module" }\n',
  'next.config.mjs': `export default { turbopack: { root: ${JSON.stringify(repoRoot)} } };\n`,
  'app/layout.js': `export const metadata = { title: 'Reference', description: 'An empty Next.js page.' };
export default function Layout({ children }) {
  return (<html lang="en"><body><main>{children}</main></body></html>);
}
`,
  'app/page.js': `export default function Page() {
  return (<><h1>Reference</h1><p>An empty Next.js page, for comparison.</p></>);
}
`,
};

const spawnNext = (args: string[], env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, [nextBin, ...args], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });

/** The `next` processes started here and still running (a build or the server). */
const live = new Set<ChildProcess>();

const run = (args: string[], env: Record<string, string>): ChildProcess => {
  const child = spawnNext(args, env);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
};

/** SIGTERM to every `next` process started here, by pid, and waits for them (signal handlers). */
export async function stopReferenceProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Builds the page once (kept in .local/), serves it with `next start`, stops it by pid. */
export async function startReferenceApp(): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    for (const [name, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const build = run(['build'], { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });
    const code = await new Promise<number | null>((r) => build.once('exit', r));
    if (code !== 0) throw new Error(`reference app: next build exited ${code}`);
  }
  const port = await freePort();
  const server = run(['start', '-p', String(port), '-H', '127.0.0.1'], {
    NEXT_TELEMETRY_DISABLED: '1',
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error('reference app did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async stop() {
      if (server.exitCode !== null || !server.pid) return;
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(server.pid, 'SIGTERM');
      await exited;
    },
  };
}
