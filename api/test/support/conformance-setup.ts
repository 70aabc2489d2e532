// Jest setup (api project): a test whose API responses differ from docs/openapi.json fails,
// naming each response and what differs. The recorder (openapi-conformance.ts) is put on
// every app createTestApi builds.
import { afterEach } from '@jest/globals';
import { takeViolations } from './openapi-conformance.ts';

afterEach(() => {
  const found = takeViolations();
  if (found.length === 0) return;
  const lines = found
    .slice(0, 10)
    .map((v) => `${v.request} → ${v.status}\n    ${v.problems.join('\n    ')}`);
  throw new Error(
    `${found.length} response(s) do not conform to the OpenAPI document:\n  ${lines.join('\n  ')}`,
  );
});
