// The HTTP contract of the API: zod schemas shared by the api (validation) and the web (client).
export * from './problem.ts';
export * from './health.ts';
export * from './auth.ts';
export * from './uploads.ts';
export * from './routes.ts';
export * from './upload-object-keys.ts';
