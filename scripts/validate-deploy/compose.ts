// docker-compose.yml: the Compose Specification schema, then the rules of this stack
// (healthchecks, startup order, drain time, ports and credentials of the no-Docker path).
import { composeSchema, schemaMessages } from './schemas.ts';
import { error, note, type CheckResult, type Finding } from './report.ts';
import { isRecord, parseYaml } from './yaml-source.ts';

export interface ComposeExpectations {
  /** Host port each service publishes on 127.0.0.1 (the same as the no-Docker path). */
  ports: Record<string, number>;
  /** Dockerfile each service builds from (build context: the repository root). */
  dockerfiles: Record<string, string>;
  /** One-off services (run to completion) and who must wait for them to succeed. */
  oneOff: Record<string, string[]>;
  /** The service whose stop_grace_period must exceed its drain timeout. */
  drainingService: string;
  /** Default of WORKER_DRAIN_TIMEOUT_MS when the service does not set it. */
  defaultDrainMs: number;
  redisService: string;
}

export const composeExpectations: ComposeExpectations = {
  ports: { postgres: 54322, redis: 6380, s3: 9000, api: 4000, worker: 4001, web: 3000 },
  dockerfiles: {
    api: 'api/Dockerfile',
    migrate: 'api/Dockerfile',
    worker: 'worker/Dockerfile',
    web: 'web/Dockerfile',
  },
  oneOff: { migrate: ['api', 'worker'] },
  drainingService: 'worker',
  defaultDrainMs: 25_000,
  redisService: 'redis',
};

export interface ComposeInput {
  text: string;
  /** Shown in the report. */
  target: string;
  /** .env.example, when present: the local credentials must be the same. */
  envExample?: string;
}

type Service = Record<string, unknown>;

export function validateCompose(
  input: ComposeInput,
  expect: ComposeExpectations = composeExpectations,
): CheckResult[] {
  const parsed = parseYaml(input.text, { yaml11Lint: true });
  const schema: CheckResult = {
    check: 'compose: Compose Specification schema',
    target: input.target,
    findings: [...parsed.findings],
  };
  const rules: CheckResult = { check: 'compose: stack rules', target: input.target, findings: [] };
  if (!isRecord(parsed.data)) {
    if (parsed.findings.length === 0) schema.findings.push(error('not a YAML mapping'));
    return [schema];
  }
  const validate = composeSchema();
  if (!validate(parsed.data)) schema.findings.push(...schemaMessages(validate.errors).map(error));

  const services = isRecord(parsed.data.services)
    ? (parsed.data.services as Record<string, Service>)
    : {};
  rules.findings.push(
    ...healthAndOrder(services, expect),
    ...portRules(services, expect),
    ...buildRules(services, expect),
    ...redisRules(services, expect),
    ...drainRules(services, expect),
    ...credentialRules(services, input.envExample),
  );
  return [schema, rules];
}

const isOneOff = (name: string, svc: Service, expect: ComposeExpectations): boolean =>
  name in expect.oneOff || svc.restart === 'no';

const hasHealthcheck = (svc: Service): boolean =>
  isRecord(svc.healthcheck) &&
  svc.healthcheck.disable !== true &&
  svc.healthcheck.test !== undefined;

