/** turbo's task prefix: `<package>:<task>: ` (package names may be scoped). */
const PREFIX = /^(\S+?:[\w-]+): (.*)$/s;

type Pretty = (input: Record<string, unknown>) => string;

// The logger writes level labels (`"level":"info"`); pino-pretty colours by number.
const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

const REQUEST_MESSAGES = new Set(['request completed', 'request aborted', 'request failed']);

/**
 * One line of `npm run dev` for a person: a JSON log line through `pretty` (the service name
 * first; a request line cut down to method, route, status, ms and request id), anything else
 * unchanged. Never throws: a line it cannot read is shown as it came.
 */
export function formatLogLine(raw: string, pretty: Pretty): string {
  const m = PREFIX.exec(raw);
  const body = (m ? m[2] : raw) ?? '';
  if (!body.startsWith('{')) return raw;
  let log: Record<string, unknown>;
  try {
    log = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return raw;
  }
  if (typeof log !== 'object' || log === null || Array.isArray(log)) return raw;
  if (typeof log.level === 'string' && log.level in LEVELS)
    log = { ...log, level: LEVELS[log.level] };
  const service = String(log.service ?? m?.[1] ?? '').padEnd(6);
  if (REQUEST_MESSAGES.has(String(log.msg)) && typeof log.method === 'string') {
    const { level, time, method, route, path, statusCode, durationMs, requestId } = log;
    const where = route === 'unmatched' || route === undefined ? path : route;
    const aborted = log.msg === 'request aborted' ? ' (aborted)' : '';
    log = {
      level,
      time,
      msg: `${service} ${String(method)} ${String(where)} ${String(statusCode)} ${String(durationMs)} ms${aborted} ${String(requestId ?? '')}`.trimEnd(),
    };
  } else {
    log = { ...log, msg: `${service} ${String(log.msg ?? '')}` };
  }
  return pretty(log).replace(/\n$/, '');
}
