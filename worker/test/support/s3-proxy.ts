import { connect, createServer, type Socket } from 'node:net';

export type ProxyMode =
  /** Forward as is. */
  | { kind: 'pass' }
  /** Forward store → worker at most `bytesPerSecond`: slow storage, hence slow jobs. */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** Cut the first connection that has carried `afterBytes` store → worker, then pass. */
  | { kind: 'cut-once'; afterBytes: number }
  /** Accept and reset every connection: storage down. */
  | { kind: 'refuse' };

export interface S3Proxy {
  url: string;
  /** Current mode; change it with setMode. */
  readonly mode: ProxyMode;
  /** 'refuse' also resets the connections already open (the SDK keeps them alive for reuse). */
  setMode(mode: ProxyMode): void;
  /** Connections cut by 'cut-once' and 'refuse'. */
  cuts: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the real local S3 server, for storage faults without mocking S3:
 * the worker talks real S3 through it, and the test decides how the network behaves.
 */
export async function startS3Proxy(
  upstreamPort: number,
  mode: ProxyMode = { kind: 'pass' },
): Promise<S3Proxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const proxy = {
    url: '',
    mode,
    cuts: 0,
    setMode(next: ProxyMode) {
      proxy.mode = next;
      if (next.kind === 'refuse') for (const s of sockets) s.resetAndDestroy();
    },
    close: async () => {},
  };

  const server = createServer((client) => {
    track(client);
    const current = proxy.mode;
    if (current.kind === 'refuse') {
      proxy.cuts++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    track(upstream);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.pipe(upstream);

    if (current.kind === 'throttle') {
      const perTick = Math.max(1, Math.floor(current.bytesPerSecond / 20));
      const queue: Buffer[] = [];
      upstream.on('data', (buf: Buffer) => {
        queue.push(buf);
        upstream.pause();
      });
      const tick = setInterval(() => {
        let budget = perTick;
        while (budget > 0 && queue.length > 0) {
          const head = queue[0] as Buffer;
          const part = head.subarray(0, budget);
          client.write(part);
          budget -= part.length;
          if (part.length === head.length) queue.shift();
          else queue[0] = head.subarray(part.length);
        }
        if (queue.length === 0) upstream.resume();
      }, 50);
      client.on('close', () => clearInterval(tick));
      upstream.on('end', () => {
        const flush = setInterval(() => {
          if (queue.length === 0) {
            clearInterval(flush);
            client.end();
          }
        }, 50);
        client.on('close', () => clearInterval(flush));
      });
      return;
    }

    let carried = 0;
    upstream.on('data', (buf: Buffer) => {
      const m = proxy.mode;
      if (m.kind === 'cut-once' && carried + buf.length > m.afterBytes) {
        client.write(buf.subarray(0, Math.max(0, m.afterBytes - carried)));
        proxy.mode = { kind: 'pass' };
        proxy.cuts++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      carried += buf.length;
      client.write(buf);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy as S3Proxy;
}
