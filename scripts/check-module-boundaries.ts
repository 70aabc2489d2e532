// `node scripts/check-module-boundaries.ts [--root <dir>]`: fails (exit 1, one line per
// problem) when a shared module stops being copyable on its own — see
// scripts/module-boundaries/check.ts for the rules and docs/copy-a-module.md for why.
// Part of `npm test` (scripts/test.sh), with scripts/check-module-boundaries.test.ts.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModuleBoundaries } from './module-boundaries/check.ts';

if (import.meta.main) {
  const at = process.argv.indexOf('--root');
  const root =
    at > 0 ? resolve(process.argv[at + 1] ?? '.') : fileURLToPath(new URL('..', import.meta.url));
  const violations = checkModuleBoundaries(root);
  for (const v of violations) console.error(`${v.where}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} module boundary problem(s); see docs/copy-a-module.md`);
    process.exit(1);
  }
  console.log('module boundaries: every shared module imports only what its module.json declares');
}
