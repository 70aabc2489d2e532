import { connect, createServer, type Socket } from 'node:net';

export interface TcpSwitch {
  port: number;
  /** false: reset every open connection and every new one (the server "went away"). */
  setOpen(open: boolean): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy to a real local server that a test can switch off and on: a restart of the
 * server as its clients see it, without restarting the shared server other tests use.
 */
export async function startTcpSwitch(upstreamPort: number): Promise<TcpSwitch> {
  const sockets = new Set<Socket>();
  let open = true;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const srv = createServer((client) => {
    track(client);
    if (!open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    setOpen(next) {
      open = next;
      if (!next) for (const s of sockets) s.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}