function healthAndOrder(services: Record<string, Service>, expect: ComposeExpectations): Finding[] {
  const out: Finding[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (!isOneOff(name, svc, expect) && !hasHealthcheck(svc)) {
      out.push(error(`service ${name} runs continuously but has no healthcheck`));
    }
    const deps = svc.depends_on;
    if (deps === undefined) continue;
    if (!isRecord(deps)) {
      out.push(
        error(
          `service ${name}: depends_on must name a condition (service_healthy / service_completed_successfully), not a bare list`,
        ),
      );
      continue;
    }
    for (const [dep, spec] of Object.entries(deps)) {
      const target = services[dep];
      const condition = isRecord(spec) ? spec.condition : undefined;
      if (!target) {
        out.push(error(`service ${name} depends on ${dep}, which is not defined`));
      } else if (isOneOff(dep, target, expect)) {
        if (condition !== 'service_completed_successfully')
          out.push(
            error(
              `service ${name} must wait for one-off ${dep} with condition service_completed_successfully`,
            ),
          );
      } else if (condition !== 'service_healthy') {
        out.push(
          error(
            `service ${name} must wait for ${dep} with condition service_healthy (got ${String(condition)})`,
          ),
        );
      } else if (!hasHealthcheck(target)) {
        out.push(
          error(`service ${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`),
        );
      }
    }
  }
  for (const [oneOff, waiters] of Object.entries(expect.oneOff)) {
    if (!services[oneOff]) {
      out.push(error(`one-off service ${oneOff} is missing`));
      continue;
    }
    for (const w of waiters) {
      const deps = services[w]?.depends_on;
      const spec = isRecord(deps) ? deps[oneOff] : undefined;
      if (!isRecord(spec) || spec.condition !== 'service_completed_successfully')
        out.push(error(`service ${w} must start only after ${oneOff} completed successfully`));
    }
  }
  return out;
}

interface Published {
  hostIp?: string;
  published?: number;
}

function publishedPorts(svc: Service): Published[] {
  if (!Array.isArray(svc.ports)) return [];
  return svc.ports.map((p): Published => {
    if (isRecord(p))
      return { hostIp: p.host_ip as string | undefined, published: Number(p.published) };
    const parts = String(p).split('/')[0]!.split(':');
    // "ip:host:container", "host:container" or "container"
    if (parts.length === 3) return { hostIp: parts[0], published: Number(parts[1]) };
    if (parts.length === 2) return { published: Number(parts[0]) };
    return {};
  });
}

function portRules(services: Record<string, Service>, expect: ComposeExpectations): Finding[] {
  const out: Finding[] = [];
  for (const [name, port] of Object.entries(expect.ports)) {
    const svc = services[name];
    if (!svc) {
      out.push(error(`service ${name} is missing (expected on 127.0.0.1:${port})`));
      continue;
    }
    const ports = publishedPorts(svc);
    if (!ports.some((p) => p.published === port))
      out.push(error(`service ${name} must publish port ${port}, the same as the no-Docker path`));
    for (const p of ports) {
      if (p.hostIp !== '127.0.0.1')
        out.push(
          error(
            `service ${name} publishes port ${String(p.published)} on all interfaces: bind it to 127.0.0.1 (local-only credentials)`,
          ),
        );
    }
  }
  return out;
}

function buildRules(services: Record<string, Service>, expect: ComposeExpectations): Finding[] {
  const out: Finding[] = [];
  for (const [name, dockerfile] of Object.entries(expect.dockerfiles)) {
    const build = services[name]?.build;
    if (!isRecord(build) || build.dockerfile !== dockerfile || (build.context ?? '.') !== '.')
      out.push(
        error(`service ${name} must build ${dockerfile} with the repository root as context`),
      );
  }
  return out;
}

const commandText = (command: unknown): string =>
  Array.isArray(command)
    ? command.map(String).join(' ')
    : typeof command === 'string'
      ? command
      : '';

function redisRules(services: Record<string, Service>, expect: ComposeExpectations): Finding[] {
  const svc = services[expect.redisService];
  if (!svc) return [];
  const out: Finding[] = [];
  const cmd = commandText(svc.command);
  if (!/--maxmemory-policy\s+noeviction\b/.test(cmd))
    out.push(
      error('redis must run with --maxmemory-policy noeviction (BullMQ must never lose keys)'),
    );
  if (!/--appendonly\s+yes\b/.test(cmd))
    out.push(error('redis must run with --appendonly yes (jobs survive a restart)'));
  const volumes = Array.isArray(svc.volumes) ? svc.volumes : [];
  const dataMounted = volumes.some((v) =>
    isRecord(v) ? v.target === '/data' : String(v).split(':')[1] === '/data',
  );
  if (!dataMounted) out.push(error('redis must keep /data on a volume'));
  return out;
}

