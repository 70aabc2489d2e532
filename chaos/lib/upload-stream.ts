import { randomUUID } from 'node:crypto';
import { call, type HttpResult } from './http.ts';
import { sleep } from './progress.ts';

export interface Observation {
  t: number;
  api: string;
  step: 'create' | 'put' | 'complete';
  status: number;
  error?: string;
}

export interface UploadRecord {
  n: number;
  filename: string;
  id?: string;
  /** The API said 200 to complete: the upload must end `ready`, exactly once. */
  completed: boolean;
  /** Why the client gave up (an unexpected answer or the deadline). */
  failure?: string;
}

export interface ApiTarget {
  name: string;
  base: string;
}

export interface UploadClient {
  /** The APIs to use now (the suite removes one it is about to stop). */
  targets: () => readonly ApiTarget[];
  tokenFor: (user: string) => Promise<string>;
  observations: Observation[];
}

interface CreateResponse {
  id: string;
  uploadUrl: string;
  headers: Record<string, string>;
}

const RETRYABLE = new Set([0, 503]);

/**
 * One upload as a browser does it: create (POST /v1/uploads) → PUT the bytes to the signed URL
 * → complete. Like a real client it retries what the API says to retry (503 with Retry-After,
 * connection refused or reset: the next attempt goes to the other replica), for up to
 * `deadlineMs`. Every answer is recorded with its time for the verdict.
 */
export async function uploadOnce(
  client: UploadClient,
  opts: { n: number; user: string; filename: string; body: Buffer; deadlineMs?: number },
): Promise<UploadRecord> {
  const record: UploadRecord = { n: opts.n, filename: opts.filename, completed: false };
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  const token = await client.tokenFor(opts.user);
  let turn = opts.n;

  const attempt = async (
    step: 'create' | 'complete',
    send: (api: ApiTarget) => Promise<HttpResult>,
  ): Promise<HttpResult | undefined> => {
    for (;;) {
      const targets = client.targets();
      const api = targets[turn++ % Math.max(targets.length, 1)];
      if (!api) {
        await sleep(200);
        continue;
      }
      const res = await send(api);
      client.observations.push({
        t: Date.now(),
        api: api.name,
        step,
        status: res.status,
        ...(res.error ? { error: res.error } : {}),
      });
      if (!RETRYABLE.has(res.status)) return res;
      if (Date.now() > deadline) return res;
      await sleep(res.status === 0 ? 100 : 500);
    }
  };

  const auth = { authorization: `Bearer ${token}` };
  const created = await attempt('create', (api) =>
    call(`${api.base}/v1/uploads`, {
      method: 'POST',
      headers: auth,
      body: { filename: opts.filename, contentType: 'image/png', size: opts.body.length },
    }),
  );
  if (created?.status !== 201) {
    record.failure = `create answered ${created?.status ?? 'nothing'}`;
    return record;
  }
  const c = created.body as CreateResponse;
  record.id = c.id;

  let put: Response | undefined;
  for (let i = 0; i < 5 && !put?.ok; i++) {
    try {
      put = await fetch(c.uploadUrl, {
        method: 'PUT',
        headers: c.headers,
        body: opts.body,
        signal: AbortSignal.timeout(20_000),
      });
      client.observations.push({ t: Date.now(), api: 's3', step: 'put', status: put.status });
    } catch (err) {
      client.observations.push({
        t: Date.now(),
        api: 's3',
        step: 'put',
        status: 0,
        error: String(err),
      });
      await sleep(300);
    }
  }
  if (!put?.ok) {
    record.failure = `PUT to the signed URL answered ${put?.status ?? 'nothing'}`;
    return record;
  }

  const done = await attempt('complete', (api) =>
    call(`${api.base}/v1/uploads/${c.id}/complete`, { method: 'POST', headers: auth }),
  );
  if (done?.status === 200) record.completed = true;
  else record.failure = `complete answered ${done?.status ?? 'nothing'}`;
  return record;
}

export interface UploadStream {
  readonly records: UploadRecord[];
  /** Stops starting uploads and waits for those under way. */
  stop(): Promise<void>;
}

/** A steady stream of real uploads: one every `intervalMs`, a new user every 8 uploads. */
export function startUploadStream(
  client: UploadClient,
  opts: { bodies: readonly Buffer[]; intervalMs: number; maxInFlight: number },
): UploadStream {
  const records: UploadRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  let user = randomUUID();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || inFlight.size >= opts.maxInFlight) return;
    n += 1;
    if (n % 8 === 0) user = randomUUID();
    const p = uploadOnce(client, {
      n,
      user,
      filename: `chaos-${n}.png`,
      body: opts.bodies[n % opts.bodies.length]!,
    })
      .then((r) => {
        records.push(r);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, opts.intervalMs);
  return {
    records,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
