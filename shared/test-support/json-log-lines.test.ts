import { describe, expect, it } from '@jest/globals';
import { duplicateKeys, jsonLineProblem, jsonLogProblems } from './json-log-lines.ts';

describe('jsonLineProblem', () => {
  it('accepts one JSON object per line with unique keys at every depth', () => {
    expect(jsonLineProblem('{"a":1,"b":{"a":"x","c":[{"a":1},{"a":2}]},"s":"\\"}{"}')).toBe(
      undefined,
    );
  });

  it('reports a key held twice, at the top or nested, by its path', () => {
    expect(duplicateKeys('{"version":"1.0","msg":"m","version":"20260101"}')).toEqual(['version']);
    expect(duplicateKeys('{"err":{"a":1,"b":[{"x":1,"x":2}]}}')).toEqual(['err.b[0].x']);
    expect(jsonLineProblem('{"version":"1","version":"2"}')).toBe('duplicate key(s): version');
  });

  it('reports text that is not a JSON object', () => {
    expect(jsonLineProblem('(node:1) ExperimentalWarning: x')).toBe('not JSON');
    expect(jsonLineProblem('[1,2]')).toBe('not a JSON object');
    expect(jsonLineProblem('"x"')).toBe('not a JSON object');
  });

  it('names the process and skips empty lines', () => {
    expect(
      jsonLogProblems([
        { name: 'api', lines: ['{"a":1}', '', 'boom'] },
        { name: 'worker', lines: ['{"a":1,"a":1}'] },
      ]),
    ).toEqual(['api: not JSON: boom', 'worker: duplicate key(s): a: {"a":1,"a":1}']);
  });
});
