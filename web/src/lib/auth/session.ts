/** What the web keeps of a sign-in: enough to call the API and show who is signed in. */
export interface Session {
  accessToken: string;
  /** ISO-8601; the token is not used after this. */
  expiresAt: string;
  email: string | null;
  provider: 'dev' | 'supabase';
}

export const isExpired = (s: Session, now = Date.now()): boolean => {
  const t = Date.parse(s.expiresAt);
  // A few seconds of margin: a token that expires in flight fails with a confusing 401.
  return Number.isNaN(t) || t - 5000 <= now;
};
