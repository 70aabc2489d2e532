import { z } from 'zod';

// The metadata every env variable carries (zod 4's .meta(), read back from z.globalRegistry).
// Modules attach it with plain zod, so a module's env.ts needs nothing but zod to be copied.
export interface EnvMeta {
  /** One sentence: what it does, and any unit. Goes into .env.example and docs/env.md. */
  description: string;
  /** Never printed: redacted in printed config, errors show no value. */
  secret?: boolean;
  /** Value for local development when there is no default (shown uncommented in .env.example). */
  example?: string;
  /** Free-form note for docs/env.md (production advice). */
  production?: string;
}

/**
 * The EnvMeta of one schema field. Looks through wrappers (`.optional()`, `.default()`,
 * `.transform()`…) added after `.meta()`, since zod 4 registers the metadata on the instance
 * `.meta()` returned, not on the wrappers built on top of it.
 */
export function readEnvMeta(field: z.ZodType): EnvMeta | undefined {
  for (let current: z.ZodType | undefined = field; current;) {
    const meta = z.globalRegistry.get(current);
    if (meta) return meta as EnvMeta;
    const def = current._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
    current = def.innerType ?? def.in;
  }
  return undefined;
}
