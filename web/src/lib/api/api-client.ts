// First: zod must be configured before the contracts build their schemas.
import './zod-jitless.ts';
import {
  apiRoutes,
  healthReport,
  pathFor,
  PROBLEM_TYPES,
  problemDetails,
  type CreateUploadRequest,
  type CreateUploadResponse,
  type DevLoginRequest,
  type DevLoginResponse,
  type DownloadUploadResponse,
  type FieldError,
  type HealthReport,
  type ListUploadsQuery,
  type ListUploadsResponse,
  type MeResponse,
  type RouteContract,
  type Upload,
  type UploadLimits,
} from '@saas/shared/contracts';
import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import { describeFieldErrors, describeProblem } from './problem-message.ts';
import { newTraceparent } from './traceparent.ts';

export interface ApiClientOptions {
  /** An origin (https://api.example.com) or a same-origin path prefix (/api). */
  baseUrl: string;
  /** The bearer token for routes that need one; undefined when signed out. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  /** Called once per 401, e.g. to drop the session and send the user to /login. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  /** One id per call, sent as X-Request-Id: the API's log line, the job and Sentry carry it too. */
  newRequestId?: () => string;
  /**
   * One W3C `traceparent` per call (default: fresh ids, flags 01): with tracing on, the API's
   * request span, the job and its queries continue this trace. `() => undefined` sends none.
   */
  newTraceparent?: () => string | undefined;
  /**
   * Where health() reads the report. Default: the API's /health. The web uses its own
   * same-origin /status/report, which asks the API server to server.
   */
  healthUrl?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /**
   * Idempotency-Key: one per user action (not per attempt). A lost answer is retried with the
   * same key, and the API replays the first answer instead of doing the work twice.
   */
  idempotencyKey?: string;
}

/** Attempts of a keyed write: a lost answer (network) or an in-flight 409 is retried. */
const KEYED_ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

/** The API's routes as typed methods; every body is checked against shared/contracts both ways. */
export interface ApiClient {
  devLogin(body: DevLoginRequest, o?: CallOptions): Promise<DevLoginResponse>;
  me(o?: CallOptions): Promise<MeResponse>;
  uploadLimits(o?: CallOptions): Promise<UploadLimits>;
  createUpload(body: CreateUploadRequest, o?: WriteOptions): Promise<CreateUploadResponse>;
  listUploads(query?: Partial<ListUploadsQuery>, o?: CallOptions): Promise<ListUploadsResponse>;
  getUpload(id: string, o?: CallOptions): Promise<Upload>;
  completeUpload(id: string, o?: WriteOptions): Promise<Upload>;
  downloadUpload(id: string, o?: CallOptions): Promise<DownloadUploadResponse>;
  deleteUpload(id: string, o?: CallOptions): Promise<void>;
  /** The health report, also when the API answers 503 with it (a failing check is data here). */
  health(o?: CallOptions): Promise<HealthReport>;
}

interface Call {
  /** Overrides base + route path. */
  url?: string | undefined;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  idempotencyKey?: string | undefined;
}

const ACCEPT = 'application/json, application/problem+json';

