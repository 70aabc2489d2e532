// Writes docs/openapi.json and docs/api-reference.html from the zod contracts (api/src/openapi). With `--check` it writes
// nothing and exits 1 when the committed file has drifted; scripts/openapi.test.ts runs the
// same check inside `npm test`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../api/src/openapi/build-document.ts';
import { renderReference } from '../api/src/openapi/render-reference.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const OPENAPI_FILE = 'docs/openapi.json';
export const REFERENCE_FILE = 'docs/api-reference.html';

/** The document and its reference page, as they should be committed. */
export function generateOpenApi(): { path: string; content: string }[] {
  const doc = buildOpenApiDocument();
  return [
    { path: OPENAPI_FILE, content: `${JSON.stringify(doc, null, 2)}\n` },
    { path: REFERENCE_FILE, content: renderReference(doc) },
  ];
}

/** Empty when both files are what the contracts generate; else one message per file. */
export function checkOpenApi(): string[] {
  return generateOpenApi().flatMap(({ path, content }) => {
    const file = join(root, path);
    if (!existsSync(file)) return [`${path} is missing.`];
    const current = readFileSync(file, 'utf8');
    if (current === content) return [];
    const have = current.split('\n');
    const lines = content.split('\n');
    const at = lines.findIndex((line, i) => have[i] !== line);
    return [
      `${path} differs from the contracts from line ${at + 1}:\n  - ${(have[at] ?? '(end of file)').slice(0, 200)}\n  + ${(lines[at] ?? '(end of file)').slice(0, 200)}`,
    ];
  });
}

if (import.meta.main) {
  if (process.argv.includes('--check')) {
    const drift = checkOpenApi();
    if (drift.length > 0) {
      console.error(`${drift.join('\n')}\n\nRun \`npm run openapi\` and commit the result.`);
      process.exitCode = 1;
    } else {
      console.log(`${OPENAPI_FILE} and ${REFERENCE_FILE} match the contracts.`);
    }
  } else {
    for (const { path, content } of generateOpenApi()) writeFileSync(join(root, path), content);
    console.log(`Wrote ${OPENAPI_FILE} and ${REFERENCE_FILE} from the contracts.`);
  }
}
