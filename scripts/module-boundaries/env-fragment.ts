/**
 * The variables an env fragment defines: top-level keys of the exported object whose value is
 * a zod schema (`  NAME: z…`), in `env.ts` or `<something>-env.ts`. A text scan, not an import:
 * the check must not execute module code.
 */
export function envFragmentKeys(source: string): string[] {
  return [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]*):\s*z\b/gm)].map((m) => m[1]!);
}

export const isEnvFragmentFile = (relPath: string): boolean =>
  /(^|\/|-)env\.ts$/.test(relPath) && !relPath.includes('test-fixtures/');
