/**
 * The answer as one short paragraph a person can paste into a design review,
 * drawn from the snapshot's `answer` alone (so `report` and `compare` read
 * it back from any saved run), every figure marked measured or predicted.
 */
import { formatDuration, formatTtl } from '../config/duration.ts';
import type { Invalidation } from '../config/types.ts';
import { fmtMs, fmtPct, fmtRate, fmtRatio } from '../metrics/format.ts';
import type { Answer, Constraints, FigureName, Limit, Recommendation } from './types.ts';

export function strategyName(invalidation: Invalidation): string {
  switch (invalidation) {
    case 'ttl':
      return 'nothing done on write (TTL only)';
    case 'delete':
      return 'delete-on-write';
    case 'write-through':
      return 'write-through';
  }
}

function limitText(name: string, limit: Limit, show: (v: number) => string): string {
  if (limit.value === null) return `${name}: no limit`;
  return `${name} ≤ ${show(limit.value)} (${limit.given ? 'given' : 'default'})`;
}

/** The four constraints as stated, whether given or defaulted. */
export function constraintsText(c: Record<keyof Constraints, Limit>): string {
  return [
    limitText('stale reads', c.maxStalePct, (v) => `${v}%`),
    limitText('stale age', c.maxStaleAgeMs, formatDuration),
    limitText('source', c.maxSourceRate, (v) => `${fmtRate(v)} reads/s`),
    limitText('p99', c.maxP99Ms, (v) => `${fmtMs(v)} ms`),
  ].join(', ');
}

export function answerTarget(a: { ttlMs: Recommendation['ttlMs']; invalidation: Invalidation }): string {
  if (a.ttlMs === 0) return 'no cache (TTL 0)';
  return `TTL ${formatTtl(a.ttlMs)} with ${strategyName(a.invalidation)}`;
}

/** The answer in a few words, for compare: "TTL 2s with delete-on-write" or "none (…)". */
export function answerHeadline(a: Answer): string {
  return a.recommended
    ? answerTarget(a)
    : `no recommendation (binding: ${a.binding.map((b) => b.flag).join(', ') || 'none'})`;
}

function figures(a: Recommendation): string {
  const mark = (f: FigureName, text: string) => `${text} (${a.basis[f].mark})`;
  const age =
    a.maxStaleAgeMs === null ? 'unbounded' : a.maxStaleAgeMs === 0 ? 'none seen' : formatDuration(a.maxStaleAgeMs);
  return [
    mark('hitRatio', `hit ratio ${fmtRatio(a.hitRatio)}`),
    mark('sourceReadsPerSec', `${fmtRate(a.sourceReadsPerSec)} source reads/s`),
    mark('p99Ms', `p99 ${fmtMs(a.p99Ms)} ms`),
    mark('staleReadRatio', `${fmtPct(a.staleReadRatio)} stale reads`),
    mark('maxStaleAgeMs', `max stale age ${age}`),
  ].join(', ');
}

/** The paragraph, then one line naming where each figure came from. */
export function answerLines(a: Answer): string[] {
  if (!a.recommended) return [`The answer: no recommendation — ${a.reason}.`];
  const runner = a.runnerUp
    ? ` Runner-up: ${answerTarget(a.runnerUp)}, which lost: ${a.runnerUp.lostBecause}.`
    : ' There was no other candidate.';
  const st = a.constraints.maxSourceRate.stampede;
  const stampede = st
    ? ` Against stampedes use ${st.strategy}: ${st.loadsPerExpiry === null ? '—' : st.loadsPerExpiry.toFixed(2)} source loads per expiry, ${fmtRate(st.sourceReadsPerSec)} source reads/s at the expiry peak (${st.mark}).`
    : '';
  const none =
    a.ttlMs === null
      ? ' No expiry is safe only if every write goes through the cache; the whole key space stays resident.'
      : '';
  const paragraph =
    `The answer: use ${answerTarget(a)}: ${figures(a)}. ` +
    `Constraints: ${constraintsText(a.constraints)}. Chosen as ${a.reason}.${runner}${stampede}${none}`;
  const sources = (Object.keys(a.basis) as FigureName[]).map((f) => `${f} ← ${a.basis[f].from}`).join('; ');
  return [paragraph, `(figures: ${sources})`];
}
