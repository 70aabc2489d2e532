import { connect, createServer, type Socket } from 'node:net';

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /**
   * Down: every open connection is cut and new ones are reset at once (what a client sees when
   * the service's host is gone or its process restarts); up: connections pass again.
   */
  setDown(down: boolean): void;
  /**
   * Hanging: open connections are cut and new ones are accepted but never answered (a host
   * that stops answering: clients wait for their own timeouts); off: connections pass again.
   */
  setHanging(hanging: boolean): void;
  /** Extra latency on every chunk in both directions (0: none); the order of bytes is kept. */
  setDelayMs(ms: number): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to 127.0.0.1:`targetPort` whose faults the suite switches at run time:
 * an outage without stopping the (shared) service behind it, and added latency on every round
 * trip. The processes under test only see another endpoint; nothing in them knows about it.
 */
export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  let hanging = false;
  const held = new Set<Socket>();
  let delayMs = 0;

  /** Writes chunks to `to` `delayMs` after they arrived, in arrival order. */
  const delayed = (from: Socket, to: Socket): void => {
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && queue[0]!.at <= now) to.write(queue.shift()!.chunk);
      if (queue.length > 0) timer = setTimeout(flush, queue[0]!.at - now);
    };
    from.on('data', (chunk: Buffer) => {
      if (delayMs === 0 && queue.length === 0) {
        to.write(chunk);
        return;
      }
      queue.push({ at: Date.now() + delayMs, chunk });
      timer ??= setTimeout(flush, delayMs);
    });
    from.on('close', () => clearTimeout(timer));
  };

  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    if (hanging) {
      held.add(client);
      client.on('error', () => {}).on('close', () => held.delete(client));
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    delayed(client, upstream);
    delayed(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setDown(value) {
      down = value;
      if (down) for (const s of sockets) s.resetAndDestroy();
    },
    setHanging(value) {
      hanging = value;
      if (hanging) for (const s of sockets) s.destroy();
      else for (const s of held) s.destroy();
    },
    setDelayMs(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of [...sockets, ...held]) s.destroy();
        server.close(() => r());
      }),
  };
}
