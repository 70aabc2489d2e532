export { createLogger, type CreateLoggerOptions } from './create-logger.ts';
export { scrubString } from './scrub-string.ts';
export { scrubValue, serializeError, type SerializedError } from './scrub-value.ts';
export { isSensitiveKey } from './sensitive-keys.ts';
export { isSecretQueryParam, SECRET_QUERY_PARAMS } from './secret-query-params.ts';
export { REDACT_PATHS, REDACT_CENSOR } from './redact-paths.ts';
export { createMemoryDestination, type MemoryDestination } from './memory-destination.ts';
export { loggerEnv } from './env.ts';
export type { Logger } from 'pino';
// Test data (all fake) for leak tests in every pipeline: logs, Sentry, job payloads, HTTP bodies.
export {
  SECRET_CORPUS,
  SAFE_TEXTS,
  findLeaks,
  leakFragments,
  type CorpusSecret,
  type SecretKind,
} from './test-corpus.ts';
export {
  createBatchedDestination,
  type BatchedDestination,
  type BatchedDestinationOptions,
} from './batched-destination.ts';
