// Adds package-lock entries for other platforms' optional binaries (@swc/core-darwin-arm64,
// @next/swc-win32-x64-msvc, turbo-windows-64, …) that npm left out because the registry it
// resolved against did not serve them. Without those entries `npm ci` refuses the lockfile
// ("Missing: … from lock file") on every machine, including Docker builds and users' CI.
// The entries carry os/cpu/libc so npm skips them on other platforms, exactly as it would
// with a lockfile written against the full registry.
//
//   node scripts/complete-lockfile.ts [package-lock.json]     (npm run lock:complete)
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const rules: [RegExp, keyof Pick<LockEntry, 'os' | 'cpu' | 'libc'>, string][] = [
  [/darwin/, 'os', 'darwin'],
  [/win32|windows/, 'os', 'win32'],
  [/android/, 'os', 'android'],
  [/freebsd/, 'os', 'freebsd'],
  [/openharmony/, 'os', 'openharmony'],
  [/linux/, 'os', 'linux'],
  [/wasm32/, 'cpu', 'wasm32'],
  [/arm64|aarch64/, 'cpu', 'arm64'],
  [/x64|-64$/, 'cpu', 'x64'],
  [/ia32/, 'cpu', 'ia32'],
  [/-arm-|-arm$|gnueabihf|musleabihf|eabi/, 'cpu', 'arm'],
  [/ppc64/, 'cpu', 'ppc64'],
  [/s390x/, 'cpu', 's390x'],
  [/riscv64/, 'cpu', 'riscv64'],
  [/loong64/, 'cpu', 'loong64'],
  [/-musl/, 'libc', 'musl'],
  [/-gnu/, 'libc', 'glibc'],
];

function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> {
  const out: Pick<LockEntry, 'os' | 'cpu' | 'libc'> = {};
  for (const [pattern, field, value] of rules) {
    if (!out[field] && pattern.test(name)) out[field] = [value];
  }
  return out;
}

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };
const added: string[] = [];
for (const entry of Object.values(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${name}`;
    if (lock.packages[at]) continue;
    lock.packages[at] = {
      version: spec.replace(/^[\^~=]/, ''),
      optional: true,
      ...platformOf(name),
    };
    added.push(`${name}@${lock.packages[at].version}`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} optional platform entries` : 'lockfile complete');
