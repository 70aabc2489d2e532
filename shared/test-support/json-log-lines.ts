// Checks what a process wrote against the logging contract: every non-empty line is one JSON
// object, and no object (at any depth) holds a key twice. JSON.parse keeps the last of two
// equal keys silently, and log backends differ on which one they keep, so a duplicate is a
// bug (e.g. a field named like one of the logger's base fields: service, env, version, pid).

/** Why `line` breaks the contract, or undefined when it is fine. */
export function jsonLineProblem(line: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'not a JSON object';
  const duplicates = duplicateKeys(line);
  return duplicates.length > 0 ? `duplicate key(s): ${duplicates.join(', ')}` : undefined;
}

/** The problems of every line of every process, as `<name>: <problem>: <line>` (max 20). */
export function jsonLogProblems(processes: { name: string; lines: readonly string[] }[]): string[] {
  const problems: string[] = [];
  for (const { name, lines } of processes) {
    for (const line of lines) {
      if (line.trim() === '') continue;
      const problem = jsonLineProblem(line);
      if (problem) problems.push(`${name}: ${problem}: ${line.slice(0, 300)}`);
    }
  }
  return problems.slice(0, 20);
}

/**
 * The keys that appear twice in one object of `text` (valid JSON), as dotted paths. A small
 * scanner: JSON.parse cannot report them.
 */
export function duplicateKeys(text: string): string[] {
  let i = 0;
  const found: string[] = [];
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        if (seen.has(key)) found.push(path ? `${path}.${key}` : key);
        seen.add(key);
        ws();
        i++; // colon
        value(path ? `${path}.${key}` : key);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
  };
  value('');
  return found;
}
