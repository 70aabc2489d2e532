import { describe, expect, it } from '@jest/globals';
import { checkPublicEnv, supabaseSecretKind } from './public-env-check.ts';

const b64url = (o: object): string =>
  btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** A JWT shaped like Supabase's legacy API keys (the signature is irrelevant here). */
const legacyKey = (role: string): string =>
  `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: 'supabase', ref: 'abcdefghijklmnop', role, iat: 1, exp: 2 })}.c2lnbmF0dXJl`;

const SECRET = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
const PUBLISHABLE = 'sb_publishable_ZjRBy0kT6YTBoUs4o5nO4Q_4ZIqnvyz';

describe('NEXT_PUBLIC_* checks at build time', () => {
  it('knows a secret key from a publishable one, in both formats', () => {
    expect(supabaseSecretKind(SECRET)).toMatch(/secret key/);
    expect(supabaseSecretKind(` "${SECRET}" `)).toMatch(/secret key/);
    expect(supabaseSecretKind(legacyKey('service_role'))).toMatch(/service_role/);
    expect(supabaseSecretKind(PUBLISHABLE)).toBeUndefined();
    expect(supabaseSecretKind(legacyKey('anon'))).toBeUndefined();
    expect(supabaseSecretKind('https://abc.supabase.co')).toBeUndefined();
    expect(supabaseSecretKind('not.a.jwt')).toBeUndefined();
  });

  it('refuses a secret key in any NEXT_PUBLIC_* variable, naming the variable and never the value', () => {
    const { errors } = checkPublicEnv({
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: SECRET,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: legacyKey('service_role'),
      NEXT_PUBLIC_SOMETHING_ELSE: `prefix-${SECRET}`,
      // Server-side names are not inlined: the secret belongs there.
      SUPABASE_SECRET_KEY: SECRET,
      SUPABASE_SERVICE_ROLE_KEY: legacyKey('service_role'),
    });
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY holds a Supabase secret key/);
    expect(errors[1]).toMatch(/^NEXT_PUBLIC_SUPABASE_ANON_KEY holds a Supabase service_role key/);
    expect(errors[2]).toMatch(/^NEXT_PUBLIC_SOMETHING_ELSE holds/);
    for (const e of errors) {
      expect(e).not.toContain(SECRET.slice(10));
      expect(e).not.toContain(legacyKey('service_role').split('.')[1]);
      expect(e).toContain('NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY');
    }
  });

  it('takes the publishable key quietly, and warns about the legacy anon key name', () => {
    expect(checkPublicEnv({ NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE })).toEqual({
      errors: [],
      warnings: [],
    });
    const legacy = checkPublicEnv({ NEXT_PUBLIC_SUPABASE_ANON_KEY: legacyKey('anon') });
    expect(legacy.errors).toEqual([]);
    expect(legacy.warnings).toEqual([
      expect.stringMatching(
        /^NEXT_PUBLIC_SUPABASE_ANON_KEY is deprecated: rename it to NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY/,
      ),
    ]);
    const both = checkPublicEnv({
      NEXT_PUBLIC_SUPABASE_ANON_KEY: legacyKey('anon'),
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE,
    });
    expect(both.warnings).toEqual([expect.stringMatching(/both set and differ/)]);
  });
});