const zodToFieldErrors = (err: z.ZodError): FieldError[] =>
  err.issues.map((i) => ({
    location: 'body',
    path: i.path.map(String).join('.'),
    message: i.message,
    code: i.code,
  }));

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const doFetch =
    opts.fetch ??
    ((input: Parameters<typeof fetch>[0], init?: RequestInit) => globalThis.fetch(input, init));
  const newRequestId = opts.newRequestId ?? (() => globalThis.crypto.randomUUID());
  const base = opts.baseUrl.replace(/\/+$/, '');
  const apiName = /^https?:/.test(base) ? `the API at ${new URL(base).host}` : 'the API';

  async function send(
    route: RouteContract,
    call: Call,
  ): Promise<{ res: Response; requestId: string }> {
    let body: string | undefined;
    if (route.body) {
      const parsed = route.body.safeParse(call.body);
      if (!parsed.success) {
        // Caught before the network: the same rules the API would answer 400 with.
        throw new ApiError({
          kind: 'invalid',
          message: describeFieldErrors(zodToFieldErrors(parsed.error)),
        });
      }
      body = JSON.stringify(parsed.data);
    }
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) qs.set(k, String(v));
    const url =
      call.url ??
      `${base}${pathFor(route.path, call.params)}${qs.size > 0 ? `?${qs.toString()}` : ''}`;
    const requestId = newRequestId();
    const headers: Record<string, string> = { Accept: ACCEPT, 'X-Request-Id': requestId };
    const traceparent = (opts.newTraceparent ?? newTraceparent)();
    if (traceparent) headers.traceparent = traceparent;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (call.idempotencyKey) headers['Idempotency-Key'] = call.idempotencyKey;
    if (route.auth) {
      const token = await opts.getToken?.();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    try {
      const res = await doFetch(url, {
        method: route.method,
        headers,
        body,
        signal: call.signal,
        cache: 'no-store',
      });
      return { res, requestId };
    } catch (err) {
      // Cancelled or timed out by the caller: theirs to report, not a network failure.
      if (call.signal?.aborted) throw err;
      throw new ApiError({
        kind: 'network',
        message: `Cannot reach ${apiName}. Check your connection and try again; if it keeps failing, the service may be down (see the Status page).`,
        cause: err,
      });
    }
  }

  async function readJson(res: Response): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      return undefined;
    }
  }

  async function failure(res: Response, requestId: string): Promise<never> {
    const ct = res.headers.get('content-type') ?? '';
    const data = ct.includes('json') ? await readJson(res) : undefined;
    const problem = problemDetails.safeParse(data);
    if (res.status === 401) opts.onUnauthorized?.();
    if (problem.success) {
      throw new ApiError({
        kind: 'problem',
        status: problem.data.status,
        problem: problem.data,
        message: describeProblem(problem.data),
      });
    }
    throw new ApiError({
      kind: 'unexpected',
      status: res.status,
      message: `${apiName[0]!.toUpperCase()}${apiName.slice(1)} answered with an unexpected HTTP ${res.status}. Try again in a moment. (Reference: ${requestId})`,
    });
  }

  /** A keyed write is safe to send again: retries a lost answer and an in-flight 409. */
  async function sendKeyed(
    route: RouteContract,
    c: Call,
  ): Promise<{ res: Response; requestId: string }> {
    for (let attempt = 1; ; attempt++) {
      const last = !c.idempotencyKey || attempt >= KEYED_ATTEMPTS;
      try {
        const sent = await send(route, c);
        const inFlight =
          sent.res.status === 409 &&
          problemDetails.safeParse(await readJson(sent.res.clone())).data?.type ===
            PROBLEM_TYPES.idempotencyInFlight;
        if (!inFlight || last) return sent;
      } catch (err) {
        if (last || !(err instanceof ApiError) || err.kind !== 'network') throw err;
      }
      await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
      if (c.signal?.aborted) throw c.signal.reason;
    }
  }

  async function call<T>(route: RouteContract, c: Call): Promise<T> {
    const { res, requestId } = await sendKeyed(route, c);
    if (res.status !== route.status) return failure(res, requestId);
    if (route.response === null) return undefined as T;
    const parsed = route.response.safeParse(await readJson(res));
    if (!parsed.success) {
      throw new ApiError({
        kind: 'unexpected',
        status: res.status,
        message: `The answer of ${apiName} did not match what this page expects; reload the page (a new version may be out). (Reference: ${requestId})`,
      });
    }
    return parsed.data as T;
  }

  const r = apiRoutes;
  return {
    devLogin: (body, o) => call(r.devLogin, { body, signal: o?.signal }),
    me: (o) => call(r.me, { signal: o?.signal }),
    uploadLimits: (o) => call(r.uploadLimits, { signal: o?.signal }),
    createUpload: (body, o) =>
      call(r.createUpload, { body, signal: o?.signal, idempotencyKey: o?.idempotencyKey }),
    listUploads: (query, o) => call(r.listUploads, { query: { ...query }, signal: o?.signal }),
    getUpload: (id, o) => call(r.getUpload, { params: { id }, signal: o?.signal }),
    completeUpload: (id, o) =>
      call(r.completeUpload, {
        params: { id },
        signal: o?.signal,
        idempotencyKey: o?.idempotencyKey,
      }),
    downloadUpload: (id, o) => call(r.downloadUpload, { params: { id }, signal: o?.signal }),
    deleteUpload: (id, o) => call(r.deleteUpload, { params: { id }, signal: o?.signal }),
    async health(o) {
      const { res, requestId } = await send(r.health, { signal: o?.signal, url: opts.healthUrl });
      const report = healthReport.safeParse(await readJson(res.clone()));
      if (report.success) return report.data;
      return failure(res, requestId);
    },
  };
}
