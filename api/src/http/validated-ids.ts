// The only parameter shape this API's routes accept as an id (uploads, users): a UUID.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The path parameters of a matched route that are well-formed ids, for the access log, read
 * by lining the path up with the route template (req.params is gone by the time the response
 * is logged). Any other value is whatever the client put in the segment (an IBAN, a password,
 * a national id) and is left out: the template already says which parameter was there.
 */
export function validatedIds(template: string, path: string): Record<string, string> | undefined {
  const names = template.split('/');
  const values = path.split('/');
  if (names.length !== values.length) return undefined;
  let ids: Record<string, string> | undefined;
  names.forEach((name, i) => {
    const value = values[i]!;
    if (name.startsWith(':') && value.length === 36 && UUID.test(value)) {
      (ids ??= {})[name.slice(1)] = value.toLowerCase();
    }
  });
  return ids;
}
