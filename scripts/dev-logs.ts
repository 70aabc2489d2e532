// `npm run dev` in a terminal: turns the processes' JSON log lines into one coloured line each
// (pino-pretty), so a person can read them. Only scripts/dev.sh uses it, and only when its
// output is a TTY: the processes themselves always write JSON (production, CI, files, pipes).
//
//   <dev processes> | node scripts/dev-logs.ts
//
// Lines arrive with turbo's prefix (`@saas/api:dev: {...}`); JSON ones are prettified with the
// service name in front, request lines shortened to method, route, status, ms and request id;
// anything else (Next.js, npm) passes through as it is.
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { formatLogLine } from './dev-logs/format-line.ts';

const pretty = prettyFactory({
  colorize: process.env.NO_COLOR === undefined,
  translateTime: 'SYS:HH:MM:ss.l',
  singleLine: true,
  // Shown in the message (service) or the same for every line of a process.
  ignore: 'pid,hostname,env,version,service',
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  process.stdout.write(`${formatLogLine(line, pretty)}\n`);
});
// Ctrl-C reaches this process too: it keeps reading until the processes' last lines are out
// (their orderly shutdown is what a person wants to see), and ends with its input.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
