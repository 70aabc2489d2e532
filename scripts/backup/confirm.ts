import { createInterface } from 'node:readline/promises';

/**
 * Asks on the terminal and resolves true only when the operator types `expected` exactly.
 * Callers check that stdin is a TTY first: piped input cannot confirm a destructive action.
 */
export async function confirmByTyping(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\nType ${JSON.stringify(expected)} to continue: `);
    return answer.trim() === expected;
  } finally {
    rl.close();
  }
}
