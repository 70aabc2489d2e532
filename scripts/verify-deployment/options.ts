import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run verify:deployment -- --api URL [--web URL] [--allowed-origin ORIGIN]
                                 [--max-ms N] [--timeout-ms N]

  --api URL              the API's base URL, e.g. https://api.example.com (required)
  --web URL              the web app's URL, e.g. https://app.example.com
  --allowed-origin ORIG  an origin the API must allow from a browser (only when the web calls the
                         API cross-origin; a same-origin rewrite needs no CORS)
  --max-ms N             fail a check whose request took longer than N ms (default 2000)
  --timeout-ms N         give up on a request after N ms (default 10000)

Exit 0 when every check passes (warnings allowed), 1 when any fails, 2 on a usage error.`;

export interface VerifyOptions {
  api: URL;
  web?: URL;
  allowedOrigin?: string;
  maxMs: number;
  timeoutMs: number;
}

export class UsageError extends Error {}

const httpUrl = (flag: string, value: string): URL => {
  if (!URL.canParse(value))
    throw new UsageError(
      `--${flag} must be a URL such as https://api.example.com (got ${JSON.stringify(value)})`,
    );
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--${flag} must be http:// or https://`);
  return url;
};

const positive = (flag: string, value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UsageError(`--${flag} must be a positive whole number of milliseconds`);
  return Number(value);
};

export function parseVerifyArgs(argv: readonly string[]): VerifyOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        api: { type: 'string' },
        web: { type: 'string' },
        'allowed-origin': { type: 'string' },
        'max-ms': { type: 'string', default: '2000' },
        'timeout-ms': { type: 'string', default: '10000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  if (!values.api) throw new UsageError('--api URL is required');
  const web = values.web ? httpUrl('web', values.web) : undefined;
  const allowedOrigin = values['allowed-origin'];
  return {
    api: httpUrl('api', values.api),
    ...(web ? { web } : {}),
    ...(allowedOrigin ? { allowedOrigin: httpUrl('allowed-origin', allowedOrigin).origin } : {}),
    maxMs: positive('max-ms', values['max-ms']),
    timeoutMs: positive('timeout-ms', values['timeout-ms']),
  };
}
