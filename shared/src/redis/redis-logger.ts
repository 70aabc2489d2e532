/** The part of a logger this module uses; a pino logger fits. */
export interface RedisLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
