import { connect, type Socket } from 'node:net';
import type { HealthCheck } from '../types.ts';

/**
 * A check that sends a Redis inline PING to 127.0.0.1:port and waits for any reply. Against
 * startBlackhole() it connects and then hears nothing: a dependency that hangs. It honours the
 * abort signal and counts its sockets not yet destroyed, so tests can see it was cleaned up.
 */
export function tcpReplyCheck(port: number): HealthCheck & { openSockets(): number } {
  const sockets = new Set<Socket>();
  const check = (signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      sockets.add(socket);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
      signal.addEventListener(
        'abort',
        () => {
          socket.destroy();
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  return Object.assign(check, {
    openSockets: () => [...sockets].filter((s) => !s.destroyed).length,
  });
}
