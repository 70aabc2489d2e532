export interface Row {
  scenario: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export const rows: Row[] = [];

export const record = (row: Row): Row => {
  rows.push(row);
  return row;
};

/** The summary table (plain text: it goes to a terminal or a CI log). */
export function renderTable(all: readonly Row[]): string {
  const head = ['', 'scenario', 'expected', 'observed'];
  const body = all.map((r) => [r.ok ? 'PASS' : 'FAIL', r.scenario, r.expected, r.observed]);
  const widths = head.map((h, i) =>
    Math.min(70, Math.max(h.length, ...body.map((b) => b[i]!.length))),
  );
  const wrap = (text: string, width: number): string[] => {
    const out: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
    return out;
  };
  const render = (cells: string[]): string => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++)
      lines.push(`| ${wrapped.map((w, i) => (w[l] ?? '').padEnd(widths[i]!)).join(' | ')} |`);
    return lines.join('\n');
  };
  const sep = `|-${widths.map((w) => '-'.repeat(w)).join('-|-')}-|`;
  return [render(head), sep, ...body.map((b) => `${render(b)}\n${sep}`)].join('\n');
}
