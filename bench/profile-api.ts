// npm run bench:profile [-- --target ours|express|oursSentry] [-- --seconds 10] [-- --top 25]
//   [-- --out FILE.md] [-- --placement pinned|unpinned]
//
// A CPU profile per request of one API server under the api scenario's load: the server
// (bench/servers/*) runs with `node --cpu-prof`, autocannon loads it (warm-up, then the
// measured window), SIGTERM makes it exit and write the profile, and the samples inside the
// measured window are summed per function and per layer and divided by the requests served in
// that window: µs of server CPU per request. Rerun it after a change to compare.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSentryIngest } from '@saas/shared/observability';
import { openPinning } from './lib/affinity.ts';
import { apiBenchSetup, cleanupPrefix } from './lib/api-env.ts';
import { REPO_ROOT, startChild } from './lib/child-process.ts';
import { selfTimes, top, type CpuProfile } from './lib/cpu-profile.ts';
import { runLoad } from './lib/load.ts';
import { progress } from './lib/progress.ts';
import { preflight } from './lib/services.ts';
import { UPLOAD_PATH } from './servers/payload.ts';

type TargetId = 'ours' | 'express' | 'oursSentry';

function parse(argv: readonly string[]) {
  const o = {
    target: 'ours' as TargetId,
    seconds: 10,
    top: 25,
    out: undefined as string | undefined,
    placement: 'pinned' as 'pinned' | 'unpinned',
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--target':
        if (v !== 'ours' && v !== 'express' && v !== 'oursSentry')
          throw new Error('--target is ours, express or oursSentry');
        o.target = v;
        i++;
        break;
      case '--seconds':
        o.seconds = Number(v);
        i++;
        break;
      case '--top':
        o.top = Number(v);
        i++;
        break;
      case '--out':
        o.out = v;
        i++;
        break;
      case '--placement':
        if (v !== 'pinned' && v !== 'unpinned')
          throw new Error('--placement is pinned or unpinned');
        o.placement = v;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!(o.seconds > 0) || !(o.top > 0)) throw new Error('--seconds and --top want numbers > 0');
  return o;
}

const us = (n: number): string => n.toFixed(1);

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  await preflight();
  const setup = await apiBenchSetup();
  const dir = await mkdtemp(join(tmpdir(), 'bench-prof-'));
  const ingest = o.target === 'oursSentry' ? await startFakeSentryIngest() : undefined;
  const script =
    o.target === 'express' ? 'bench/servers/bare-express.ts' : 'bench/servers/api-stack.ts';
  const child = await startChild(script, {
    env: setup.env(ingest ? { SENTRY_DSN: ingest.dsn, SENTRY_TRACES_SAMPLE_RATE: '0' } : {}),
    nodeArgs: [
      ...(o.target === 'oursSentry' ? ['--import', './api/src/instrument.ts'] : []),
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
    ],
  });
  const pinning = o.placement === 'pinned' ? await openPinning() : undefined;
  try {
    await pinning?.place('pinned', [child.pid]);
    const url = `http://127.0.0.1:${String(child.ready.port)}${UPLOAD_PATH}`;
    progress(`profile: ${o.target}, warm-up 3 s`);
    await runLoad({ url, connections: 50, durationS: 3, headers: setup.headers });
    progress(`profile: measuring ${o.seconds} s`);
    const t0 = process.hrtime.bigint();
    const res = await runLoad({
      url,
      connections: 50,
      durationS: o.seconds,
      headers: setup.headers,
    });
    const t1 = process.hrtime.bigint();
    if (res.non2xx + res.errors > 0)
      throw new Error(
        `non-2xx ${res.non2xx}, errors ${res.errors}: ${JSON.stringify(res.statusCodes)}`,
      );
    await child.stop(20_000);
    const t2 = process.hrtime.bigint();
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    if (!file)
      throw new Error(`no .cpuprofile in ${dir} (did the server exit through process.exit?)`);
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    // The window, measured back from the profile's end (the exit): [t2 - t0, t2 - t1] µs.
    const self = selfTimes(profile, REPO_ROOT, {
      fromEndUs: Number(t2 - t0) / 1000,
      toEndUs: Number(t2 - t1) / 1000,
    });
    const requests = res.rps * o.seconds;
    const perReq = (v: number): number => v / requests;
    const lines = [
      `# CPU profile per request: ${o.target} (${o.placement})`,
      '',
      `${new Date().toISOString()} · Node ${process.version} · \`GET /v1/bench/uploads/:id\`, 50 connections, ${o.seconds} s after a 3 s warm-up · ${Math.round(res.rps)} req/s, p99 ${res.p99} ms`,
      '',
      `Server CPU per request: **${us(perReq(self.busyUs))} µs** (idle excluded; window ${Math.round(self.windowUs / 1000)} ms sampled, ${Math.round((self.busyUs / Math.max(1, self.windowUs)) * 100)} % busy).`,
      '',
      '| layer | µs / request | % of busy |',
      '| --- | --- | --- |',
      ...top(self.byLayer, o.top).map(
        ([k, v]) => `| ${k} | ${us(perReq(v))} | ${((v / self.busyUs) * 100).toFixed(1)} |`,
      ),
      '',
      '| function (self time) | µs / request | % of busy |',
      '| --- | --- | --- |',
      ...top(self.byFunction, o.top).map(
        ([k, v]) =>
          `| \`${k.replace(/\|/g, '\\|')}\` | ${us(perReq(v))} | ${((v / self.busyUs) * 100).toFixed(1)} |`,
      ),
      '',
    ];
    const text = lines.join('\n');
    process.stdout.write(`${text}\n`);
    if (o.out) {
      await writeFile(resolve(process.cwd(), o.out), text);
      progress(`written to ${o.out}`);
    }
  } finally {
    await pinning?.restore();
    await child.stop();
    await ingest?.close();
    await cleanupPrefix(setup.prefix);
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
setTimeout(() => process.exit(), 2000).unref();
