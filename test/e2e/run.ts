// `npm run test:e2e`: one self-contained command. Starts the stack (fresh migrated database,
// api, worker, the web's production build; see web/scripts/local-stack.ts), runs the browser
// tests in Debian's Chromium, stops every process it started by pid, removes its data, and
// exits with Jest's code. Screenshots: artifacts/screenshots/.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../web/scripts/local-stack.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const t0 = Date.now();
const log = (line: string) =>
  process.stderr.write(`[e2e ${Math.round((Date.now() - t0) / 1000)}s] ${line}\n`);

let stack: LocalStack | undefined;
let stopping = false;
const stop = async () => {
  if (stopping || !stack) return;
  stopping = true;
  log('stopping the stack');
  await stack.stop();
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void stop().then(() => process.exit(130));
  });
}

let code = 1;
try {
  stack = await startLocalStack({ log, forceBuild: process.argv.includes('--rebuild') });
  const jest = spawn(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--config',
      'test/e2e/jest.config.js',
      ...process.argv.slice(2).filter((a) => a !== '--rebuild'),
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        E2E_WEB_URL: stack.webUrl,
        E2E_API_URL: stack.apiUrl,
        E2E_API_PID: String(stack.pids.api),
        NODE_NO_WARNINGS: '1',
      },
    },
  );
  code = await new Promise<number>((resolve) => jest.once('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) log(`browser tests failed; process output:\n${stack.logs()}`);
} catch (err) {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  await stop();
}
process.exit(code);
