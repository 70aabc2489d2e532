const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// PostgreSQL's created_at::text (DateStyle ISO): 2026-12-07 19:22:41.123456+00 (or +05:30).
const PG_TIMESTAMPTZ =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;

/**
 * Only what encodeCursor can have produced: Date.parse accepts far more (`1`, `+275760-09-13…`,
 * `Jan 1, 2024`) and PostgreSQL rejected some of it with an error, a 500 (found by the route
 * fuzzer). The calendar check keeps out 2024-02-30 and year 0, which the database refuses too.
 */
function isPgTimestamp(ts: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(ts);
  if (!m) return false;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return (
    y! >= 1 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    h! < 24 &&
    mi! < 60 &&
    s! < 60 &&
    oh! <= 15 &&
    om! < 60
  );
}

export interface ListPosition {
  ts: string;
  id: string;
}

/** Opaque to clients: base64url of the last row's (created_at, id). */
export const encodeCursor = (p: ListPosition): string =>
  Buffer.from(JSON.stringify([p.ts, p.id])).toString('base64url');

/** undefined when the cursor was not made by encodeCursor (the client gets a 400). */
export function decodeCursor(cursor: string): ListPosition | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [ts, id] = v as unknown[];
    if (typeof ts !== 'string' || typeof id !== 'string' || !UUID.test(id)) return undefined;
    if (!isPgTimestamp(ts)) return undefined;
    return { ts, id };
  } catch {
    return undefined;
  }
}
