// YAML parsing shared by the compose, workflow and dependabot validators.
import { isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { error, type Finding } from './report.ts';

export interface ParsedYaml {
  /** The document as plain data (merge keys `<<` resolved, as Compose does). */
  data: unknown;
  findings: Finding[];
}

/**
 * yaml11Lint: also flag scalars YAML 1.1 tools read differently (for files other tools parse
 * too, like the compose file; GitHub reads `on:` in workflows as a string, so not there).
 */
export function parseYaml(
  text: string,
  { yaml11Lint = false }: { yaml11Lint?: boolean } = {},
): ParsedYaml {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  const findings = doc.errors.map((e) => error(`YAML: ${e.message.split('\n')[0]}`));
  if (findings.length > 0) return { data: undefined, findings };
  if (yaml11Lint) findings.push(...yaml11Ambiguities(doc, text));
  return { data: doc.toJS({ maxAliasCount: 100 }), findings };
}

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
// YAML 1.1 sexagesimal integers: an unquoted "22:22" port mapping reads as 1342 there.
const YAML11_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML11_OCTAL = /^0[0-7]+$/;

/**
 * Plain (unquoted) scalars that YAML 1.2 reads as strings or decimals but YAML 1.1 tools
 * (docker-compose v1, PyYAML, many linters) read as booleans, base-60 or octal numbers:
 * `restart: no`, `- 22:22`, `mode: 0755`. Quoting them removes the ambiguity.
 */
export function yaml11Ambiguities(doc: ReturnType<typeof parseDocument>, text: string): Finding[] {
  const out: Finding[] = [];
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (!isScalar(node) || node.type !== 'PLAIN' || !node.source) return;
      const src = node.source;
      if (
        YAML11_BOOL.test(src) ||
        YAML11_SEXAGESIMAL.test(src) ||
        (YAML11_OCTAL.test(src) && typeof node.value === 'number')
      ) {
        const line = node.range ? lineOf(text, node.range[0]) : undefined;
        out.push(
          error(
            `unquoted ${JSON.stringify(src)}${line ? ` (line ${line})` : ''} means something else in YAML 1.1 (a boolean or a number): quote it`,
          ),
        );
      }
    },
  });
  return out;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
