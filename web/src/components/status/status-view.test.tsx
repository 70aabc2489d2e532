import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { healthReport, type HealthReport } from '@saas/shared/contracts';
import { StatusView } from './status-view.tsx';

const report = (over: Partial<HealthReport> = {}): HealthReport =>
  healthReport.parse({
    status: 'degraded',
    service: 'api',
    version: '1.2.3',
    uptimeS: 3725,
    checks: {
      db: { status: 'ok', latencyMs: 2.4, critical: true },
      redis: { status: 'ok', latencyMs: 1, critical: true },
      storage: { status: 'ok', latencyMs: 12, critical: true },
      worker: {
        status: 'fail',
        latencyMs: 3,
        critical: false,
        error: 'no worker is consuming the uploads queue',
      },
    },
    ...over,
  });

const checkedAt = '2026-11-23T12:00:00.000Z';

afterEach(cleanup);

describe('StatusView', () => {
  it('lists every check with its state, latency and role', () => {
    render(
      <StatusView
        state={{ kind: 'report', report: report(), checkedAt }}
        refreshing={false}
        intervalS={10}
        onRefresh={() => {}}
      />,
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    const cells = rows.map((r) => [...r.querySelectorAll('th,td')].map((c) => c.textContent));
    expect(cells).toEqual([
      ['Database', 'ok', '2 ms', 'critical', '—'],
      ['Redis', 'ok', '1 ms', 'critical', '—'],
      ['Object storage', 'ok', '12 ms', 'critical', '—'],
      ['Worker', 'failing', '3 ms', 'optional', 'no worker is consuming the uploads queue'],
    ]);
    expect(screen.getByText(/Degraded: an optional part is failing/)).toBeTruthy();
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toContain(
      'api service, version 1.2.3, up for 1 h 2 min',
    );
    expect(screen.getByText(/Refreshes every 10 seconds/)).toBeTruthy();
  });

  it('stays readable when the API is down, showing the last known checks', () => {
    render(
      <StatusView
        state={{
          kind: 'unreachable',
          message: 'Cannot reach the API at 127.0.0.1:4000.',
          checkedAt,
          last: { report: report({ status: 'ok' }), checkedAt },
        }}
        refreshing={false}
        intervalS={10}
        onRefresh={() => {}}
      />,
    );
    expect(screen.getByText(/The API is not answering/)).toBeTruthy();
    expect(screen.getByText('Cannot reach the API at 127.0.0.1:4000.')).toBeTruthy();
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toMatch(
      /^Last known state, from /,
    );
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(5);
  });

  it('shows no table before the first answer or when the API never answered', () => {
    const { rerender } = render(
      <StatusView state={{ kind: 'loading' }} refreshing intervalS={10} onRefresh={() => {}} />,
    );
    expect(screen.getByText('Asking the API for its health…')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    rerender(
      <StatusView
        state={{ kind: 'unreachable', message: 'Down.', checkedAt }}
        refreshing={false}
        intervalS={10}
        onRefresh={() => {}}
      />,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('Down.')).toBeTruthy();
  });

  it('refreshes on demand, and not while a check is running', () => {
    const onRefresh = jest.fn();
    const { rerender } = render(
      <StatusView
        state={{ kind: 'report', report: report(), checkedAt }}
        refreshing={false}
        intervalS={10}
        onRefresh={onRefresh}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    rerender(
      <StatusView
        state={{ kind: 'report', report: report(), checkedAt }}
        refreshing
        intervalS={10}
        onRefresh={onRefresh}
      />,
    );
    expect((screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });
});
