// Evaluates a .railway/railway.ts the way the Railway CLI does (node strips the types and
// imports it), builds the resource graph and runs the SDK's own validateGraph() on it.
// Prints JSON: {graph, errors}. Run in a child process so a broken file cannot take the
// validator down with it.
//   node scripts/validate-deploy/railway-eval.ts <file> <environment>
import { pathToFileURL } from 'node:url';
import { RAILWAY_GRAPH_VERSION, createRailwayContext, project, validateGraph } from 'railway/iac';
import type { Edge, RailwayGraph, RailwayProgram, ResourceNode } from 'railway/iac';

const [file, environment = 'production'] = process.argv.slice(2);
if (!file) {
  console.error('usage: railway-eval.ts <file> [environment]');
  process.exit(2);
}

const mod = (await import(pathToFileURL(file).href)) as { default?: RailwayProgram };
if (typeof mod.default !== 'function') {
  console.log(
    JSON.stringify({
      graph: null,
      errors: ['the file has no default export from defineRailway()'],
    }),
  );
  process.exit(0);
}
const definition = await mod.default(
  createRailwayContext({ environment, command: 'plan' }),
  project,
);
const resources = (definition.resources ?? []).flat() as ResourceNode[];

// Edges as the CLI derives them: a variable referencing another resource, a volume mount.
const edges: Edge[] = resources.flatMap((r): Edge[] => {
  if (r.type !== 'service' && r.type !== 'database') return [];
  const refs = Object.entries(r.variables ?? {}).flatMap(([key, v]): Edge[] =>
    v.type === 'reference' ? [{ from: r.address, to: v.resource, type: 'variable', key }] : [],
  );
  const mounts = Object.values(r.volumeAttachments ?? {}).map((a): Edge => ({
    from: r.address,
    to: a.volume,
    type: 'mount',
  }));
  return [...refs, ...mounts];
});

const graph: RailwayGraph = {
  version: RAILWAY_GRAPH_VERSION,
  project: { name: definition.name },
  environments: [{ name: environment }],
  resources,
  edges,
};
console.log(JSON.stringify({ graph, errors: validateGraph(graph) }));
