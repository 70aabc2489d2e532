export { baseEnv } from './base-env.ts';
export { ConfigError } from './config-error.ts';
export { defineConfig, type ConfigDefinition } from './define-config.ts';
export {
  collectEnvDocs,
  type EnvDocsGroup,
  type EnvDocsSection,
  type EnvVariableDoc,
} from './env-docs-model.ts';
export { resolveEnvFiles, type EnvFiles } from './env-files.ts';
export { readEnvMeta, type EnvMeta } from './env-meta.ts';
export { loadConfig, type LoadConfigOptions } from './load-config.ts';
export {
  defaultProductionRules,
  minSecretLength,
  isSupabaseSecretKey,
  noDevLogin,
  noLocalS3Credentials,
  noSecretKeyInPublicVars,
  noWildcardCorsOrigin,
  requiredInProduction,
  type ProductionRule,
} from './production-rules.ts';
export { formatConfig, protectConfig, redactConfig, redactSecret, REDACTED } from './redact.ts';
export { renderEnvExample } from './render-env-example.ts';
export { renderEnvMarkdown } from './render-env-markdown.ts';
