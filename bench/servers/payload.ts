// What every HTTP server in the API scenario answers, byte for byte: the baselines send the
// same JSON the full stack builds, so only the middleware differs.

export const BENCH_UPLOAD_ID = '3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b';
export const BENCH_USER_ID = '8d0c5a52-6a1e-4c55-9c1e-1f1c2a3b4c5d';

/** The validated, authenticated route (spliced into the real app; see api-stack.ts). */
export const UPLOAD_PATH = `/v1/bench/uploads/${BENCH_UPLOAD_ID}`;
/** The app's own GET /v1/me (no input to validate). */
export const ME_PATH = '/v1/me';

export const uploadBody = (id: string) => ({
  id,
  filename: 'cat.png',
  contentType: 'image/png',
  size: 48213,
  status: 'ready',
  statusReason: null,
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  detectedType: 'image/png',
  createdAt: '2026-11-05T10:20:30.123Z',
  updatedAt: '2026-11-05T10:20:31.456Z',
});

export const meBody = { id: BENCH_USER_ID, email: null, role: 'authenticated' };

/** A line the parent waits for: the child listens and is ready to be measured. */
export const announceReady = (extra: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ready: true, ...extra })}\n`);
};
