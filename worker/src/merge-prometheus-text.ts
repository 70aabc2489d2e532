/**
 * Merges Prometheus text exports that share metric families (BullMQ exports one text per
 * queue, each with its own HELP/TYPE lines): the format allows one HELP/TYPE per family and
 * wants a family's samples together, so samples are regrouped under the first HELP/TYPE seen.
 */
export function mergePrometheusText(texts: readonly string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  const family = (name: string) => {
    let entry = families.get(name);
    if (!entry) {
      entry = { meta: [], samples: [] };
      families.set(name, entry);
    }
    return entry;
  };
  const comments: string[] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const meta = /^# (HELP|TYPE) (\S+)/.exec(trimmed);
      if (meta) {
        const entry = family(meta[2] as string);
        if (!entry.meta.some((m) => m.startsWith(`# ${meta[1]} `))) entry.meta.push(trimmed);
        continue;
      }
      if (trimmed.startsWith('#')) {
        comments.push(trimmed);
        continue;
      }
      const name = /^[^{\s]+/.exec(trimmed)?.[0] ?? trimmed;
      family(name).samples.push(trimmed);
    }
  }
  const out: string[] = [];
  for (const { meta, samples } of families.values()) out.push(...meta, ...samples);
  out.push(...comments);
  return out.length ? `${out.join('\n')}\n` : '';
}
