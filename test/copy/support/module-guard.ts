// Loaded with `node --import` into every copied app: refuses, at resolve time, an import made
// by a copied module's file that its module.json does not allow — a package outside its
// dependencies/peerDependencies, or another module outside its "modules". The app's own files
// may import anything installed. Without it, a module importing (say) express without
// declaring it would pass whenever the app happened to install express for itself.
import { builtinModules, registerHooks } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

interface GuardConfig {
  modulesRoot: string;
  modules: Record<string, { packages: string[]; modules: string[] }>;
}

const config = JSON.parse(process.env.COPY_MODULE_GUARD ?? '{}') as GuardConfig;
const root = config.modulesRoot.endsWith(sep) ? config.modulesRoot : config.modulesRoot + sep;

const moduleOf = (url: string | undefined): string | undefined => {
  if (!url?.startsWith('file:')) return undefined;
  const path = fileURLToPath(url);
  return path.startsWith(root) ? path.slice(root.length).split(sep)[0] : undefined;
};
const packageName = (s: string): string =>
  (s.startsWith('@') ? s.split('/').slice(0, 2) : s.split('/').slice(0, 1)).join('/');
const isBare = (s: string): boolean => !/^(\.|\/|file:|node:|data:)/.test(s);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const owner = moduleOf(context.parentURL);
    const allowed = owner === undefined ? undefined : config.modules[owner];
    if (owner !== undefined && isBare(specifier) && !builtinModules.includes(specifier)) {
      const pkg = packageName(specifier);
      if (!allowed?.packages.includes(pkg)) {
        throw new Error(
          `copy guard: shared/src/${owner}/ imports '${pkg}', which its module.json does not declare`,
        );
      }
    }
    const resolved = nextResolve(specifier, context);
    const target = moduleOf(resolved.url);
    if (owner !== undefined && target !== undefined && target !== owner) {
      if (!allowed?.modules.includes(target)) {
        throw new Error(
          `copy guard: shared/src/${owner}/ imports shared/src/${target}/, which its module.json does not list in "modules"`,
        );
      }
    }
    return resolved;
  },
});
