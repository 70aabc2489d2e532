/**
 * Why a process refused to start: each problem names its variable, and none carries a
 * secret's value, so the message is safe to print and to log.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(
    heading: string,
    problems: readonly string[],
    options?: { hint?: string; cause?: unknown },
  ) {
    const lines = [heading, ...problems.map((problem) => `  - ${problem}`)];
    if (options?.hint) lines.push(options.hint);
    super(lines.join('\n'), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
