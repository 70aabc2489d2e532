import type { HealthReport } from '@saas/shared/contracts';

/** `checkedAt` is ISO-8601: the server renders the first state, which reaches the browser as JSON. */
export type HealthViewState =
  | { kind: 'loading' }
  | { kind: 'report'; report: HealthReport; checkedAt: string }
  /** The API did not answer; `last` is what it said before, if anything. */
  | {
      kind: 'unreachable';
      message: string;
      checkedAt: string;
      last?: { report: HealthReport; checkedAt: string };
    };

export interface StatusViewProps {
  state: HealthViewState;
  refreshing: boolean;
  intervalS: number;
  onRefresh(): void;
}

const CHECK_NAMES: Record<string, string> = {
  db: 'Database',
  database: 'Database',
  postgres: 'Database',
  redis: 'Redis',
  storage: 'Object storage',
  s3: 'Object storage',
  worker: 'Worker',
  workers: 'Worker',
  queue: 'Queue',
  migrations: 'Database migrations',
};

const SUMMARY: Record<HealthReport['status'], string> = {
  ok: 'All systems operational.',
  degraded: 'Degraded: an optional part is failing; the core still works.',
  fail: 'Down: a critical part is failing.',
};

// UTC in a fixed format: server and browser render the same text (no hydration mismatch).
const time = (iso: string): string => `${iso.slice(11, 19)} UTC`;

/** The API's /health as a page a person can read, including when the API itself is down. */
export function StatusView({ state, refreshing, intervalS, onRefresh }: StatusViewProps) {
  const shown =
    state.kind === 'report' ? state : state.kind === 'unreachable' ? state.last : undefined;
  return (
    <>
      <div className="card" aria-live="polite">
        {state.kind === 'loading' ? (
          <p className="summary">Asking the API for its health…</p>
        ) : state.kind === 'report' ? (
          <p className="summary">
            <span className={`badge badge-${state.report.status}`}>{state.report.status}</span>{' '}
            {SUMMARY[state.report.status]}
          </p>
        ) : (
          <>
            <p className="summary">
              <span className="badge badge-fail">unreachable</span> The API is not answering, so its
              checks cannot be shown.
            </p>
            <p>{state.message}</p>
          </>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={onRefresh} disabled={refreshing}>
            {refreshing ? 'Checking…' : 'Check now'}
          </button>
          <span className="muted">
            {state.kind !== 'loading' ? `Last checked at ${time(state.checkedAt)}. ` : ''}
            Refreshes every {intervalS} seconds.
          </span>
        </div>
      </div>

      {shown ? (
        <ChecksTable
          report={shown.report}
          stale={state.kind === 'unreachable' ? shown.checkedAt : undefined}
        />
      ) : null}
    </>
  );
}

function ChecksTable({ report, stale }: { report: HealthReport; stale: string | undefined }) {
  const checks = Object.entries(report.checks);
  return (
    <table>
      <caption>
        {stale ? `Last known state, from ${time(stale)}. ` : ''}
        Checks reported by the {report.service} service, version {report.version}, up for{' '}
        {formatUptime(report.uptimeS)}.
      </caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">State</th>
          <th scope="col">Latency</th>
          <th scope="col">Role</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {checks.length === 0 ? (
          <tr>
            <td colSpan={5}>The API reported no checks.</td>
          </tr>
        ) : (
          checks.map(([name, c]) => (
            <tr key={name} data-check={name}>
              <th scope="row">{CHECK_NAMES[name] ?? name}</th>
              <td>
                <span className={`badge badge-${c.status}`}>
                  {c.status === 'ok' ? 'ok' : 'failing'}
                </span>
              </td>
              <td>{Math.round(c.latencyMs)} ms</td>
              <td>{c.critical ? 'critical' : 'optional'}</td>
              <td>{c.error ?? '—'}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function formatUptime(s: number): string {
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}
