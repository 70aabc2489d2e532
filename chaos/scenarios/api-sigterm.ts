import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';

const SLOW_REQUESTS = 5;

/** An upload creation whose body is held back: the server has accepted it and waits. */
function slowCreate(
  port: number,
  token: string,
  i: number,
): { finish(): void; response: Promise<string>; socket: Socket } {
  const body = JSON.stringify({ filename: `drain-${i}.png`, contentType: 'image/png', size: 100 });
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
  );
  let data = '';
  const response = new Promise<string>((resolve) => {
    socket.on('data', (b: Buffer) => (data += b.toString('utf8')));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
  return { finish: () => socket.write(body.slice(10)), response, socket };
}

/**
 * SIGTERM one API process under load with requests in flight: it stops accepting, finishes
 * every request it had accepted (here: slow uploads whose bodies arrive after the signal, plus
 * the steady load) and exits 0. The upload stream retries on the other replica.
 */
export async function apiSigterm(run: Run): Promise<void> {
  const api = run.apis[0]!;
  const token = await run.ctx.tokenFor(randomUUID());
  const slow = Array.from({ length: SLOW_REQUESTS }, (_, i) => slowCreate(api.port, token, i));
  await waitFor(
    `${SLOW_REQUESTS} slow requests in flight on ${api.name}`,
    async () => {
      const m = await api.get('/metrics');
      const inFlight = Number(
        /^http_requests_in_flight\{[^}]*\} (\d+)/m.exec(String(m.body))?.[1] ?? 0,
      );
      return inFlight >= SLOW_REQUESTS + 1;
    },
    15_000,
    50,
  );
  say(
    `api: SIGTERM ${api.name} (pid ${api.pid}) with ${SLOW_REQUESTS} slow requests in flight and the load running`,
  );
  const signalledAt = Date.now();
  // From now on the load balancer would see readiness fail: the stream and the load move on.
  run.windows.push({
    name: `${api.name} stopped`,
    from: signalledAt,
    to: Date.now() + 3_600_000,
    api: api.name,
    statuses: [0],
  });
  run.stopping.add(api.name);
  api.proc.signal('SIGTERM');
  const load = run.loads.find((l) => l.target === api.name);
  // The load's requests in flight at the signal finish; after that autocannon would only
  // hammer a closed port (it reconnects without pause).
  setTimeout(() => load?.stop(), 300);
  await sleep(500);
  for (const s of slow) s.finish();
  const responses = await Promise.all(
    slow.map((s) =>
      Promise.race([s.response, sleep(20_000).then(() => 'timeout')]).finally(() =>
        s.socket.destroy(),
      ),
    ),
  );
  const statuses = responses.map((r) => /^HTTP\/1\.1 (\d{3})/.exec(r)?.[1] ?? 'none');
  const closeHeader = responses.filter((r) => /\r\nconnection: close\r\n/i.test(r)).length;
  const exit = await Promise.race([
    api.proc.exited,
    sleep(30_000).then(() => ({ code: null, signal: null, timeout: true as const })),
  ]);
  const exitText =
    'timeout' in exit
      ? 'no exit within 30 s'
      : `exit code ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}`;
  const after = load?.events.filter((e) => e.t >= signalledAt) ?? [];
  const refused = after.filter((e) => e.status === 0).length;
  const answeredAfter = after.filter((e) => e.status > 0);
  const badAfter = answeredAfter.filter((e) => e.status >= 500);
  // Requests closed unfinished after the signal (pino-http logs "request aborted"). The suite's
  // clients abandon a request only after 5 s (probes) or 10 s (uploads): those are theirs.
  const abortedLines = api
    .logs()
    .filter((l) => l.msg === 'request aborted' && Date.parse(String(l.time)) >= signalledAt);
  const clientTimeouts = abortedLines.filter((l) => Number(l.durationMs) >= 4900).length;
  const aborted = abortedLines.length - clientTimeouts;
  record({
    scenario: 'SIGTERM an API under load',
    expected: `the ${SLOW_REQUESTS} accepted slow requests complete (201, Connection: close); no 5xx; no aborted request; exit 0`,
    observed: `slow: ${statuses.join(',')} (${closeHeader} with Connection: close); load after the signal: ${answeredAfter.length} answered (${badAfter.length} 5xx), ${refused} connection errors (refused or closed); ${aborted} aborted by the server${clientTimeouts ? ` (${clientTimeouts} abandoned by a client after its timeout)` : ''}; ${exitText}`,
    ok:
      statuses.every((s) => s === '201') &&
      badAfter.length === 0 &&
      aborted === 0 &&
      !('timeout' in exit) &&
      exit.code === 0,
  });
}
