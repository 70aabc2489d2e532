import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import type { SpawnedProcess } from '@saas/shared/test-support';
import { jsonLines, startFixture } from './test-fixtures/fixture-process.ts';

// A real node:http server (test-fixtures/http-app.ts) draining on SIGTERM.

const httpGet = (
  port: number,
  path: string,
  agent: Agent,
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

const tryConnect = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

describe('closeHttpServer in a real process', () => {
  let proc: SpawnedProcess | undefined;
  const agents: Agent[] = [];

  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    await proc?.kill();
    proc = undefined;
  });

  it('finishes the in-flight request, refuses new connections, closes idle keep-alive sockets, exits 0', async () => {
    proc = await startFixture('http-app');
    const listening = jsonLines(proc).find((l) => l.event === 'listening');
    const port = Number(listening?.port);
    const idleAgent = new Agent({ keepAlive: true });
    const slowAgent = new Agent({ keepAlive: true });
    agents.push(idleAgent, slowAgent);

    // A keep-alive socket left idle by an earlier request: it must not hold the drain open.
    expect(await httpGet(port, '/fast', idleAgent)).toEqual({ status: 200, body: 'fast' });
    const slow = httpGet(port, '/slow', slowAgent);
    await proc.waitForLine(/"event":"slow-request-started"/);

    proc.signal('SIGTERM');
    await proc.waitForLine(/"event":"http-closing"/);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');

    expect(await slow).toEqual({ status: 200, body: 'slow done' });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const lines = jsonLines(proc);
    expect(lines.filter((l) => l.event === 'hook-start' || l.event === 'http-closing')).toEqual([
      { event: 'http-closing' },
      { event: 'hook-start', name: 'database' },
    ]);
    expect(lines.find((l) => l.msg === 'closed http-server')).toBeDefined();
  });
});
