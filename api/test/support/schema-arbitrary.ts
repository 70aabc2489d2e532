import fc, { type Arbitrary } from 'fast-check';

type Schema = Record<string, unknown>;

/**
 * fast-check arbitraries from the JSON Schema subset z.toJSONSchema emits for the contracts:
 * objects, strings (length, pattern, enum, const), integers and numbers (bounds), booleans,
 * arrays, nullable type lists, anyOf and local $refs. `valid` follows the schema; `invalid`
 * breaks exactly one rule (a wrong type, a missing required property, an unknown property, a
 * bound), so the API must refuse it with a declared 4xx, never a 5xx.
 */
export function schemaArbitraries(root: Schema) {
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    let node: unknown = root;
    for (const part of ref.replace(/^#\//, '').split('/'))
      node = (node as Schema)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return resolve(node as Schema);
  };

  const valid = (input: Schema): Arbitrary<unknown> => {
    const s = resolve(input);
    if ('const' in s) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Schema[]).map(valid));
    if (Array.isArray(s.type))
      return fc.oneof(...(s.type as string[]).map((type) => valid({ ...s, type })));
    switch (s.type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({
          min: Math.max((s.minimum as number | undefined) ?? -1e6, Number.MIN_SAFE_INTEGER),
          max: Math.min((s.maximum as number | undefined) ?? 1e6, Number.MAX_SAFE_INTEGER),
        });
      case 'number':
        return fc.double({
          min: (s.minimum as number | undefined) ?? -1e6,
          max: (s.maximum as number | undefined) ?? 1e6,
          noNaN: true,
        });
      case 'string': {
        if (typeof s.pattern === 'string') {
          const max = (s.maxLength as number | undefined) ?? 300;
          const min = (s.minLength as number | undefined) ?? 0;
          return fc
            .stringMatching(new RegExp(s.pattern))
            .filter((v) => v.length >= min && v.length <= max);
        }
        return fc.string({
          minLength: (s.minLength as number | undefined) ?? 0,
          maxLength: Math.min((s.maxLength as number | undefined) ?? 40, 300),
        });
      }
      case 'array':
        return fc.array(valid((s.items as Schema | undefined) ?? {}), {
          minLength: (s.minItems as number | undefined) ?? 0,
          maxLength: 3,
        });
      case 'object': {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = (s.required as string[] | undefined) ?? [];
        return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v)])), {
          requiredKeys: required,
        });
      }
      default:
        return fc.jsonValue();
    }
  };

  const invalid = (input: Schema): Arbitrary<unknown> => {
    const s = resolve(input);
    const wrongType = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.constant([]),
      fc.constant({}),
      s.type === 'string' ? fc.integer() : fc.string(),
    );
    if (s.type === 'object') {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = (s.required as string[] | undefined) ?? [];
      const base = valid(s) as Arbitrary<Record<string, unknown>>;
      const breakOne = Object.keys(props).map((k) =>
        fc.tuple(base, invalid(props[k]!)).map(([o, v]) => ({ ...o, [k]: v })),
      );
      const dropOne = required.map((k) =>
        base.map((o) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))),
      );
      const extra =
        s.additionalProperties === false ? [base.map((o) => ({ ...o, notInTheContract: 1 }))] : [];
      return fc.oneof(wrongType, ...breakOne, ...dropOne, ...extra);
    }
    const bounds: Arbitrary<unknown>[] = [];
    if (typeof s.minimum === 'number') bounds.push(fc.constant(s.minimum - 1));
    if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER)
      bounds.push(fc.constant(s.maximum + 1));
    if (s.type === 'integer') bounds.push(fc.constant(1.5));
    if (typeof s.maxLength === 'number') bounds.push(fc.constant('x'.repeat(s.maxLength + 1)));
    if (typeof s.minLength === 'number' && s.minLength > 0) bounds.push(fc.constant(''));
    if (typeof s.pattern === 'string' || Array.isArray(s.enum) || 'const' in s)
      bounds.push(fc.constantFrom('\u0000', '../x', 'NOT A VALUE', '%zz'));
    return bounds.length > 0 ? fc.oneof(wrongType, ...bounds) : wrongType;
  };

  return { valid, invalid, resolve };
}
