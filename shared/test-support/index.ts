// Helpers for tests against the real local services. Not a shared module: tests only.
export * from './env.ts';
export * from './database.ts';
export * from './ports.ts';
export * from './tcp-switch.ts';
export * from './redis-server.ts';
export * from './process.ts';
export * from './wait-until.ts';
export * from './png.ts';
export * from './json-log-lines.ts';
export * from './runner-signals.ts';
export * from './process-tree.ts';
