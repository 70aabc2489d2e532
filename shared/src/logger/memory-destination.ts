import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line in memory: for tests that assert on real output. */
export interface MemoryDestination extends DestinationStream {
  /** Raw JSON lines, exactly as pino wrote them (without the trailing newline). */
  readonly lines: string[];
  /** The lines parsed. */
  records(): Record<string, unknown>[];
  clear(): void;
}

export function createMemoryDestination(): MemoryDestination {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') lines.push(line);
    },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    clear: () => {
      lines.length = 0;
    },
  };
}
