// Dockerfile rules: multi-stage turbo prune build, lockfile-exact installs, a non-root runtime
// that starts node directly (so SIGTERM reaches the app), a node-based HEALTHCHECK.
import { error, type CheckResult, type Finding } from './report.ts';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with continuation lines joined; comments and parser directives dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      // Comment lines inside a continuation are skipped by Docker.
      line = line.replace(/\\\s*$/, ' ') + (/^\s*#/.test(next) ? '' : next.trim());
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

/** `["node", "x"]` → ['node', 'x']; shell form → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export interface DockerfileRules {
  /** The workspace package the image is for, e.g. @saas/api. */
  pkg: string;
  /** api and worker: the final stage declares a HEALTHCHECK. */
  requireHealthcheck: boolean;
  /** api and worker: a stage installs production dependencies only (`npm ci --omit=dev`). */
  requireProdDepsInstall: boolean;
  /** The turbo version in package-lock.json; the TURBO_VERSION build arg must match it. */
  turboVersion?: string;
}

const PACKAGE_MANAGERS = /(^|[\s/"'[,])(npm|npx|yarn|pnpm|corepack)([\s"',\]]|$)/;

export function validateDockerfile(
  text: string,
  target: string,
  rules: DockerfileRules,
): CheckResult {
  const ins = parseDockerfile(text);
  const f: Finding[] = [];
  const froms = ins.filter((i) => i.keyword === 'FROM');
  if (froms.length < 2)
    f.push(
      error('not multi-stage: build in one stage, copy only the output into a slim runtime stage'),
    );

  const stageNames = new Set<string>();
  for (const from of froms) {
    const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(from.args);
    const image = m?.[1] ?? '';
    if (!stageNames.has(image) && !/^node:24([.-]|$)/.test(image))
      f.push(
        error(`line ${from.line}: base image ${image} is not node:24-* (Node 24 LTS, as .nvmrc)`),
      );
    if (m?.[2]) stageNames.add(m[2]);
  }

  const runs = ins.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  const escaped = rules.pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (
    !runs.some((r) => new RegExp(`turbo\\s+prune\\s+(?:--scope=)?${escaped}\\b.*--docker`).test(r))
  )
    f.push(error(`no \`turbo prune ${rules.pkg} --docker\`: build from a pruned workspace`));
  if (!runs.some((r) => /\bnpm\s+ci\b/.test(r)))
    f.push(error('no `npm ci`: install exactly what package-lock.json says'));
  for (const r of runs) {
    if (/\bnpm\s+(i|install|add)\b/.test(r) && !/\s(-g|--global)\b/.test(r))
      f.push(error(`\`${r.slice(0, 60)}…\`: use npm ci (lockfile-exact) for project dependencies`));
  }
  if (rules.requireProdDepsInstall && !runs.some((r) => /\bnpm\s+ci\b.*--omit=dev/.test(r)))
    f.push(
      error('no `npm ci --omit=dev` stage: the runtime must carry production dependencies only'),
    );

  if (rules.turboVersion) {
    const arg = ins.find((i) => i.keyword === 'ARG' && /^TURBO_VERSION=/.test(i.args));
    const pinned = arg?.args.split('=')[1];
    if (pinned !== rules.turboVersion)
      f.push(
        error(
          `ARG TURBO_VERSION=${pinned ?? '(missing)'} differs from turbo ${rules.turboVersion} in package-lock.json`,
        ),
      );
  }

  const lastFrom = ins.lastIndexOf(froms.at(-1)!);
  const final = froms.length ? ins.slice(lastFrom + 1) : ins;
  f.push(...finalStageRules(final, rules));
  return { check: `dockerfile rules (${rules.pkg})`, target, findings: f };
}

function finalStageRules(final: Instruction[], rules: DockerfileRules): Finding[] {
  const f: Finding[] = [];
  const user = final.filter((i) => i.keyword === 'USER').at(-1);
  if (!user)
    f.push(error("the runtime stage runs as root: add USER (e.g. the node image's uid 1000)"));
  else if (/^(root|0)(:.*)?$/.test(user.args))
    f.push(error(`line ${user.line}: USER ${user.args} is root`));

  const cmd = final.filter((i) => i.keyword === 'CMD').at(-1);
  const entrypoint = final.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  if (!cmd) f.push(error('the runtime stage has no CMD'));
  for (const i of [cmd, entrypoint]) {
    if (!i) continue;
    const argv = execForm(i.args);
    if (!argv)
      f.push(
        error(
          `line ${i.line}: ${i.keyword} in shell form: a shell becomes PID 1 and SIGTERM never reaches node; use ["node", …]`,
        ),
      );
    if (PACKAGE_MANAGERS.test(i.args))
      f.push(
        error(
          `line ${i.line}: ${i.keyword} starts a package manager: npm does not forward SIGTERM, start node directly`,
        ),
      );
  }
  const argv = cmd ? execForm(cmd.args) : undefined;
  if (argv && !entrypoint && argv[0] !== 'node') f.push(error(`CMD starts ${argv[0]}, not node`));

  const hc = final.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
  if (rules.requireHealthcheck) {
    if (!hc || /^NONE\b/i.test(hc.args)) f.push(error('no HEALTHCHECK in the runtime stage'));
    else {
      const test = execForm(hc.args.replace(/^(--\S+\s+)*CMD\s+/i, ''));
      if (!test)
        f.push(error(`line ${hc.line}: HEALTHCHECK CMD in shell form; use ["node", "-e", …]`));
      else if (test[0] !== 'node')
        f.push(
          error(
            `line ${hc.line}: HEALTHCHECK runs ${test[0]}: slim images have no curl/wget, ask with node`,
          ),
        );
    }
  }
  return f;
}

/** .dockerignore keeps installed packages and every .env file out of the build context. */
export function validateDockerignore(text: string, target: string): CheckResult {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const f: Finding[] = [];
  if (!patterns.some((p) => /^(\*\*\/)?node_modules\/?$/.test(p)))
    f.push(error('node_modules is not ignored'));
  if (!patterns.some((p) => /^(\*\*\/)?\.env$/.test(p)))
    f.push(error('.env is not ignored: secrets would enter the build context'));
  if (!patterns.some((p) => /^(\*\*\/)?\.env\.\*$/.test(p))) f.push(error('.env.* is not ignored'));
  if (patterns.some((p) => /^!\.env(\.|$)/.test(p) && !/example/.test(p)))
    f.push(error('a .env file is re-included'));
  return { check: 'dockerignore rules', target, findings: f };
}
