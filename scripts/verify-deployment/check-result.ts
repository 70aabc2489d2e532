/** One row of the report. `warn` and `skip` do not fail the run; `fail` does. */
export interface CheckResult {
  target: 'api' | 'web';
  name: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** Response time of the request the check made, when it made one. */
  ms?: number;
}

export const failed = (results: readonly CheckResult[]): CheckResult[] =>
  results.filter((r) => r.status === 'fail');
