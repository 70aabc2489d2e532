import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '@saas/shared/logger';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { badRequest, HttpProblem, unavailable } from '../http/problem.ts';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency-key.ts';
import {
  IdempotencyStoreError,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency-store.ts';

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** Redis key prefix shared by every replica (e.g. `idem:`). */
  prefix: string;
  /** How long a finished answer is replayed (IDEMPOTENCY_TTL_S). */
  ttlS: number;
  /**
   * How long a claim lives while its request runs. A crashed process leaves a claim behind;
   * it expires after this and a retry then runs again. Longer than any request may take.
   */
  lockTtlMs?: number;
  logger: Logger;
}

// The answers worth replaying: the work happened (2xx), or the request itself is wrong in a
// way no retry can fix (400, 422). Anything else (401, 404, 409, 5xx…) may change, so the key
// is released and a retry runs again.
const REPLAYABLE = (status: number): boolean => status < 300 || status === 400 || status === 422;
const REPLAYED_HEADERS = ['content-type', 'location', 'cache-control'];

const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** JSON with sorted keys: `{a,b}` and `{b,a}` are the same request. */
const canonical = (v: unknown): string =>
  v === undefined
    ? ''
    : JSON.stringify(v, (_k, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
          : value,
      );

const reused = (): HttpProblem =>
  new HttpProblem({
    status: 422,
    type: PROBLEM_TYPES.idempotencyKeyReused,
    title: 'Idempotency-Key reused',
    detail: 'This Idempotency-Key was used with a different request; use a new key per action.',
  });

const inFlight = (): HttpProblem =>
  new HttpProblem({
    status: 409,
    type: PROBLEM_TYPES.idempotencyInFlight,
    title: 'Request in progress',
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    headers: { 'Retry-After': '1' },
  });

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status);
  for (const [k, v] of Object.entries(stored.headers)) res.setHeader(k, v);
  res.setHeader('Idempotent-Replayed', 'true');
  res.end(stored.body);
}

/**
 * Idempotency-Key on a write (mount after auth and the body parser): the first request with a
 * key claims it and runs; its answer is stored and replayed to a retry with the same key and
 * the same request (method, path, body) for `ttlS`; the same key with another request is a
 * 422; a retry while the first still runs is a 409. Keys are scoped per user. The store down
 * is a 503: a keyed request never runs without its record (no duplicate write). A request
 * without the header is not affected.
 */
export function idempotency(opts: IdempotencyOptions): RequestHandler {
  const { store, logger } = opts;
  const ttlMs = opts.ttlS * 1000;
  const lockTtlMs = Math.min(opts.lockTtlMs ?? 60_000, ttlMs);

  return async (req, res, next) => {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return next();
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw badRequest('Invalid Idempotency-Key header.', [
        {
          location: 'headers',
          path: 'Idempotency-Key',
          message: 'must be 1 to 255 visible ASCII characters (a UUID per action)',
          code: 'invalid_format',
        },
      ]);
    }
    const key = `${opts.prefix}${req.user!.id}:${sha256(header)}`;
    const fingerprint = sha256(`${req.method} ${req.path}\n${canonical(req.body)}`);

    try {
      // Two rounds: a record that expires between the claim and the read is claimed again.
      let claimed = false;
      for (let round = 0; round < 2 && !claimed; round++) {
        if (await store.claim(key, fingerprint, lockTtlMs)) {
          claimed = true;
          break;
        }
        const existing = await store.get(key);
        if (!existing) continue;
        if (existing.fingerprint !== fingerprint) throw reused();
        if (existing.state === 'in_flight') throw inFlight();
        logger.info(
          { requestId: req.requestId, status: existing.response.status },
          'idempotent replay',
        );
        replay(res, existing.response);
        return;
      }
      if (!claimed) throw inFlight();
    } catch (err) {
      if (err instanceof IdempotencyStoreError)
        throw unavailable('Idempotency keys are unavailable; retry shortly.', 5, err);
      throw err;
    }

    // Keep what the handler (or the error handler) writes; store it before the client sees
    // it, so a retry that follows the answer at once finds the answer, not the claim.
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown): void => {
      if (typeof chunk === 'string')
        chunks.push(
          Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
        );
      else if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    };
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    res.write = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      return write(...a);
    }) as Response['write'];
    res.end = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      const status = res.statusCode;
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const v = res.getHeader(name);
        if (v !== undefined) headers[name] = String(v);
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const settle = REPLAYABLE(status)
        ? store.complete(
            key,
            { state: 'done', fingerprint, response: { status, headers, body } },
            ttlMs,
          )
        : store.release(key);
      settle
        .catch((err: unknown) => {
          // The answer goes out anyway; the claim expires after lockTtlMs (a retry meanwhile: 409).
          logger.warn(
            { requestId: req.requestId, err: (err as Error).message },
            'idempotency record not stored',
          );
        })
        .finally(() => end(...a));
      return res;
    }) as Response['end'];
    next();
  };
}
