import { describe, expect, it } from '@jest/globals';
import { mergePrometheusText } from './merge-prometheus-text.ts';

describe('mergePrometheusText', () => {
  it('keeps one HELP/TYPE per family and groups the samples of several exports', () => {
    const a = [
      '# HELP bullmq_job_count Number of jobs',
      '# TYPE bullmq_job_count gauge',
      'bullmq_job_count{queue="a", state="waiting"} 1',
      '# HELP bullmq_job_failed_total Failed',
      '# TYPE bullmq_job_failed_total counter',
      'bullmq_job_failed_total{queue="a"} 0',
    ].join('\n');
    const b = a.replaceAll('queue="a"', 'queue="b"');
    const lines = mergePrometheusText([a, b]).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('# HELP bullmq_job_count'))).toHaveLength(1);
    expect(lines).toEqual([
      '# HELP bullmq_job_count Number of jobs',
      '# TYPE bullmq_job_count gauge',
      'bullmq_job_count{queue="a", state="waiting"} 1',
      'bullmq_job_count{queue="b", state="waiting"} 1',
      '# HELP bullmq_job_failed_total Failed',
      '# TYPE bullmq_job_failed_total counter',
      'bullmq_job_failed_total{queue="a"} 0',
      'bullmq_job_failed_total{queue="b"} 0',
    ]);
  });
});
