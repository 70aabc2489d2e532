/**
 * A module README opens (after an optional `# title`) with exactly three lines:
 * `**What it does:** …`, `**Copy:** …`, `**Wire it:** …`, and links to docs/copy-a-module.md.
 * The Copy line names the module's folder, every module it declares and every package to
 * install: what a reader copies is what module.json declares.
 */
export function readmeProblems(
  readme: string,
  manifest: {
    name: string;
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    modules: string[];
  },
): string[] {
  const lines = readme.split('\n').filter((l) => l.trim() !== '');
  const start = lines[0]?.startsWith('# ') ? 1 : 0;
  const [what, copy, wire] = lines.slice(start, start + 3);
  const problems: string[] = [];
  if (!what?.startsWith('**What it does:** '))
    problems.push('line 1 must be "**What it does:** …"');
  if (!copy?.startsWith('**Copy:** ')) problems.push('line 2 must be "**Copy:** …"');
  if (!wire?.startsWith('**Wire it:** ')) problems.push('line 3 must be "**Wire it:** …"');
  if (copy?.startsWith('**Copy:** ')) {
    for (const folder of [manifest.name, ...manifest.modules]) {
      if (!copy.includes(`shared/src/${folder}/`))
        problems.push(`the Copy line does not name shared/src/${folder}/`);
    }
    const packages = [
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ];
    for (const pkg of packages) {
      if (!new RegExp(`(^|[\\s\`(])${pkg.replace(/[/.]/g, '\\$&')}([\\s\`),]|$)`).test(copy))
        problems.push(`the Copy line does not list the package ${pkg}`);
    }
  }
  if (!readme.includes('docs/copy-a-module.md'))
    problems.push('it does not link to docs/copy-a-module.md');
  return problems;
}
