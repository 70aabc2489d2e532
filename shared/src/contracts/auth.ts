import { z } from 'zod';

export const devLoginRequest = z.strictObject({
  email: z.email().max(254),
});
export type DevLoginRequest = z.infer<typeof devLoginRequest>;

export const devLoginResponse = z.object({
  accessToken: z.string().min(1),
  tokenType: z.literal('Bearer'),
  expiresAt: z.iso.datetime(),
});
export type DevLoginResponse = z.infer<typeof devLoginResponse>;

export const meResponse = z.object({
  /** The token's `sub`: the owner id of this user's uploads. */
  id: z.uuid(),
  email: z.string().nullable(),
  role: z.string(),
});
export type MeResponse = z.infer<typeof meResponse>;
