import type { Metadata } from 'next';
import { StatusPanel } from '../../components/status/status-panel.tsx';
import type { HealthViewState } from '../../components/status/status-view.tsx';
import { fetchApiHealth } from '../../lib/health/api-health.ts';

export const metadata: Metadata = { title: 'System status' };

// Rendered per request with the report already in the HTML: readable without JavaScript and
// at first paint. A short timeout: a hanging API must not hold the page (the browser's own
// refreshes take over).
export const dynamic = 'force-dynamic';

export default async function StatusPage() {
  const r = await fetchApiHealth(2_000);
  const checkedAt = new Date().toISOString();
  const initial: HealthViewState = r.ok
    ? { kind: 'report', report: r.report, checkedAt }
    : { kind: 'unreachable', message: r.detail, checkedAt };
  return (
    <>
      <h1>System status</h1>
      <p className="lead">
        What the API reports about itself and the services it depends on. No sign-in needed.
      </p>
      <StatusPanel initial={initial} />
    </>
  );
}
