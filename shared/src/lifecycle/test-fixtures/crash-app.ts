import { createLifecycle } from '../create-lifecycle.ts';
import { installCrashHandlers, type CrashPolicy } from '../crash-handlers.ts';
import { emit, jsonLogger } from './json-lines.ts';

// A process with the crash policy FIXTURE_POLICY. Each SIGUSR2 makes it fail the way
// FIXTURE_CRASH says (an uncaught exception or an unhandled rejection), then it tries to go on.

const policy = (process.env.FIXTURE_POLICY ?? 'exit') as CrashPolicy;
const crash = process.env.FIXTURE_CRASH ?? 'exception';
const lifecycle = createLifecycle({ logger: jsonLogger, timeoutMs: 5000 });
lifecycle.onClose('resource', () => emit({ event: 'hook-start', name: 'resource' }));
lifecycle.handleSignals();
installCrashHandlers({ policy, logger: jsonLogger, lifecycle });

let crashes = 0;
process.on('SIGUSR2', () => {
  crashes += 1;
  const n = crashes;
  if (crash === 'rejection') void Promise.reject(new Error(`rejected ${n}`));
  else
    setImmediate(() => {
      throw new Error(`boom ${n}`);
    });
  setTimeout(() => emit({ event: 'after-crash', n }), 100);
});

setInterval(() => {}, 1000);
emit({ event: 'started', policy, crash });
