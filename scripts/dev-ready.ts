// Started by scripts/dev.sh next to the dev processes: waits until the api, the worker and the
// web answer, prints one progress line for each, then the ready banner (URLs, how to sign in,
// where logs and data live, how to stop). It only reads: stopping it changes nothing.
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const localDir = process.env.LOCAL_DIR ?? `${repoRoot}.local`;
const elapsedBefore = Number(process.env.DEV_ELAPSED_S ?? 0);
const t0 = Date.now();
const seconds = (): number => elapsedBefore + Math.round((Date.now() - t0) / 1000);
/** Past this, say what is still missing (and keep waiting: a first `next dev` compile is slow). */
const SLOW_AFTER_MS = 180_000;

const targets = [
  { name: 'api', url: 'http://127.0.0.1:4000/health/ready' },
  { name: 'worker', url: 'http://127.0.0.1:4001/health/ready' },
  // The first request makes `next dev` compile the page: waiting on it warms the web up.
  { name: 'web', url: 'http://localhost:3000/login' },
];

const say = (line: string): void => {
  process.stderr.write(`[dev] ${line}\n`);
};

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(target: { name: string; url: string }): Promise<void> {
  let warned = false;
  while (!(await ready(target.url))) {
    if (!warned && Date.now() - t0 > SLOW_AFTER_MS) {
      warned = true;
      say(
        `${target.name}: not ready after ${seconds()} s (${target.url}); see its log lines above`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`${target.name} ready (${seconds()} s)`);
}

process.on('SIGTERM', () => process.exit(0));
await Promise.all(targets.map(waitFor));

const bold = (s: string): string => (process.stderr.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
process.stderr.write(
  [
    '',
    bold(`Ready in ${seconds()} s.`),
    '  web     http://localhost:3000',
    '  api     http://127.0.0.1:4000   (health: /health/ready, metrics: /metrics)',
    '  worker  http://127.0.0.1:4001/health/ready',
    '  sign in http://localhost:3000/login with any email (development sign-in, no password)',
    `  logs    here (one line per event); services: ${localDir}/log/`,
    `  data    ${localDir}/ (PostgreSQL, Redis, S3); npm run services:down stops them`,
    '  stop    Ctrl-C (once: orderly shutdown; twice: at once)',
    '',
  ].join('\n'),
);
