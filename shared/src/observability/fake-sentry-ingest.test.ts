import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  parseEnvelope,
  startFakeSentryIngest,
  type FakeSentryIngest,
} from './fake-sentry-ingest.ts';

const envelope = [
  JSON.stringify({ event_id: 'abc', dsn: 'http://publickey@127.0.0.1/1' }),
  JSON.stringify({ type: 'event' }),
  JSON.stringify({ event_id: 'abc', message: 'hello' }),
  JSON.stringify({ type: 'attachment', length: 11 }),
  'line1\nline2',
  JSON.stringify({ type: 'session' }),
  JSON.stringify({ status: 'ok' }),
].join('\n');

describe('fake Sentry ingest server', () => {
  let ingest: FakeSentryIngest;
  beforeAll(async () => {
    ingest = await startFakeSentryIngest();
  });
  afterAll(async () => {
    await ingest.close();
  });

  test('parses items with and without an explicit length', () => {
    const parsed = parseEnvelope(Buffer.from(envelope));
    expect(parsed.header).toMatchObject({ event_id: 'abc' });
    expect(parsed.items.map((i) => i.header.type)).toEqual(['event', 'attachment', 'session']);
    expect(parsed.items[1]?.payload).toBe('line1\nline2');
    expect(parsed.items[2]?.payload).toEqual({ status: 'ok' });
  });

  test.each([
    ['identity', (b: Buffer) => b],
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('accepts %s bodies', async (encoding, encode) => {
    const before = ingest.events().length;
    const port = new URL(ingest.dsn).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/1/envelope/?sentry_key=publickey`, {
      method: 'POST',
      headers: encoding === 'identity' ? {} : { 'content-encoding': encoding },
      body: encode(Buffer.from(envelope)),
    });
    expect(res.status).toBe(200);
    const events = await ingest.waitForEvents(before + 1);
    expect(events.at(-1)).toEqual({ event_id: 'abc', message: 'hello' });
  });
});
