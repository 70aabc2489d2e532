/** What the checks read from one HTTP exchange. */
export interface ProbeResponse {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  ms: number;
}

/** The request did not get an answer: the message says why, in words an operator can act on. */
export class ProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

export interface ProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

function describe(err: unknown, url: string, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `${url}: no answer within ${timeoutMs} ms`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const reason =
    CAUSES[code] ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return `${url}: ${reason}`;
}

/**
 * One request, redirects not followed (the https-redirect check reads the 3xx itself), with a
 * hard timeout. Never throws for an HTTP status: only when no answer came.
 */
export async function probe(url: string, options: ProbeOptions): Promise<ProbeResponse> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = await res.text();
    return {
      url,
      status: res.status,
      headers: res.headers,
      body,
      ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    throw new ProbeError(describe(err, url, options.timeoutMs));
  }
}
