import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The ops docs must point at things that exist: relative links, repository paths named in
// code spans, and `npm run` scripts. A renamed file or script breaks this test, not the
// on-call engineer at 3 a.m.
const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = [
  'docs/ops.md',
  'docs/slo.md',
  'docs/architecture.md',
  'docs/chaos.md',
  'docs/observability.md',
  'docs/security.md',
  'infra/prometheus/README.md',
  'infra/grafana/README.md',
  'scripts/backup/README.md',
  'scripts/verify-deployment/README.md',
  ...readdirSync(join(root, 'docs/runbooks'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/runbooks/${f}`),
];
const scripts = Object.keys(
  (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);

const REPO_PATH = /^(?:api|worker|web|shared|infra|scripts|docs|test)\/[\w./-]+$/;
// Named in the docs on purpose, never committed: the operator creates it on the Prometheus host.
const LOCAL_ONLY = new Set(['infra/prometheus/secrets/metrics-token']);

describe.each(docs)('%s', (doc) => {
  const text = readFileSync(join(root, doc), 'utf8');

  it('links only to files that exist', () => {
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split('#')[0]!)
      .filter((href) => href && !/^[a-z]+:/.test(href));
    const missing = links.filter((href) => !existsSync(join(dirname(join(root, doc)), href)));
    expect(missing).toEqual([]);
  });

  it('names repository paths that exist', () => {
    const paths = [...text.matchAll(/`([^`\s]+)`/g)]
      .map((m) => m[1]!.replace(/\/$/, ''))
      .filter((p) => REPO_PATH.test(p) && !LOCAL_ONLY.has(p));
    const missing = paths.filter((p) => !existsSync(join(root, p)));
    expect(missing.map((p) => relative(root, join(root, p)))).toEqual([]);
  });

  it('runs only npm scripts that exist', () => {
    const used = [...text.matchAll(/npm run ([\w-]+(?::[\w-]+)*)/g)].map((m) => m[1]!);
    expect(used.filter((s) => !scripts.includes(s))).toEqual([]);
  });
});
