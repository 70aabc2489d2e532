import { connect, createServer, type Socket } from 'node:net';
import { Transform } from 'node:stream';

export interface ThrottleProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to 127.0.0.1:`targetPort` that lets the answer through at
 * `bytesPerSecond` per connection: the workers read objects through it, so each job takes a
 * second or so and a signal reliably lands mid-job. Nothing in the worker knows about it.
 */
export async function startThrottleProxy(
  targetPort: number,
  bytesPerSecond: number,
): Promise<ThrottleProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const throttle = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        setTimeout(() => callback(null, chunk), (chunk.length / bytesPerSecond) * 1000);
      },
      highWaterMark: 16 * 1024,
    });
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(throttle).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
