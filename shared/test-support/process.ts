import { spawn, type ChildProcess } from 'node:child_process';

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  /** Every line the process wrote (stdout and stderr), in order. */
  lines: string[];
  /** Resolves with the first line (already seen or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal by pid. */
  signal(sig: NodeJS.Signals): void;
  /** SIGKILL if still running, then waits for exit. For afterAll cleanup. */
  kill(): Promise<void>;
}

/** Every process spawnNode started that has not exited yet: a runner's last line of defence. */
const live = new Set<SpawnedProcess>();

/** SIGKILLs every process spawnNode started that is still running, and waits for them. */
export async function killAllSpawned(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

/**
 * Spawns a real Node process (TypeScript run by Node 24 directly, workspace packages resolved
 * to sources with --conditions=source) and collects its output for assertions.
 */
export function spawnNode(
  script: string,
  opts: { args?: string[]; env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] } = {},
): SpawnedProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', ...(opts.nodeArgs ?? []), script, ...(opts.args ?? [])],
    { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (buf: Buffer, carry: { rest: string }): void => {
    const text = carry.rest + buf.toString('utf8');
    const parts = text.split('\n');
    carry.rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  const outCarry = { rest: '' };
  const errCarry = { rest: '' };
  child.stdout?.on('data', (b: Buffer) => onData(b, outCarry));
  child.stderr?.on('data', (b: Buffer) => onData(b, errCarry));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const carry of [outCarry, errCarry]) if (carry.rest) lines.push(carry.rest);
      resolve({ code, signal });
    });
  });
  const spawned: SpawnedProcess = {
    child,
    pid: child.pid ?? -1,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 15000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          reject(
            new Error(
              `no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.slice(-30).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
        void exited.then(() => {
          clearTimeout(t);
          reject(
            new Error(
              `process exited before a line matching ${pattern}; output:\n${lines.slice(-30).join('\n')}`,
            ),
          );
        });
      });
    },
    signal(sig) {
      if (child.pid) process.kill(child.pid, sig);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
  live.add(spawned);
  void exited.then(() => live.delete(spawned));
  return spawned;
}
