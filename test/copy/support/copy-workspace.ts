import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  listModules,
  moduleClosure,
  readManifest,
  type ModuleManifest,
} from '../../../scripts/module-boundaries/module-manifest.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
const SHARED_SRC = join(REPO_ROOT, 'shared', 'src');

/** What the copied app itself is built on, beside what the module declares. */
export type AppPackage = 'express' | 'bullmq';

export interface CopiedApp {
  dir: string;
  /** The app's entry file (the fixture, at the same path from the app root as in the repo). */
  entry: string;
  /** Packages in the app's package.json and node_modules. */
  packages: string[];
  /** For the resolve guard: per copied module, what its module.json lets it import. */
  guard: GuardConfig;
}

export interface GuardConfig {
  modulesRoot: string;
  modules: Record<string, { packages: string[]; modules: string[] }>;
}

export interface BuildAppOptions {
  module: string;
  /** test/copy/fixtures/<fixture> */
  fixture: string;
  appPackages: AppPackage[];
  /** Replaces a copied module's manifest (to prove that an undeclared dependency fails). */
  manifestOverride?: (m: ModuleManifest) => ModuleManifest;
  /** Edits the copied files before the app runs (same purpose). */
  tamper?: (appDir: string) => void;
}

export interface CopyWorkspace {
  manifests: Map<string, ModuleManifest>;
  buildApp(opts: BuildAppOptions): CopiedApp;
  dispose(): void;
}

function runNpm(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

const packageDir = (nodeModules: string, pkg: string): string =>
  join(nodeModules, ...pkg.split('/'));

/**
 * One npm install for every module (the union of their declared packages, into a `store`
 * folder), then one app folder per module whose node_modules holds symlinks to exactly the
 * packages that module declares (+ express/bullmq for the app). Node resolves a symlinked
 * package at its real path, so the packages' own dependencies are found in the store — but the
 * copied module's files live in the app folder, where only the declared names exist: an
 * undeclared import fails exactly as it would after `npm i <declared packages>` in a real app,
 * at the cost of one install instead of eleven. The resolve guard (module-guard.ts) covers the
 * remaining hole: a module importing a package that the app happens to install for itself.
 */
export async function createCopyWorkspace(): Promise<CopyWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'copy-modules-'));
  // A node_modules above the temp folder would be searched too and hide missing packages.
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules')))
      throw new Error(`${dir}/node_modules exists: pick a TMPDIR without node_modules above it`);
    if (dir === parse(dir).root) break;
  }
  const sharedPkg = JSON.parse(readFileSync(join(REPO_ROOT, 'shared', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const manifests = new Map<string, ModuleManifest>();
  for (const name of listModules(SHARED_SRC)) {
    const result = readManifest(join(SHARED_SRC, name));
    if ('error' in result) throw new Error(`shared/src/${name}: ${result.error}`);
    manifests.set(name, result.manifest);
  }

  const union: Record<string, string> = {
    express: sharedPkg.dependencies.express!,
    bullmq: sharedPkg.dependencies.bullmq!,
  };
  for (const m of manifests.values()) Object.assign(union, m.dependencies, m.peerDependencies);
  const store = join(root, 'store');
  mkdirSync(store);
  writeFileSync(
    join(store, 'package.json'),
    JSON.stringify({ name: 'copy-modules-store', private: true, dependencies: union }, null, 2),
  );
  // The shared npm cache makes this a local copy; install scripts stay off as in the repo.
  await runNpm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      '--loglevel=error',
    ],
    store,
  );

  let count = 0;
  const buildApp = (opts: BuildAppOptions): CopiedApp => {
    const dir = join(root, 'apps', `${opts.module}-${++count}`);
    const copied = moduleClosure(opts.module, manifests);
    const guard: GuardConfig = { modulesRoot: join(dir, 'shared', 'src'), modules: {} };
    const packages: Record<string, string> = {};
    for (const pkg of opts.appPackages) packages[pkg] = union[pkg]!;
    for (const name of copied) {
      cpSync(join(SHARED_SRC, name), join(dir, 'shared', 'src', name), { recursive: true });
      let m = manifests.get(name)!;
      if (opts.manifestOverride && name === opts.module) m = opts.manifestOverride(m);
      writeFileSync(join(dir, 'shared', 'src', name, 'module.json'), JSON.stringify(m, null, 2));
      Object.assign(packages, m.dependencies, m.peerDependencies);
      guard.modules[name] = {
        packages: [...Object.keys(m.dependencies), ...Object.keys(m.peerDependencies)],
        modules: m.modules,
      };
    }
    const entry = join(dir, 'test', 'copy', 'fixtures', opts.fixture);
    mkdirSync(dirname(entry), { recursive: true });
    cpSync(join(FIXTURES, opts.fixture), entry);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify(
        { name: `copied-${opts.module}`, private: true, type: 'module', dependencies: packages },
        null,
        2,
      ),
    );
    for (const pkg of Object.keys(packages)) {
      const link = packageDir(join(dir, 'node_modules'), pkg);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(packageDir(join(store, 'node_modules'), pkg), link, 'dir');
    }
    opts.tamper?.(dir);
    return { dir, entry, packages: Object.keys(packages).sort(), guard };
  };

  return {
    manifests,
    buildApp,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
