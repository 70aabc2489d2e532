import type { LifecycleLogger } from './lifecycle-logger.ts';
import { signalExitCode } from './signal-exit-code.ts';

export type CloseHook = () => Promise<unknown> | unknown;

export interface LifecycleOptions {
  logger: LifecycleLogger;
  /** Hard limit for the whole shutdown (SHUTDOWN_TIMEOUT_MS); past it the process exits 1. */
  timeoutMs: number;
  /** Defaults to process.exit; tests running in-process pass their own. */
  exit?: (code: number) => void;
  /** Signals handleSignals() listens to. */
  signals?: readonly NodeJS.Signals[];
  /**
   * A repeat of the signal that started the shutdown, arriving within this many ms, is the
   * same request delivered twice, not an impatient second one: a terminal's Ctrl-C reaches
   * every process of the foreground group while the runner (turbo, npm, docker) forwards its
   * own copy. Logged and ignored. Default 1000.
   */
  repeatWindowMs?: number;
}

export interface ShutdownOptions {
  /** Exit code once every hook ran (0 by default; the crash handler asks for 1). */
  exitCode?: number;
}

export interface Lifecycle {
  /**
   * Registers a close hook. Hooks run one at a time in reverse order of registration (close
   * what was opened last first); a failing hook is logged and the rest still run.
   */
  onClose(name: string, fn: CloseHook): void;
  isShuttingDown(): boolean;
  /** False from the moment shutdown starts, before any hook runs (readiness probes read it). */
  isReady(): boolean;
  /**
   * Turns the first SIGTERM/SIGINT into shutdown(signal); a second one during shutdown exits
   * at once with 128 + signal number — unless it is the same signal within `repeatWindowMs`
   * (one Ctrl-C delivered twice). Returns a function that removes the listeners.
   */
  handleSignals(): () => void;
  /** Runs the hooks, then exits. Idempotent: later calls return the same promise. */
  shutdown(reason: string, options?: ShutdownOptions): Promise<void>;
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const DEFAULT_REPEAT_WINDOW_MS = 1000;

const since = (start: number): number => Math.round(performance.now() - start);

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const hooks: { name: string; fn: CloseHook }[] = [];
  let shuttingDown = false;
  let exitCode = 0;
  let exited = false;
  let running: string | undefined;
  let done: Promise<void> | undefined;
  let removeSignalListeners: (() => void) | undefined;
  let firstSignal: { signal: NodeJS.Signals; at: number } | undefined;
  const repeatWindowMs = options.repeatWindowMs ?? DEFAULT_REPEAT_WINDOW_MS;

  const exitOnce = (code: number): void => {
    if (exited) return;
    exited = true;
    logger.flush?.();
    exit(code);
  };

  const runHooks = async (): Promise<void> => {
    const started = performance.now();
    // Popping from the end gives reverse registration order, and a hook registered during
    // shutdown (a resource opened late) still runs, next, as the newest resource.
    for (let hook = hooks.pop(); hook; hook = hooks.pop()) {
      running = hook.name;
      const hookStarted = performance.now();
      try {
        await hook.fn();
        logger.info({ hook: hook.name, durationMs: since(hookStarted) }, `closed ${hook.name}`);
      } catch (err) {
        logger.error(
          { hook: hook.name, durationMs: since(hookStarted), err },
          `close hook ${hook.name} failed`,
        );
      }
    }
    running = undefined;
    logger.info({ durationMs: since(started), exitCode }, 'shutdown complete');
  };

  const shutdown = (reason: string, shutdownOptions: ShutdownOptions = {}): Promise<void> => {
    // A crash during a graceful shutdown still makes the exit code say so.
    exitCode = Math.max(exitCode, shutdownOptions.exitCode ?? 0);
    if (done) return done;
    shuttingDown = true;
    logger.info({ reason, hooks: hooks.length, timeoutMs }, 'shutdown started');
    // Deliberately not unref'd: a hook awaiting something that holds no handle must still end
    // in exit 1 rather than a silent exit 0 from an empty event loop.
    const hardTimeout = setTimeout(() => {
      const hook = running ?? '(none)';
      logger.error(
        { hook, timeoutMs, notRun: hooks.map((h) => h.name).reverse() },
        `shutdown timed out after ${timeoutMs} ms in close hook ${hook}`,
      );
      exitOnce(1);
    }, timeoutMs);
    done = runHooks().then(() => {
      clearTimeout(hardTimeout);
      exitOnce(exitCode);
    });
    return done;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    const now = performance.now();
    if (shuttingDown && firstSignal?.signal === signal && now - firstSignal.at < repeatWindowMs) {
      logger.info(
        { signal, afterMs: Math.round(now - firstSignal.at), repeatWindowMs },
        `${signal} repeated within ${repeatWindowMs} ms; same request, shutdown continues`,
      );
      return;
    }
    if (shuttingDown) {
      const code = signalExitCode(signal);
      logger.warn(
        { signal, hook: running, exitCode: code },
        `${signal} received again during shutdown; exiting now`,
      );
      exitOnce(code);
      return;
    }
    firstSignal = { signal, at: now };
    void shutdown(signal);
  };

  return {
    onClose(name, fn) {
      hooks.push({ name, fn });
    },
    isShuttingDown: () => shuttingDown,
    isReady: () => !shuttingDown,
    handleSignals() {
      if (removeSignalListeners) return removeSignalListeners;
      const listeners = (options.signals ?? DEFAULT_SIGNALS).map((signal) => {
        const listener = (): void => onSignal(signal);
        process.on(signal, listener);
        return () => process.off(signal, listener);
      });
      removeSignalListeners = () => {
        for (const remove of listeners) remove();
        removeSignalListeners = undefined;
      };
      return removeSignalListeners;
    },
    shutdown,
  };
}
