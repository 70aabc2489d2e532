// Logs numbered lines through the default (batched) destination, in bursts of 200 per
// event-loop turn, until shutdown starts; wired like api/src/main.ts (lifecycle, signal
// handlers, crash policy "exit"). FIXTURE_MODE=crash throws an uncaught error mid-burst
// instead of waiting for a signal. The lines still in the buffer at the end must reach stdout.
import { createLifecycle, installCrashHandlers } from '../../lifecycle/index.ts';
import { createLogger } from '../create-logger.ts';

const log = createLogger({ service: 'fixture', env: 'test', version: '9.9.9', level: 'info' });
const lifecycle = createLifecycle({ logger: log, timeoutMs: 5000 });
lifecycle.handleSignals();
installCrashHandlers({ policy: 'exit', logger: log, lifecycle });

let seq = 0;
lifecycle.onClose('burst', () => {
  log.info({ logged: seq }, 'burst stopped');
});
const burst = (): void => {
  if (lifecycle.isShuttingDown()) return;
  for (let i = 0; i < 200; i++) log.info({ seq: seq++, pad: 'x'.repeat(80) }, 'burst line');
  if (process.env.FIXTURE_MODE === 'crash' && seq >= 2000) {
    log.info({ logged: seq }, 'about to crash');
    throw new Error('fixture crash');
  }
  setImmediate(burst);
};
burst();
// stderr is unbuffered: the test knows the bursts are running without waiting for stdout.
process.stderr.write('bursting\n');
