// The result shape every validator returns, and the readable report main.ts prints.

export interface Finding {
  /** error: the check fails. note: worth knowing, does not fail (e.g. a tool not installed). */
  level: 'error' | 'note';
  message: string;
}

export interface CheckResult {
  /** What was checked, e.g. "compose: Compose Specification schema". */
  check: string;
  /** The file (or command) it was checked on, relative to the repository root. */
  target: string;
  findings: Finding[];
}

export const error = (message: string): Finding => ({ level: 'error', message });
export const note = (message: string): Finding => ({ level: 'note', message });

export const failed = (result: CheckResult): boolean =>
  result.findings.some((f) => f.level === 'error');

export const errorsOf = (results: CheckResult | CheckResult[]): string[] =>
  [results]
    .flat()
    .flatMap((r) =>
      r.findings
        .filter((f) => f.level === 'error')
        .map((f) => `${r.check} (${r.target}): ${f.message}`),
    );

/** One line per check (PASS/FAIL, NOTE when it passed with notes), findings indented below. */
export function formatReport(results: CheckResult[], useColor = false): string {
  const paint = (code: number, s: string): string =>
    useColor ? `\u001b[${code}m${s}\u001b[0m` : s;
  const width = Math.max(...results.map((r) => r.check.length), 10);
  const lines: string[] = [];
  for (const r of results) {
    const bad = failed(r);
    const hasNotes = r.findings.some((f) => f.level === 'note');
    const label = bad ? paint(31, 'FAIL') : hasNotes ? paint(33, 'NOTE') : paint(32, 'PASS');
    lines.push(`  ${label}  ${r.check.padEnd(width)}  ${r.target}`);
    for (const f of r.findings)
      lines.push(
        `          ${f.level === 'error' ? '✗' : '·'} ${f.message.replace(/\n/g, '\n            ')}`,
      );
  }
  const failures = results.filter(failed).length;
  const notes = results.filter(
    (r) => !failed(r) && r.findings.some((f) => f.level === 'note'),
  ).length;
  lines.push('');
  // Worded so it is not mistaken for a test runner's closing line.
  lines.push(
    `summary: ${results.length - failures} checks passed, ${failures} checks failed, ${notes} passed with notes`,
  );
  return lines.join('\n');
}
