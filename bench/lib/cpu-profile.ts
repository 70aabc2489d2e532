// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and sums self time per function and
// per layer (npm package, repo module, Node internals) over a time window, so a profile can
// be read as "µs per request" next to the request count of the same window.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimes {
  /** Sampled µs in the window, idle excluded. */
  busyUs: number;
  /** Sampled µs in the window, idle included. */
  windowUs: number;
  byFunction: Map<string, number>;
  byLayer: Map<string, number>;
}

/** "express", "@sentry/core", "shared/src/logger", "node:internal/…", "(garbage collector)". */
export function layerOf(frame: CallFrame, repoRoot: string): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  if (path.startsWith(repoRoot)) {
    const rel = path.slice(repoRoot.length).split('/');
    return rel.slice(0, rel[1] === 'src' ? 3 : 2).join('/');
  }
  return path;
}

const functionKey = (frame: CallFrame, repoRoot: string): string => {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const file = decodeURIComponent(frame.url.replace(/^file:\/\//, ''))
    .replace(repoRoot, '')
    .replace(/^.*node_modules\//, '');
  return `${name} ${file}:${frame.lineNumber + 1}`;
};

/**
 * Self time per function and per layer for the samples whose time (µs on the profile's
 * clock) falls within [fromUs, toUs] measured back from the profile's end.
 */
export function selfTimes(
  profile: CpuProfile,
  repoRoot: string,
  window: { fromEndUs: number; toEndUs: number },
): SelfTimes {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const from = profile.endTime - window.fromEndUs;
  const to = profile.endTime - window.toEndUs;
  const byFunction = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let t = profile.startTime;
  let busyUs = 0;
  let windowUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    // A sample's delta is the time since the previous one: attribute the next delta to it.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < from || t > to) continue;
    const frame = byId.get(profile.samples[i]!);
    if (!frame) continue;
    windowUs += dt;
    if (frame.functionName === '(idle)') continue;
    busyUs += dt;
    const fk = functionKey(frame, repoRoot);
    byFunction.set(fk, (byFunction.get(fk) ?? 0) + dt);
    const lk = layerOf(frame, repoRoot);
    byLayer.set(lk, (byLayer.get(lk) ?? 0) + dt);
  }
  return { busyUs, windowUs, byFunction, byLayer };
}

/** The `n` largest entries, largest first. */
export const top = (m: Map<string, number>, n: number): [string, number][] =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
