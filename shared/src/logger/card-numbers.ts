import { passesLuhn } from './luhn.ts';

/**
 * Redacts the digit groups of `candidate` that take part in any 13–19 digit number starting
 * with 2–6 (the major card networks) and passing Luhn. A candidate may carry neighbouring
 * numbers ("order 22 4111 1111 1111 1111"), and a neighbour can complete a Luhn-valid span of
 * its own, so every span is tried and all groups any valid span touches are redacted together:
 * a card never leaks half-hidden. Numbers in no valid span (ids, counts, epoch ms) are kept.
 */
export function redactCardNumbers(candidate: string): string {
  const groups = candidate.split(/[ -]/);
  const separators = candidate.match(/[ -]/g) ?? [];
  const covered = coveredGroups(groups);
  if (!covered.includes(true)) return candidate;
  let out = '';
  for (let i = 0; i < groups.length; i += 1) {
    if (covered[i]) {
      if (i === 0 || !covered[i - 1]) out += '[redacted:card]';
    } else {
      out += groups[i] ?? '';
    }
    const nextCovered = covered[i + 1] === true && covered[i] === true;
    if (i < groups.length - 1 && !nextCovered) out += separators[i] ?? ' ';
  }
  return out;
}

function coveredGroups(groups: readonly string[]): boolean[] {
  const covered = groups.map(() => false);
  for (let start = 0; start < groups.length; start += 1) {
    const first = groups[start]?.charCodeAt(0) ?? 0;
    if (first < 50 || first > 54) continue; // '2'..'6'
    let digits = '';
    for (let end = start; end < groups.length; end += 1) {
      digits += groups[end] ?? '';
      if (digits.length > 19) break;
      if (digits.length >= 13 && passesLuhn(digits)) covered.fill(true, start, end + 1);
    }
  }
  return covered;
}
