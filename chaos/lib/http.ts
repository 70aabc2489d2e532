export interface HttpResult {
  /** 0 when no answer came (connection refused, reset, timeout). */
  status: number;
  body: unknown;
  error?: string;
  ms: number;
}

/** One request with a timeout; never throws (network errors come back as status 0). */
export async function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  const t0 = performance.now();
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body,
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, ms: performance.now() - t0 };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return {
      status: 0,
      body: undefined,
      error: cause?.code ?? (err instanceof Error ? err.name : String(err)),
      ms: performance.now() - t0,
    };
  }
}
