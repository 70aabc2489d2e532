import type { Lifecycle } from './create-lifecycle.ts';
import type { LifecycleLogger } from './lifecycle-logger.ts';

/**
 * 'exit': log fatal, shut down gracefully, exit 1 (nodebestpractices: after an unknown error the
 * process state is suspect; let the orchestrator restart it). 'log': log and keep running
 * (BullMQ's production guide: one bad job must not kill the jobs in flight beside it).
 */
export type CrashPolicy = 'exit' | 'log';

export interface CrashHandlerOptions {
  policy: CrashPolicy;
  logger: LifecycleLogger;
  lifecycle: Pick<Lifecycle, 'shutdown'>;
}

type CrashKind = 'uncaughtException' | 'unhandledRejection';

/** Installs uncaughtException/unhandledRejection handlers; returns a function removing them. */
export function installCrashHandlers({
  policy,
  logger,
  lifecycle,
}: CrashHandlerOptions): () => void {
  const handle = (kind: CrashKind, err: unknown): void => {
    if (policy === 'log') {
      logger.error({ err, kind }, `${kind}; still running (crash policy "log")`);
      return;
    }
    const fields = { err, kind };
    const msg = `${kind}; shutting down (crash policy "exit")`;
    // Called as methods: pino's log functions need their `this`.
    if (logger.fatal) logger.fatal(fields, msg);
    else logger.error(fields, msg);
    void lifecycle.shutdown(kind, { exitCode: 1 });
  };
  const onException = (err: Error): void => handle('uncaughtException', err);
  const onRejection = (reason: unknown): void => handle('unhandledRejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
