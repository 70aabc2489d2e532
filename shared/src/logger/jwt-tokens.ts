/** Where a JWT starts in one segment: `eyJ` at its start or after a `-`, 8+ characters on. */
function jwtStart(segment: string): number {
  for (let i = segment.indexOf('eyJ'); i !== -1; i = segment.indexOf('eyJ', i + 1)) {
    if ((i === 0 || segment[i - 1] === '-') && segment.length - i - 3 >= 8) return i;
  }
  return -1;
}

/**
 * The JWT rule's matcher: one run of base64url segments joined by dots, starting where no
 * segment character precedes it. A match can only begin at the start of such a run, so each
 * character is looked at a bounded number of times however the text is built (`eyJ-eyJ-…`
 * cost the former one-regex rule a rescan of the run from every `eyJ`: quadratic).
 * No nested quantifier can overlap: `.` is not a segment character.
 */
export const JWT_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+/g;

/**
 * Redacts the JWTs (JWS: 3 segments, JWE: 5) inside one dotted run: a segment holding `eyJ`
 * (at its start or after a `-`) followed by 8+ characters, plus the 1–4 segments after it.
 * What precedes the token in its segment (`token-`) and the segments beyond stay.
 */
export function redactJwtsInRun(run: string): string {
  if (!run.includes('eyJ')) return run;
  const segments = run.split('.');
  const out: string[] = [];
  for (let k = 0; k < segments.length; k += 1) {
    const segment = segments[k]!;
    const start = k < segments.length - 1 ? jwtStart(segment) : -1;
    if (start === -1) {
      out.push(segment);
      continue;
    }
    out.push(`${segment.slice(0, start)}[redacted:jwt]`);
    k += Math.min(4, segments.length - 1 - k);
  }
  return out.join('.');
}
