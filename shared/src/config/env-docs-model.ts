import { z } from 'zod';
import { readEnvMeta } from './env-meta.ts';

/** One process's schema, as the docs generator takes it: `{ name: 'api', schema: apiEnvSchema }`. */
export interface EnvDocsSection {
  name: string;
  schema: z.ZodObject;
}

/** Everything the docs say about one variable, read from its schema field. */
export interface EnvVariableDoc {
  name: string;
  /** The processes that read it, in section order. */
  processes: string[];
  description: string;
  /** No default and not optional: the process refuses to start without it. */
  required: boolean;
  secret: boolean;
  defaultValue?: string;
  example?: string;
  /** Enum values. */
  allowed?: string[];
  production?: string;
}

export interface EnvDocsGroup {
  processes: string[];
  variables: EnvVariableDoc[];
}

/**
 * The variables of every section, each once with the processes that read it, grouped by that
 * list of processes. Order follows the sections and their schemas, so output is deterministic.
 * A name two processes define differently (another default, say) appears once per definition.
 */
export function collectEnvDocs(sections: readonly EnvDocsSection[]): EnvDocsGroup[] {
  const variables: EnvVariableDoc[] = [];
  for (const section of sections) {
    for (const [name, field] of Object.entries(section.schema.shape as Record<string, z.ZodType>)) {
      const doc = describeField(section.name, name, field);
      const same = variables.find((known) => sameDefinition(known, doc));
      if (same) same.processes.push(section.name);
      else variables.push(doc);
    }
  }
  const groups = new Map<string, EnvDocsGroup>();
  for (const variable of variables) {
    const key = variable.processes.join(',');
    const group = groups.get(key) ?? { processes: variable.processes, variables: [] };
    group.variables.push(variable);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function describeField(process: string, name: string, field: z.ZodType): EnvVariableDoc {
  const meta = readEnvMeta(field);
  if (!meta?.description) throw new Error(`${name} (${process}) has no .meta({ description })`);
  // What the process gets when the variable is unset: a failure means required.
  const unset = field.safeParse(undefined);
  const allowed = (z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }).enum ??
    undefined) as unknown[] | undefined;
  return {
    name,
    processes: [process],
    description: meta.description,
    required: !unset.success,
    secret: meta.secret === true,
    ...(unset.success && unset.data !== undefined && { defaultValue: envString(unset.data) }),
    ...(meta.example !== undefined && { example: meta.example }),
    ...(allowed && { allowed: allowed.map(envString) }),
    ...(meta.production !== undefined && { production: meta.production }),
  };
}

function sameDefinition(a: EnvVariableDoc, b: EnvVariableDoc): boolean {
  return JSON.stringify({ ...a, processes: [] }) === JSON.stringify({ ...b, processes: [] });
}

/** A parsed value written back the way it is set in the environment. */
function envString(value: unknown): string {
  if (Array.isArray(value)) return value.map(envString).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
