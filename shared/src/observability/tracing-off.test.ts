import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnNode } from '@saas/shared/test-support';
import { startFakeSentryIngest, type FakeSentryIngest } from './fake-sentry-ingest.ts';

const fixture = fileURLToPath(new URL('./test-fixtures/tracing-child.ts', import.meta.url));

// The SDK falls back to process.env.SENTRY_TRACES_SAMPLE_RATE when its option is undefined, and
// a rate of 0 still runs the span machinery on every request (5× the cost of the rest of the
// API's middleware in bench/). SENTRY_TRACES_SAMPLE_RATE=0 must mean no spans at all.
describe('SENTRY_TRACES_SAMPLE_RATE=0 turns tracing off (real SDK in a child process)', () => {
  let ingest: FakeSentryIngest;
  const run = async (rate: string): Promise<string> => {
    const child = spawnNode(fixture, {
      args: [rate],
      env: { SENTRY_DSN: ingest.dsn, SENTRY_TRACES_SAMPLE_RATE: rate },
    });
    const { code } = await child.exited;
    if (code !== 0) throw new Error(`fixture exited ${code}:\n${child.lines.join('\n')}`);
    return child.lines.find((l) => l.startsWith('tracesSampleRate=')) ?? child.lines.join('\n');
  };

  beforeAll(async () => {
    ingest = await startFakeSentryIngest();
  });
  afterAll(async () => {
    await ingest.close();
  });

  test('0: no span around a request, whatever the variable says', async () => {
    expect(await run('0')).toBe('tracesSampleRate=null span=false');
  });

  test('0.5: requests run in spans (the control: the check can see tracing)', async () => {
    expect(await run('0.5')).toBe('tracesSampleRate=0.5 span=true');
  });
});