/** Compose durations: 1m30s, 40s, 1.5s, 500ms, 2h. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const unit: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    ns: 0.000001,
  };
  let total = 0;
  let rest = value.trim();
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

const envOf = (svc: Service | undefined): Record<string, string> => {
  const env = svc?.environment;
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((e) => String(e).split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
  return isRecord(env)
    ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]))
    : {};
};

function drainRules(services: Record<string, Service>, expect: ComposeExpectations): Finding[] {
  const svc = services[expect.drainingService];
  if (!svc) return [];
  const env = envOf(svc);
  const drainMs = Number(env.WORKER_DRAIN_TIMEOUT_MS ?? expect.defaultDrainMs);
  const shutdownMs =
    env.SHUTDOWN_TIMEOUT_MS === undefined ? undefined : Number(env.SHUTDOWN_TIMEOUT_MS);
  const graceMs = parseDuration(svc.stop_grace_period);
  if (graceMs === undefined)
    return [
      error(
        `${expect.drainingService}: set stop_grace_period above its drain timeout (${drainMs} ms); compose's default is 10 s`,
      ),
    ];
  const out: Finding[] = [];
  if (graceMs <= drainMs)
    out.push(
      error(
        `${expect.drainingService}: stop_grace_period (${graceMs} ms) must exceed WORKER_DRAIN_TIMEOUT_MS (${drainMs} ms)`,
      ),
    );
  if (shutdownMs !== undefined && graceMs <= shutdownMs)
    out.push(
      error(
        `${expect.drainingService}: stop_grace_period (${graceMs} ms) must exceed SHUTDOWN_TIMEOUT_MS (${shutdownMs} ms)`,
      ),
    );
  if (shutdownMs !== undefined && shutdownMs <= drainMs)
    out.push(
      error(
        `${expect.drainingService}: SHUTDOWN_TIMEOUT_MS (${shutdownMs} ms) must exceed WORKER_DRAIN_TIMEOUT_MS (${drainMs} ms)`,
      ),
    );
  return out;
}

/** Reads KEY=value lines of a dotenv file (comments and blank lines skipped). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

const userInfo = (url: string | undefined): string | undefined => {
  if (!url || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  return `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
};

/** The compose stack uses the same throwaway local credentials as .env.example. */
function credentialRules(
  services: Record<string, Service>,
  envExample: string | undefined,
): Finding[] {
  if (envExample === undefined)
    return [note('no .env.example yet: local credentials not compared')];
  const example = parseDotenv(envExample);
  const out: Finding[] = [];
  for (const [name, svc] of Object.entries(services)) {
    const env = envOf(svc);
    if (
      env.DATABASE_URL &&
      example.DATABASE_URL &&
      userInfo(env.DATABASE_URL) !== userInfo(example.DATABASE_URL)
    )
      out.push(error(`service ${name}: DATABASE_URL credentials differ from .env.example's`));
    for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) {
      if (env[key] !== undefined && example[key] !== undefined && env[key] !== example[key])
        out.push(error(`service ${name}: ${key} differs from .env.example's local value`));
    }
  }
  const pg = envOf(services.postgres);
  const exampleUser = userInfo(example.DATABASE_URL);
  if (
    exampleUser &&
    pg.POSTGRES_PASSWORD !== undefined &&
    exampleUser !== `${pg.POSTGRES_USER ?? 'postgres'}:${pg.POSTGRES_PASSWORD}`
  )
    out.push(
      error("postgres: POSTGRES_USER/POSTGRES_PASSWORD differ from .env.example's DATABASE_URL"),
    );
  return out;
}
