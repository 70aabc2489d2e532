// What the middleware chain attaches to a request. Not `req.id`: pino-http types that one
// loosely (string | number | object) and we want a plain string everywhere.
export interface AuthUser {
  /** The token's `sub` (a UUID): the owner id of this user's uploads. */
  id: string;
  email: string | null;
  role: string;
  /** `app_metadata.role` of the token (Supabase: set by the service role only), e.g. `admin`. */
  appRole?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's documented way to type req extensions
  namespace Express {
    interface Request {
      requestId: string;
      user?: AuthUser;
    }
  }
}
