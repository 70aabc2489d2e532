import type { CheckResult } from './check-result.ts';

const LABEL: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
};

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** A plain-text table (readable in CI logs, no colours needed) and a one-line verdict. */
export function renderReport(
  results: readonly CheckResult[],
  targets: { api: URL; web?: URL },
): string {
  const rows = results.map((r) => [
    LABEL[r.status],
    r.target,
    r.name,
    r.ms === undefined ? '' : `${r.ms} ms`,
    r.detail,
  ]);
  const header = ['RESULT', 'TARGET', 'CHECK', 'TIME', 'DETAIL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The detail column is last and not padded: long details wrap naturally in a terminal.
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const count = (s: CheckResult['status']): number => results.filter((r) => r.status === s).length;
  const failures = count('fail');
  return [
    `Deployment verification: api ${targets.api.origin}${targets.web ? `, web ${targets.web.origin}` : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(Math.min(w, 40)))),
    ...rows.map(line),
    '',
    `${failures === 0 ? 'OK' : 'FAILED'}: ${count('pass')} passed, ${count('warn')} warnings, ${failures} failed, ${count('skip')} skipped`,
  ].join('\n');
}
