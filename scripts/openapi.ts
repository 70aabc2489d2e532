// Writes docs/openapi.json from the zod contracts (api/src/openapi). With `--check` it writes
// nothing and exits 1 when the committed file has drifted; scripts/openapi.test.ts runs the
// same check inside `npm test`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../api/src/openapi/build-document.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const OPENAPI_FILE = 'docs/openapi.json';

export const renderOpenApi = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

/** Empty when docs/openapi.json is what the contracts generate; else why not. */
export function checkOpenApi(): string[] {
  const file = join(root, OPENAPI_FILE);
  if (!existsSync(file)) return [`${OPENAPI_FILE} is missing.`];
  const current = readFileSync(file, 'utf8');
  const want = renderOpenApi();
  if (current === want) return [];
  const have = current.split('\n');
  const lines = want.split('\n');
  const firstDiff = lines.findIndex((line, i) => have[i] !== line);
  return [
    `${OPENAPI_FILE} differs from the contracts from line ${firstDiff + 1}:\n  - ${have[firstDiff] ?? '(end of file)'}\n  + ${lines[firstDiff] ?? '(end of file)'}`,
  ];
}

if (import.meta.main) {
  if (process.argv.includes('--check')) {
    const drift = checkOpenApi();
    if (drift.length > 0) {
      console.error(`${drift.join('\n')}\n\nRun \`npm run openapi\` and commit the result.`);
      process.exitCode = 1;
    } else {
      console.log(`${OPENAPI_FILE} matches the contracts.`);
    }
  } else {
    writeFileSync(join(root, OPENAPI_FILE), renderOpenApi());
    console.log(`Wrote ${OPENAPI_FILE} from the contracts.`);
  }
}
