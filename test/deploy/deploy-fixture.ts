// A throwaway copy of the repository's deploy files, so tests can break one file at a time
// and run the real validators (and `npm run validate:deploy --root`) on the copy.
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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** Everything validate:deploy reads, plus what turbo and tsc need around it. */
const FILES = [
  'docker-compose.yml',
  'api/Dockerfile',
  'worker/Dockerfile',
  'web/Dockerfile',
  '.dockerignore',
  'web/vercel.json',
  '.github/workflows/ci.yml',
  '.github/dependabot.yml',
  '.railway/railway.ts',
  '.railway/tsconfig.json',
  'tsconfig.base.json',
  'turbo.json',
  'package.json',
  'package-lock.json',
  '.env.example',
  'shared/package.json',
  'api/package.json',
  'worker/package.json',
  'web/package.json',
];

export interface DeployCopy {
  root: string;
  path(file: string): string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces `from` (which must occur) in a file of the copy. */
  edit(file: string, from: string | RegExp, to: string): void;
  /** Puts a file back as it is in the repository. */
  restore(file: string): void;
  remove(): void;
}

export function copyDeployFiles(): DeployCopy {
  const root = mkdtempSync(join(tmpdir(), 'deploy-copy-'));
  const restore = (file: string): void => {
    const from = join(repoRoot, file);
    if (!existsSync(from)) return;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(from, join(root, file));
  };
  for (const f of FILES) restore(f);
  // railway/iac, typescript and turbo resolve from here, as in the repository.
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const read = (file: string): string => readFileSync(join(root, file), 'utf8');
  const write = (file: string, text: string): void => writeFileSync(join(root, file), text);
  return {
    root,
    path: (file) => join(root, file),
    read,
    write,
    edit(file, from, to) {
      const text = read(file);
      const next = text.replace(from, to);
      if (next === text) throw new Error(`${file}: ${String(from)} not found`);
      write(file, next);
    },
    restore,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
