// FAKE Supabase Auth (GoTrue) server for the browser tests: hosted Supabase cannot run here, so
// this small HTTP server stands in for `<project>.supabase.co/auth/v1`. It is a fake, not a
// mock of our own code: it speaks GoTrue's wire format as @supabase/auth-js 2.119 sends and
// reads it (checked against node_modules/@supabase/auth-js/src and supabase/auth's handlers),
// so the web's real supabase-js and the API's real JWKS verification run unchanged against it.
//
// What it serves (under /auth/v1, as the Supabase gateway routes it):
//   POST /token?grant_type=password       email + password → session; else 400 invalid_credentials
//   POST /token?grant_type=refresh_token  rotates the refresh token → new session
//   POST /otp                             records a magic link (or signup link) → 200 {}
//   GET  /verify?token&type&redirect_to   303 to redirect_to#access_token=…&type=magiclink
//   GET  /user                            the user of the Bearer access token
//   POST /logout?scope=global|local|others  ends sessions (recorded) → 204
//   GET  /.well-known/jwks.json           the ES256 public key the access tokens are signed with
//   GET  /health
// Like the gateway, every route but /verify, /health and the JWKS needs the `apikey` header
// (the anon key). CORS as GoTrue configures it (rs/cors: allowed request headers, credentials,
// X-Supabase-Api-Version exposed). Errors in GoTrue's two shapes, chosen by the request's
// X-Supabase-Api-Version: 2024-01-01 → {code, message} and the header echoed; none → the
// legacy {code: <status>, error_code, msg}.
//
// Test-only (not GoTrue; the way Supabase's local stack exposes mail through Inbucket/Mailpit):
//   GET /__fake__/mail[?email=]  the emails "sent" (magic and signup links)
//   GET /__fake__/logouts        every /logout call
//   GET /__fake__/problems       requests it refused for a client-side reason (a CORS preflight
//                                with a header GoTrue does not allow, a missing apikey): the
//                                browser test expects none.
// Not implemented: PKCE (the web uses supabase-js's default implicit flow), sign-up with a
// password, phone, OAuth, MFA, admin routes, captcha.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** Anon keys in Supabase's current format (sb_publishable_…): supabase-js sends it as `apikey`. */
export const FAKE_SUPABASE_ANON_KEY = 'sb_publishable_fake-supabase-auth-for-e2e-tests';

export interface FakeSupabaseAuthOptions {
  /** 0: any free port. The URL is built into the Supabase-mode web build, so keep it stable. */
  port?: number;
  host?: string;
  anonKey?: string;
  /** GoTrue's SITE_URL: where /verify sends the browser when redirect_to is not allowed. */
  siteUrl?: string;
  /** Confirmed users that exist from the start (password optional: magic link only). */
  users?: { email: string; password?: string }[];
  /** JWT lifetime, GoTrue's JWT_EXP (default 3600 s). */
  accessTokenTtlS?: number;
}

export interface MailRecord {
  to: string;
  subject: string;
  /** The link of the email: /auth/v1/verify?token=…&type=magiclink|signup&redirect_to=… */
  link: string;
  type: 'magiclink' | 'signup';
  sentAt: string;
}

export interface LogoutRecord {
  userId: string;
  email: string;
  sessionId: string;
  scope: 'global' | 'local' | 'others';
  at: string;
}

export interface FakeSupabaseAuth {
  /** The project URL (what NEXT_PUBLIC_SUPABASE_URL and the API's SUPABASE_URL get). */
  url: string;
  anonKey: string;
  /** Sets GoTrue's SITE_URL (redirect_to must be on this origin, as with an allow list). */
  setSiteUrl(url: string): void;
  addUser(email: string, password?: string): void;
  mail(): MailRecord[];
  logouts(): LogoutRecord[];
  problems(): string[];
  stop(): Promise<void>;
}

interface User {
  id: string;
  email: string;
  password: string | undefined;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | undefined;
  lastSignInAt: string | undefined;
  /** Emailed link tokens (GoTrue: recovery_token / confirmation_token) and when they were sent. */
  linkToken: { token: string; type: 'magiclink' | 'signup'; sentAt: number } | undefined;
}

interface Session {
  id: string;
  userId: string;
  /** The current refresh token. */
  refreshToken: string;
  /** Rotated-out refresh tokens and when (GoTrue's reuse interval applies to them). */
  previous: Map<string, number>;
  amr: string;
}

