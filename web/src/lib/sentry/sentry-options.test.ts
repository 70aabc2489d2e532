import { describe, expect, it } from '@jest/globals';
import { sentryOptions } from './sentry-options.ts';

describe('sentryOptions', () => {
  it('scrubs events with the back end’s rules: tokens, emails, signed URLs and sensitive fields', () => {
    const o = sentryOptions({ dsn: 'https://k@o1.ingest.sentry.io/1', environment: 'test' });
    expect(o.sendDefaultPii).toBe(false);
    const event = {
      message:
        'upload failed for jane@example.com with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      request: { headers: { authorization: 'Bearer abc', 'user-agent': 'x' } },
      breadcrumbs: [
        {
          data: {
            url: 'http://127.0.0.1:9000/uploads/k?X-Amz-Signature=deadbeef&X-Amz-Expires=300',
          },
        },
      ],
      user: { email: 'jane@example.com', id: 'u1' },
    };
    const out = JSON.stringify(o.beforeSend(event));
    expect(out).not.toContain('jane@example.com');
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(out).not.toContain('deadbeef');
    expect(out).not.toContain('Bearer abc');
    expect(out).toContain('user-agent');
    expect(out).toContain('u1');
  });
});
