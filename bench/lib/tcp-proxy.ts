import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /**
   * The dependency hangs: bytes on open connections are swallowed in both directions and new
   * connections are accepted but never answered (a TCP peer that stopped responding).
   */
  hang(): void;
  /** Back to normal: connections that saw the hang are cut (their protocol state is lost). */
  pass(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to 127.0.0.1:`targetPort` that can be made to hang. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let hung = false;
  const open = new Set<{ client: Socket; upstream?: Socket; sawHang: boolean }>();
  const server = createServer((client) => {
    const pair: { client: Socket; upstream?: Socket; sawHang: boolean } = { client, sawHang: hung };
    open.add(pair);
    const drop = (): void => {
      open.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (hung) return; // accepted, never answered
    const upstream = connect(targetPort, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.on('data', (d: Buffer) => {
      if (!hung) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!hung) client.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    hang() {
      hung = true;
      for (const p of open) p.sawHang = true;
    },
    pass() {
      hung = false;
      for (const p of [...open]) {
        if (!p.sawHang) continue;
        open.delete(p);
        p.client.destroy();
        p.upstream?.destroy();
      }
    },
    close: () =>
      new Promise<void>((r) => {
        for (const p of open) {
          p.client.destroy();
          p.upstream?.destroy();
        }
        server.close(() => r());
      }),
  };
}