// GoTrue's CORS (internal/api/api.go, rs/cors): these request headers, plus `apikey` which the
// Supabase gateway in front of it accepts. Compared lower-case.
const ALLOWED_HEADERS = new Set([
  'accept',
  'authorization',
  'content-type',
  'x-client-ip',
  'x-client-info',
  'x-jwt-aud',
  'x-use-cookie',
  'x-supabase-api-version',
  'apikey',
]);
const ALLOWED_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const EXPOSED_HEADERS = 'X-Total-Count, Link, X-Supabase-Api-Version';
const API_VERSION_HEADER = 'x-supabase-api-version';
const API_VERSION_2024 = '2024-01-01';
/** GoTrue's SMTP_MAX_FREQUENCY default: one email per user per 60 s. */
const MAIL_MIN_INTERVAL_MS = 60_000;
/** GoTrue's MAILER_OTP_EXP default. */
const LINK_TTL_MS = 3600_000;
/** GoTrue's SECURITY_REFRESH_TOKEN_REUSE_INTERVAL default (10 s). */
const REFRESH_REUSE_INTERVAL_MS = 10_000;

class GoTrueError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const isoNow = (): string => new Date().toISOString();
/** GoTrue's refresh tokens are short random strings (not JWTs). */
const newRefreshToken = (): string => randomBytes(9).toString('base64url');

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new GoTrueError(400, 'bad_json', 'Could not parse request body as JSON');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function startFakeSupabaseAuth(
  opts: FakeSupabaseAuthOptions = {},
): Promise<FakeSupabaseAuth> {
  const host = opts.host ?? '127.0.0.1';
  const anonKey = opts.anonKey ?? FAKE_SUPABASE_ANON_KEY;
  const ttlS = opts.accessTokenTtlS ?? 3600;
  let siteUrl = opts.siteUrl ?? 'http://localhost:3000';
  let baseUrl = '';
  const issuer = (): string => `${baseUrl}/auth/v1`;

  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const publicJwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: 'ES256',
    use: 'sig',
    key_ops: ['verify'],
  };

  const users = new Map<string, User>(); // by lower-case email
  const sessions = new Map<string, Session>();
  const mail: MailRecord[] = [];
  const logouts: LogoutRecord[] = [];
  const problems: string[] = [];

  const addUser = (email: string, password?: string): User => {
    const now = isoNow();
    const user: User = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
      lastSignInAt: undefined,
      linkToken: undefined,
    };
    users.set(user.email, user);
    return user;
  };
  for (const u of opts.users ?? []) addUser(u.email, u.password);

  const userById = (id: string): User | undefined => [...users.values()].find((u) => u.id === id);

  // models.User as GoTrue marshals it (the fields auth-js's User type names).
  const userJson = (u: User) => {
    const identityData = {
      email: u.email,
      email_verified: u.confirmedAt !== undefined,
      phone_verified: false,
      sub: u.id,
    };
    return {
      id: u.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: u.email,
      ...(u.confirmedAt ? { email_confirmed_at: u.confirmedAt, confirmed_at: u.confirmedAt } : {}),
      phone: '',
      ...(u.lastSignInAt ? { last_sign_in_at: u.lastSignInAt } : {}),
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: identityData,
      identities: [
        {
          identity_id: u.id,
          id: u.id,
          user_id: u.id,
          identity_data: identityData,
          provider: 'email',
          last_sign_in_at: u.lastSignInAt ?? u.createdAt,
          created_at: u.createdAt,
          updated_at: u.updatedAt,
          email: u.email,
        },
      ],
      created_at: u.createdAt,
      updated_at: u.updatedAt,
      is_anonymous: false,
    };
  };

  // GoTrue's access token: ES256 with the JWKS key id; claims as in its AccessTokenClaims.
  const accessToken = async (u: User, s: Session): Promise<{ token: string; exp: number }> => {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttlS;
    const token = await new SignJWT({
      email: u.email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {
        email: u.email,
        email_verified: true,
        phone_verified: false,
        sub: u.id,
      },
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: s.amr, timestamp: iat }],
      session_id: s.id,
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(issuer())
      .setSubject(u.id)
      .setAudience('authenticated')
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(privateKey as CryptoKey);
    return { token, exp };
  };

  // AccessTokenResponse.
  const sessionJson = async (u: User, s: Session) => {
    const { token, exp } = await accessToken(u, s);
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: ttlS,
      expires_at: exp,
      refresh_token: s.refreshToken,
      user: userJson(u),
    };
  };

  const newSession = (u: User, amr: string): Session => {
    const s: Session = {
      id: randomUUID(),
      userId: u.id,
      refreshToken: newRefreshToken(),
      previous: new Map(),
      amr,
    };
    sessions.set(s.id, s);
    u.lastSignInAt = isoNow();
    return s;
  };

  /** The user and session of the request's Bearer access token (GoTrue's requireAuthentication). */
  const authenticate = async (req: IncomingMessage): Promise<{ user: User; session: Session }> => {
    const m = /^bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1] || m[1] === anonKey)
      throw new GoTrueError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1], publicKey, {
        issuer: issuer(),
        audience: 'authenticated',
        algorithms: ['ES256'],
      }));
    } catch (err) {
      throw new GoTrueError(
        403,
        'bad_jwt',
        `invalid JWT: unable to parse or verify signature, ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const user = typeof payload.sub === 'string' ? userById(payload.sub) : undefined;
    if (!user)
      throw new GoTrueError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    const session =
      typeof payload.session_id === 'string' ? sessions.get(payload.session_id) : undefined;
    if (!session)
      throw new GoTrueError(
        403,
        'session_not_found',
        'Session from session_id claim in JWT does not exist',
      );
    return { user, session };
  };

  /** redirect_to when it is on the site's origin (GoTrue: SITE_URL / URI_ALLOW_LIST), else SITE_URL. */
  const allowedRedirect = (wanted: string | undefined | null): string => {
    if (wanted && URL.canParse(wanted) && new URL(wanted).origin === new URL(siteUrl).origin)
      return wanted;
    return siteUrl;
  };

  // --- routes -----------------------------------------------------------------------------

  type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

  const tokenGrant = async (req: IncomingMessage, url: URL): Promise<Reply> => {
    const grant = url.searchParams.get('grant_type');
    const body = await readJson(req);
    if (grant === 'password') {
      const email = str(body.email)?.trim().toLowerCase();
      const password = str(body.password);
      if (!email || !password)
        throw new GoTrueError(400, 'validation_failed', 'missing email or phone');
      const user = users.get(email);
      if (!user || user.password === undefined || user.password !== password)
        throw new GoTrueError(400, 'invalid_credentials', 'Invalid login credentials');
      if (!user.confirmedAt)
        throw new GoTrueError(400, 'email_not_confirmed', 'Email not confirmed');
      return { status: 200, body: await sessionJson(user, newSession(user, 'password')) };
    }
    if (grant === 'refresh_token') {
      const token = str(body.refresh_token);
      if (!token) throw new GoTrueError(400, 'validation_failed', 'Refresh token is required');
      const session = [...sessions.values()].find(
        (s) => s.refreshToken === token || s.previous.has(token),
      );
      const user = session ? userById(session.userId) : undefined;
      if (!session || !user)
        throw new GoTrueError(
          400,
          'refresh_token_not_found',
          'Invalid Refresh Token: Refresh Token Not Found',
        );
      const rotatedAt = session.previous.get(token);
      if (rotatedAt === undefined) {
        session.previous.set(token, Date.now());
        session.refreshToken = newRefreshToken();
      } else if (Date.now() - rotatedAt > REFRESH_REUSE_INTERVAL_MS) {
        // Reuse after the interval: GoTrue revokes the whole session (token theft suspected).
        sessions.delete(session.id);
        throw new GoTrueError(
          400,
          'refresh_token_already_used',
          'Invalid Refresh Token: Already Used',
        );
      }
      // Within the interval (two tabs refreshing at once): the session's current token.
      return { status: 200, body: await sessionJson(user, session) };
    }
    throw new GoTrueError(400, 'validation_failed', 'unsupported_grant_type');
  };

  const otp = async (req: IncomingMessage, url: URL): Promise<Reply> => {
    const body = await readJson(req);
    if (str(body.code_challenge))
      throw new GoTrueError(
        400,
        'validation_failed',
        'This fake Supabase Auth server implements the implicit flow only, not PKCE',
      );
    const email = str(body.email)?.trim().toLowerCase();
    if (!email) throw new GoTrueError(400, 'validation_failed', 'An email address is required');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw new GoTrueError(
        400,
        'validation_failed',
        'Unable to validate email address: invalid format',
      );
    let user = users.get(email);
    if (!user) {
      if (body.create_user === false)
        throw new GoTrueError(422, 'otp_disabled', 'Signups not allowed for otp');
      user = addUser(email);
      user.confirmedAt = undefined;
    }
    const last = user.linkToken?.sentAt;
    if (last !== undefined && Date.now() - last < MAIL_MIN_INTERVAL_MS)
      throw new GoTrueError(
        429,
        'over_email_send_rate_limit',
        `For security purposes, you can only request this after ${Math.ceil((MAIL_MIN_INTERVAL_MS - (Date.now() - last)) / 1000)} seconds.`,
      );
    // A new or unconfirmed user gets the signup confirmation (which signs them in too).
    const type = user.confirmedAt ? 'magiclink' : 'signup';
    const token = randomBytes(28).toString('hex');
    user.linkToken = { token, type, sentAt: Date.now() };
    const redirectTo = allowedRedirect(url.searchParams.get('redirect_to'));
    const link = `${issuer()}/verify?${new URLSearchParams({ token, type, redirect_to: redirectTo })}`;
    mail.push({
      to: user.email,
      subject: type === 'magiclink' ? 'Your Magic Link' : 'Confirm Your Signup',
      link,
      type,
      sentAt: isoNow(),
    });
    return { status: 200, body: {} };
  };

  const verify = async (url: URL): Promise<Reply> => {
    const token = url.searchParams.get('token') ?? '';
    const type = url.searchParams.get('type') ?? '';
    const redirectTo = allowedRedirect(url.searchParams.get('redirect_to'));
    const user = [...users.values()].find(
      (u) => u.linkToken !== undefined && u.linkToken.token === token,
    );
    const fail = (code: string, description: string): Reply => {
      const u = new URL(redirectTo);
      u.search = '';
      u.hash = new URLSearchParams({
        error: 'access_denied',
        error_code: code,
        error_description: description,
      }).toString();
      return { status: 303, headers: { location: u.toString() } };
    };
    if (
      !user?.linkToken ||
      user.linkToken.type !== type ||
      Date.now() - user.linkToken.sentAt > LINK_TTL_MS
    )
      return fail('otp_expired', 'Email link is invalid or has expired');
    user.linkToken = undefined;
    user.confirmedAt ??= isoNow();
    user.updatedAt = isoNow();
    const s = await sessionJson(user, newSession(user, 'otp'));
    // AccessTokenResponse.AsRedirectURL: url.Values encoded (sorted keys) in the fragment.
    const fragment = new URLSearchParams(
      Object.entries({
        access_token: s.access_token,
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        refresh_token: s.refresh_token,
        token_type: s.token_type,
        type,
      }),
    );
    return { status: 303, headers: { location: `${redirectTo}#${fragment}` } };
  };

  const logout = async (req: IncomingMessage, url: URL): Promise<Reply> => {
    const { user, session } = await authenticate(req);
    const scopeParam = url.searchParams.get('scope') ?? 'global';
    if (scopeParam !== 'global' && scopeParam !== 'local' && scopeParam !== 'others')
      throw new GoTrueError(400, 'validation_failed', 'Unsupported logout scope');
    for (const s of [...sessions.values()]) {
      if (s.userId !== user.id) continue;
      const drop =
        scopeParam === 'global' ||
        (scopeParam === 'local' && s.id === session.id) ||
        (scopeParam === 'others' && s.id !== session.id);
      if (drop) sessions.delete(s.id);
    }
    logouts.push({
      userId: user.id,
      email: user.email,
      sessionId: session.id,
      scope: scopeParam,
      at: isoNow(),
    });
    return { status: 204 };
  };

  const route = async (req: IncomingMessage, url: URL): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');

    if (path === '/__fake__/mail' && method === 'GET') {
      const email = url.searchParams.get('email')?.toLowerCase();
      return { status: 200, body: { messages: mail.filter((m) => !email || m.to === email) } };
    }
    if (path === '/__fake__/logouts' && method === 'GET') return { status: 200, body: { logouts } };
    if (path === '/__fake__/problems' && method === 'GET')
      return { status: 200, body: { problems } };

    if (!path.startsWith('/auth/v1/') && path !== '/auth/v1')
      throw new GoTrueError(404, 'not_found', 'Not found');
    const sub = path.slice('/auth/v1'.length);

    // Open routes: the emailed link, the health check and the JWKS need no apikey.
    if (sub === '/.well-known/jwks.json' && method === 'GET')
      return {
        status: 200,
        body: { keys: [publicJwk] },
        headers: { 'cache-control': 'public, max-age=600' },
      };
    if (sub === '/health' && method === 'GET')
      return {
        status: 200,
        body: {
          version: 'fake',
          name: 'GoTrue',
          description: 'Fake Supabase Auth (GoTrue) server for the e2e tests',
        },
      };
    if (sub === '/verify' && method === 'GET') return verify(url);

    // The gateway's key check (401 with `message`, as Supabase answers).
    const apikey = req.headers.apikey;
    if (apikey !== anonKey) {
      problems.push(`${method} ${url.pathname}: ${apikey ? 'wrong' : 'no'} apikey`);
      return {
        status: 401,
        body: apikey
          ? {
              message: 'Invalid API key',
              hint: 'Double check your Supabase `anon` or `service_role` API key.',
            }
          : {
              message: 'No API key found in request',
              hint: 'No `apikey` request header or url param was found.',
            },
      };
    }

    if (sub === '/token' && method === 'POST') return tokenGrant(req, url);
    if (sub === '/otp' && method === 'POST') return otp(req, url);
    if (sub === '/user' && method === 'GET') {
      const { user } = await authenticate(req);
      return { status: 200, body: userJson(user) };
    }
    if (sub === '/logout' && method === 'POST') return logout(req, url);
    throw new GoTrueError(404, 'not_found', 'Not found');
  };

  // --- HTTP -------------------------------------------------------------------------------

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return origin
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': EXPOSED_HEADERS,
          vary: 'Origin',
        }
      : {};
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const origin = req.headers.origin;
    const wantMethod = req.headers['access-control-request-method'];

    // rs/cors preflight: 204; the allow headers only when the method and every header pass.
    if (req.method === 'OPTIONS' && origin && typeof wantMethod === 'string') {
      const wantHeaders = (req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const refused = wantHeaders.filter((h) => !ALLOWED_HEADERS.has(h));
      const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
      if (!ALLOWED_METHODS.has(wantMethod.toUpperCase()) || refused.length > 0) {
        problems.push(
          `CORS preflight refused for ${wantMethod} ${url.pathname} from ${origin}: ${refused.join(', ') || 'method'}`,
        );
        res.writeHead(204, { vary }).end();
        return;
      }
      res
        .writeHead(204, {
          vary,
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-allow-methods': wantMethod.toUpperCase(),
          ...(wantHeaders.length > 0
            ? { 'access-control-allow-headers': wantHeaders.join(', ') }
            : {}),
        })
        .end();
      return;
    }

    let reply: Reply;
    try {
      reply = await route(req, url);
    } catch (err) {
      const e =
        err instanceof GoTrueError
          ? err
          : new GoTrueError(
              500,
              'unexpected_failure',
              'Unexpected failure, please check server logs for more information',
            );
      if (!(err instanceof GoTrueError)) console.error('fake supabase auth:', err);
      // HandleResponseError: the 2024-01-01 shape when the client asked for it (and the version
      // echoed back, which auth-js reads before trusting `code`), else the legacy one.
      const asked = req.headers[API_VERSION_HEADER];
      const v2024 = typeof asked === 'string' && asked >= API_VERSION_2024;
      reply = {
        status: e.status,
        body: v2024
          ? { code: e.code, message: e.message }
          : { code: e.status, error_code: e.code, msg: e.message },
        headers: {
          'x-sb-error-code': e.code,
          ...(v2024 ? { 'X-Supabase-Api-Version': API_VERSION_2024 } : {}),
        },
      };
    }
    const headers: Record<string, string> = { ...corsHeaders(req), ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    res
      .writeHead(reply.status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(reply.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('fake supabase auth:', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  baseUrl = `http://${host}:${port}`;

  return {
    url: baseUrl,
    anonKey,
    setSiteUrl(u) {
      siteUrl = u;
    },
    addUser(email, password) {
      addUser(email, password);
    },
    mail: () => [...mail],
    logouts: () => [...logouts],
    problems: () => [...problems],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
