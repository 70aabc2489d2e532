import { z } from 'zod';
import { loadConfig, type LoadConfigOptions } from './load-config.ts';
import type { ProductionRule } from './production-rules.ts';

export interface ConfigDefinition<S extends z.ZodObject> {
  /** The process's env schema: what `npm run env:docs` documents. */
  schema: S;
  productionRules: readonly ProductionRule<z.output<S>>[];
  /** loadConfig(schema, { ...options, productionRules }). */
  load(options?: Omit<LoadConfigOptions<z.output<S>>, 'productionRules'>): Readonly<z.output<S>>;
}

/**
 * One process's config in one place: its variables (spread the module fragments, add its
 * own) and the settings it refuses in production.
 *
 *   export const apiConfig = defineConfig({
 *     shape: { ...baseEnv, ...loggerEnv, ...dbEnv, PORT: z.coerce.number().default(4000).meta({...}) },
 *     productionRules: [...defaultProductionRules, requiredInProduction(['METRICS_TOKEN'])],
 *   });
 */
export function defineConfig<const Shape extends z.ZodRawShape>(definition: {
  shape: Shape;
  productionRules?: readonly ProductionRule<z.output<z.ZodObject<Shape>>>[];
}): ConfigDefinition<z.ZodObject<Shape>> {
  const schema = z.object(definition.shape);
  const productionRules = definition.productionRules ?? [];
  return {
    schema,
    productionRules,
    load: (options = {}) => loadConfig(schema, { ...options, productionRules }),
  };
}
