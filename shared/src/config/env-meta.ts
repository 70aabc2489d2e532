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
