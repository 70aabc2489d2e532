// .github/workflows/*.yml: SchemaStore's workflow schema, then what the CI must do.
import { schemaMessages, workflowSchema } from './schemas.ts';
import { error, type CheckResult, type Finding } from './report.ts';
import { isRecord, parseYaml } from './yaml-source.ts';

/** The steps the users' CI runs (matched against every `run:` of the workflow). */
export const REQUIRED_STEPS: Record<string, RegExp> = {
  'install (npm ci)': /\bnpm ci\b/,
  'format check': /prettier\s+--check|npm run format:check/,
  lint: /\beslint\b|npm run lint/,
  typecheck: /\btypecheck\b|\btsc\b/,
  tests: /\bjest\b|npm (run )?test\b/,
  build: /npm run build|turbo run build/,
  'npm audit --omit=dev --audit-level=high': /npm audit\b(?=.*--omit=dev)(?=.*--audit-level=high)/,
  'deploy configs (validate:deploy)': /validate:deploy/,
};

/** Service containers the tests need, on the ports of the tests' defaults (test-support env). */
export const REQUIRED_SERVICES: Record<string, { image: RegExp; port: string }> = {
  postgres: { image: /^postgres:/, port: '54322:5432' },
  redis: { image: /^redis:/, port: '6380:6379' },
};

/** owner/repo[/path]@<full commit SHA>: a tag or branch can be moved to other code. */
const PINNED_ACTION = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/;

/** Supply-chain rules: actions pinned by SHA, no persisted checkout token, no install scripts. */
function supplyChainRules(
  jobs: Record<string, unknown>[],
  steps: Record<string, unknown>[],
  runs: string,
): Finding[] {
  const f: Finding[] = [];
  const uses = [...jobs, ...steps]
    .map((s) => s.uses)
    .filter((u): u is string => typeof u === 'string');
  for (const u of uses) {
    if (u.startsWith('./') || u.startsWith('docker://')) continue;
    if (!PINNED_ACTION.test(u))
      f.push(error(`\`uses: ${u}\` is not pinned by commit SHA (owner/repo@<40 hex> # vX.Y.Z)`));
  }
  for (const s of steps) {
    if (typeof s.uses !== 'string' || !s.uses.startsWith('actions/checkout@')) continue;
    const w = isRecord(s.with) ? s.with : {};
    if (w['persist-credentials'] !== false && w['persist-credentials'] !== 'false')
      f.push(
        error(
          'actions/checkout must set `persist-credentials: false` (no token left in .git/config)',
        ),
      );
  }
  for (const line of runs.split('\n')) {
    if (/\bnpm (ci|install|i)\b/.test(line) && !/--ignore-scripts\b/.test(line))
      f.push(error(`\`${line.trim()}\` runs install scripts: add --ignore-scripts`));
  }
  return f;
}

export function validateWorkflow(text: string, target: string): CheckResult[] {
  const parsed = parseYaml(text);
  const schema: CheckResult = {
    check: 'workflow: GitHub workflow schema',
    target,
    findings: [...parsed.findings],
  };
  if (!isRecord(parsed.data)) return [schema];
  const validate = workflowSchema();
  if (!validate(parsed.data)) schema.findings.push(...schemaMessages(validate.errors).map(error));
  return [
    schema,
    { check: 'workflow: CI steps and services', target, findings: ciRules(parsed.data) },
  ];
}

function ciRules(wf: Record<string, unknown>): Finding[] {
  const f: Finding[] = [];
  const jobs = isRecord(wf.jobs) ? Object.values(wf.jobs).filter(isRecord) : [];
  const steps = jobs.flatMap((j) => (Array.isArray(j.steps) ? j.steps.filter(isRecord) : []));
  const runs = steps.map((s) => (typeof s.run === 'string' ? s.run : '')).join('\n');
  for (const [name, pattern] of Object.entries(REQUIRED_STEPS))
    if (!pattern.test(runs)) f.push(error(`no step runs ${name}`));

  const services = jobs.flatMap((j) =>
    isRecord(j.services) ? Object.values(j.services).filter(isRecord) : [],
  );
  for (const [name, want] of Object.entries(REQUIRED_SERVICES)) {
    const svc = services.find((s) => typeof s.image === 'string' && want.image.test(s.image));
    if (!svc) f.push(error(`no ${name} service container`));
    else if (!(Array.isArray(svc.ports) && svc.ports.map(String).includes(want.port)))
      f.push(error(`${name} service container must map ${want.port} (the tests' default port)`));
  }

  const setupNode = steps.find(
    (s) => typeof s.uses === 'string' && s.uses.startsWith('actions/setup-node@'),
  );
  const withNode = isRecord(setupNode?.with) ? setupNode.with : {};
  if (!setupNode) f.push(error('no actions/setup-node step'));
  else if (
    withNode['node-version-file'] !== '.nvmrc' &&
    !/^24(\.|$)/.test(String(withNode['node-version'] ?? ''))
  )
    f.push(error('setup-node must use Node 24 (node-version-file: .nvmrc)'));
  f.push(...supplyChainRules(jobs, steps, runs));
  if (!isRecord(wf.permissions))
    f.push(error('no top-level `permissions`: grant the token least privilege (contents: read)'));
  return f;
}
