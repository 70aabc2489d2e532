export { lifecycleEnv } from './env.ts';
export type { LifecycleLogger } from './lifecycle-logger.ts';
export {
  createLifecycle,
  type CloseHook,
  type Lifecycle,
  type LifecycleOptions,
  type ShutdownOptions,
} from './create-lifecycle.ts';
export {
  installCrashHandlers,
  type CrashHandlerOptions,
  type CrashPolicy,
} from './crash-handlers.ts';
export { closeHttpServer, type CloseHttpServerOptions } from './close-http-server.ts';
export { signalExitCode } from './signal-exit-code.ts';
