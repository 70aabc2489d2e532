const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    if (Number.isNaN(Date.parse(ts.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))))
      return undefined;
    return { ts, id };
  } catch {
    return undefined;
  }
}
