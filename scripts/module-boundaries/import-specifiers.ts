import ts from 'typescript';

export interface ImportSpecifier {
  specifier: string;
  line: number;
}

/**
 * Every module specifier a file names: static imports and re-exports (type-only included: a
 * copied module must type-check too), side-effect imports, dynamic import() and import types.
 * TypeScript's own pre-processor, so comments and strings that merely look like imports are
 * not counted.
 */
export function importSpecifiers(source: string): ImportSpecifier[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((f) => ({
    specifier: f.fileName,
    line: source.slice(0, f.pos).split('\n').length,
  }));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
