import { createLifecycle } from '../create-lifecycle.ts';
import { emit, jsonLogger } from './json-lines.ts';

// A process with close hooks described by FIXTURE_HOOKS: "name:ms,name:hang,name:throw",
// registered in that order. Each hook reports whether the process still claimed readiness.

const timeoutMs = Number(process.env.FIXTURE_TIMEOUT_MS ?? 5000);
const repeatWindowMs =
  process.env.FIXTURE_REPEAT_WINDOW_MS === undefined
    ? undefined
    : Number(process.env.FIXTURE_REPEAT_WINDOW_MS);
const lifecycle = createLifecycle({ logger: jsonLogger, timeoutMs, repeatWindowMs });

for (const spec of (process.env.FIXTURE_HOOKS ?? '').split(',').filter(Boolean)) {
  const [name = '', behaviour = '0'] = spec.split(':');
  lifecycle.onClose(name, async () => {
    emit({ event: 'hook-start', name, ready: lifecycle.isReady() });
    if (behaviour === 'hang') await new Promise(() => {});
    if (behaviour === 'throw') throw new Error(`${name} refused to close`);
    await new Promise((resolve) => setTimeout(resolve, Number(behaviour)));
  });
}

lifecycle.handleSignals();
// Stands in for the server or worker that keeps a real process alive.
setInterval(() => {}, 1000);
emit({ event: 'started', ready: lifecycle.isReady() });
