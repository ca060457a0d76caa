/**
 * How input errors are worded: one line naming where the text came from
 * (`--ttl`, or `scenario x.json: field ttl`), the text itself (quoted,
 * redacted, shortened) and what was expected, plus "did you mean" hints.
 */
import { UsageError } from '../errors.ts';
import { redactUrl } from './redisTarget.ts';

/** Quoted, redacted and escaped, so a message stays one line and never shows a password. */
export function quote(raw: string): string {
  const shown = redactUrl(raw);
  return JSON.stringify(shown.length > 120 ? `${shown.slice(0, 117)}...` : shown);
}

export function fail(label: string, raw: string, expected: string, problem?: string): never {
  const what = problem === undefined ? '' : `${problem}; `;
  throw new UsageError(`${label} ${quote(raw)}: ${what}expected ${expected}`);
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate, only when it is close: a third of the word's letters, at least one. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
