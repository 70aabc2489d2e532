// The vendored JSON Schemas (vendor/schemas/, see its README), compiled once with ajv 8.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schemaDir = new URL('../../vendor/schemas/', import.meta.url);

const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')) as Record<string, unknown>;

const compiled = new Map<string, ValidateFunction>();

function compile(key: string, build: () => ValidateFunction): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    fn = build();
    compiled.set(key, fn);
  }
  return fn;
}

// strict: false because the upstream schemas use keywords ajv's strict mode rejects
// (e.g. "deprecated", unknown formats); allErrors so one run lists every problem.
export const composeSchema = (): ValidateFunction =>
  compile('compose', () =>
    new Ajv2020({ strict: false, allErrors: true }).compile(load('compose-spec.compose-go.json')),
  );

export const vercelSchema = (): ValidateFunction =>
  compile('vercel', () => {
    // Declares draft-04 but uses newer keywords: drop $schema and compile as draft-07.
    const { $schema: _draft04, ...schema } = load('vercel.schema.json');
    return new Ajv({ strict: false, allErrors: true }).compile(schema);
  });

export const workflowSchema = (): ValidateFunction =>
  compile('workflow', () =>
    new Ajv({ strict: false, allErrors: true }).compile(load('github-workflow.json')),
  );

/**
 * ajv's errors as short sentences. Schemas with oneOf/anyOf produce a cascade of alternatives;
 * the most specific messages (additionalProperties, enum, type at the deepest path) come first
 * and duplicates are dropped so the report stays readable.
 */
export function schemaMessages(
  errors: readonly ErrorObject[] | null | undefined,
  limit = 8,
): string[] {
  if (!errors?.length) return [];
  const rank = (e: ErrorObject): number =>
    e.keyword === 'additionalProperties'
      ? 0
      : e.keyword === 'enum' || e.keyword === 'const'
        ? 1
        : e.keyword === 'type'
          ? 2
          : 3;
  const sorted = [...errors].sort(
    (a, b) =>
      b.instancePath.split('/').length - a.instancePath.split('/').length || rank(a) - rank(b),
  );
  const out: string[] = [];
  for (const e of sorted) {
    const where = e.instancePath || '(root)';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` ('${String((e.params as { additionalProperty?: string }).additionalProperty)}')`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)})`
          : '';
    const line = `${where} ${e.message ?? 'is invalid'}${extra}`;
    if (!out.includes(line)) out.push(line);
    if (out.length >= limit) break;
  }
  return out;
}
