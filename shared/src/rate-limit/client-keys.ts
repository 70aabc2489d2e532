import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';

/** How a limiter names the client a request counts against. */
export type RateLimitKey = (req: Request) => string;

/**
 * Per client: `req.ip`, which honours Express' `trust proxy` (set it to your proxy hop count,
 * never `true`, or any client picks its own key with X-Forwarded-For). IPv6 addresses are
 * grouped by /56: one subscriber usually holds a whole prefix.
 */
export const byClientIp: RateLimitKey = (req) =>
  ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/**
 * Per user: `getUserId` reads the id your auth middleware put on the request (mount the
 * limiter after it). A request without a user falls back to its client IP, so anonymous
 * traffic is still limited per client instead of sharing one bucket.
 */
export const byUser =
  (getUserId: (req: Request) => string | undefined): RateLimitKey =>
  (req) => {
    const id = getUserId(req);
    return id ? `user:${id}` : `ip:${byClientIp(req)}`;
  };
