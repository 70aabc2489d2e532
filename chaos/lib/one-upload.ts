import type { ChaosProcess } from './processes.ts';

export interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** One JSON request with its Retry-After; never throws (no answer is status 0). */
export async function send(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: { ...init.headers, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  } catch (err) {
    return { status: 0, retryAfter: null, body: String(err) };
  }
}

/** Create + PUT (the PUT goes to the S3 server directly, as a browser's would); the upload id. */
export async function createAndPut(
  api: ChaosProcess,
  auth: Record<string, string>,
  png: Buffer,
  filename: string,
): Promise<string> {
  const created = await send(`${api.base}/v1/uploads`, {
    method: 'POST',
    headers: auth,
    body: { filename, contentType: 'image/png', size: png.length },
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}`);
  const c = created.body as { id: string; uploadUrl: string; headers: Record<string, string> };
  const put = await fetch(c.uploadUrl, { method: 'PUT', headers: c.headers, body: png });
  if (!put.ok) throw new Error(`PUT answered ${put.status}`);
  return c.id;
}

export const complete = (
  api: ChaosProcess,
  auth: Record<string, string>,
  id: string,
): Promise<Answer> =>
  send(`${api.base}/v1/uploads/${id}/complete`, { method: 'POST', headers: auth });
