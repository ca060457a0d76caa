/**
 * The rules of the answer (issue 16): a TTL whose stale reads exceed the
 * budget is never recommended; no expiry only with an invalidation strategy;
 * among the candidates that meet every constraint, the lowest source load,
 * then the lowest p99. When none qualifies, which constraint binds, by how
 * much, and what would relax it.
 */
import { formatDuration } from '../config/duration.ts';
import { fmtMs, fmtPct, fmtRate } from '../metrics/format.ts';
import { type AnswerInput, candidates } from './candidates.ts';
import { pickStampede } from './stampedePick.ts';
import { answerTarget, constraintsText } from './text.ts';
import {
  type Answer,
  type Binding,
  type Candidate,
  CONSTRAINTS,
  type ConstraintName,
  type Constraints,
  FIGURES,
  type Recommendation,
  type RunnerUp,
} from './types.ts';

export type { AnswerInput, AnswerModel } from './candidates.ts';

/** What each constraint limits, the flag that sets it, and how its figure reads. */
const RULES: Record<
  ConstraintName,
  { flag: string; figure: 'staleReadRatio' | 'maxStaleAgeMs' | 'sourceReadsPerSec' | 'p99Ms'; show(v: number): string }
> = {
  maxStalePct: { flag: '--max-stale', figure: 'staleReadRatio', show: (v) => fmtPct(v) },
  maxStaleAgeMs: { flag: '--max-stale-age', figure: 'maxStaleAgeMs', show: (v) => formatDuration(v) },
  maxSourceRate: { flag: '--max-source-rate', figure: 'sourceReadsPerSec', show: (v) => `${fmtRate(v)} reads/s` },
  maxP99Ms: { flag: '--max-p99', figure: 'p99Ms', show: (v) => `${fmtMs(v)} ms` },
};

/** The limit in the figure's own unit: the stale budget is a percentage, the figure a ratio. */
function limitOf(input: AnswerInput, c: ConstraintName): number | null {
  const value = input.constraints[c].value;
  return value === null ? null : c === 'maxStalePct' ? value / 100 : value;
}

/** The figure a constraint is judged on: a small sample's 95% upper bound, else the figure itself. */
function judged(c: Candidate, name: ConstraintName): number | null {
  const figure = c[RULES[name].figure];
  return figure.upper ?? figure.value;
}

/** The constraints a candidate breaks; an unknown figure (null) breaks a limit it cannot be shown to meet. */
export function broken(input: AnswerInput, c: Candidate): ConstraintName[] {
  return CONSTRAINTS.filter((name) => {
    const limit = limitOf(input, name);
    if (limit === null) return false;
    const value = judged(c, name);
    return value === null || value > limit + 1e-12;
  });
}

/** No expiry with nothing done on write serves a row until it is evicted: stale for good after its first write. */
export const needsInvalidation = (c: Candidate) => c.ttlMs === null && c.invalidation === 'ttl';

function why(input: AnswerInput, c: Candidate): string {
  const reasons = broken(input, c).map((name) => {
    const v = judged(c, name);
    const limit = limitOf(input, name) as number;
    const { upper, value } = c[RULES[name].figure];
    const small =
      upper !== undefined && value !== null ? ` (95% upper bound; measured ${RULES[name].show(value)})` : '';
    const missing = name === 'maxStaleAgeMs' ? 'stale age unbounded' : `${RULES[name].figure} unknown`;
    return v === null
      ? `${missing}, over ${RULES[name].flag} ${RULES[name].show(limit)}`
      : `${RULES[name].show(v)}${small} over ${RULES[name].flag} ${RULES[name].show(limit)}`;
  });
  if (needsInvalidation(c)) reasons.unshift('no expiry needs an invalidation strategy');
  return reasons.join('; ');
}

const num = (v: number | null) => v ?? Number.POSITIVE_INFINITY;
/** Ascending, an unknown (null) last; never NaN (Infinity − Infinity), which would leave a sort's order undefined. */
const cmp = (a: number | null, b: number | null) => Math.sign(num(a) - num(b)) || 0;
const rank = (a: Candidate, b: Candidate) =>
  cmp(a.sourceReadsPerSec.value, b.sourceReadsPerSec.value) ||
  cmp(a.p99Ms.value, b.p99Ms.value) ||
  cmp(a.staleReadRatio.value, b.staleReadRatio.value);

export function computeAnswer(input: AnswerInput): Answer {
  const answer = chooseAnswer(input);
  return input.caveat ? { ...answer, reason: `${answer.reason} (${input.caveat})` } : answer;
}

function chooseAnswer(input: AnswerInput): Answer {
  const all = candidates(input);
  if (all.length === 0) {
    return {
      recommended: false,
      binding: [],
      reason: 'the run measured no ttl-sweep or freshness rows to choose from',
    };
  }
  const stampede = pickStampede(input);
  const constraints: Constraints = {
    ...input.constraints,
    maxSourceRate: { ...input.constraints.maxSourceRate, stampede: stampede.pick },
  };
  const ok = all.filter((c) => !needsInvalidation(c) && broken(input, c).length === 0).sort(rank);
  const [best, second] = ok;
  if (!best || stampede.binding) {
    const binding = best ? [] : bindings(input, all);
    if (stampede.binding) binding.push(stampede.binding);
    return { recommended: false, binding, reason: noAnswerReason(input, binding) };
  }
  const runnerUp = second ? runnerUpOf(second, lostOn(best, second)) : loser(input, closestLoser(input, all, best));
  const basis = Object.fromEntries(FIGURES.map((f) => [f, { mark: best[f].mark, from: best[f].from }]));
  return {
    recommended: true,
    ttlMs: best.ttlMs,
    invalidation: best.invalidation,
    hitRatio: best.hitRatio.value,
    sourceReadsPerSec: best.sourceReadsPerSec.value,
    p99Ms: best.p99Ms.value,
    staleReadRatio: best.staleReadRatio.value,
    maxStaleAgeMs: best.maxStaleAgeMs.value,
    basis: basis as Recommendation['basis'],
    constraints,
    runnerUp,
    reason: `the lowest source load, then p99, of the ${ok.length} of ${all.length} candidates that meet every constraint`,
  };
}

/** Of the candidates that lost, the one that breaks the fewest rules, then ranks best. */
function closestLoser(input: AnswerInput, all: Candidate[], best: Candidate): Candidate | undefined {
  const faults = (c: Candidate) => broken(input, c).length + (needsInvalidation(c) ? 1 : 0);
  return all.filter((c) => c !== best).sort((a, b) => faults(a) - faults(b) || rank(a, b))[0];
}

function runnerUpOf(c: Candidate, lostBecause: string): RunnerUp {
  return {
    ttlMs: c.ttlMs,
    invalidation: c.invalidation,
    hitRatio: c.hitRatio.value,
    sourceReadsPerSec: c.sourceReadsPerSec.value,
    p99Ms: c.p99Ms.value,
    staleReadRatio: c.staleReadRatio.value,
    lostBecause,
  };
}

function loser(input: AnswerInput, c: Candidate | undefined): RunnerUp | null {
  return c ? runnerUpOf(c, `it is ruled out: ${why(input, c)}`) : null;
}

function lostOn(best: Candidate, other: Candidate): string {
  const [a, b] = [best.sourceReadsPerSec.value, other.sourceReadsPerSec.value];
  if (num(b) > num(a)) return `more source load: ${fmtRate(b)} reads/s vs ${fmtRate(a)}`;
  const [p, q] = [best.p99Ms.value, other.p99Ms.value];
  if (num(q) > num(p)) return `the same source load and a higher p99: ${fmtMs(q)} ms vs ${fmtMs(p)}`;
  return `the same source load and p99, more stale reads: ${fmtPct(other.staleReadRatio.value)} vs ${fmtPct(best.staleReadRatio.value)}`;
}

/**
 * Which constraints bind. A constraint that alone stands between a candidate
 * and the answer binds by what the closest such candidate needs. When every
 * candidate breaks two or more, each constraint that some candidate breaks
 * binds by the best any candidate does on it.
 */
export function bindings(input: AnswerInput, all: Candidate[]): Binding[] {
  const eligible = all.filter((c) => !needsInvalidation(c));
  const alone: Binding[] = [];
  const jointly: Binding[] = [];
  for (const name of CONSTRAINTS) {
    const limit = limitOf(input, name);
    if (limit === null) continue;
    const onlyThis = eligible.filter((c) => {
      const b = broken(input, c);
      return b.length === 1 && b[0] === name;
    });
    if (onlyThis.length > 0) alone.push(binding(input, name, limit, onlyThis, true));
    else if (eligible.some((c) => broken(input, c).includes(name)))
      jointly.push(binding(input, name, limit, eligible, false));
  }
  return alone.length > 0 ? alone : jointly;
}

function binding(input: AnswerInput, name: ConstraintName, limit: number, pool: Candidate[], alone: boolean): Binding {
  const rule = RULES[name];
  const known = pool.filter((c) => judged(c, name) !== null);
  const closest = known.sort((a, b) => cmp(judged(a, name), judged(b, name)))[0];
  const needed = closest ? judged(closest, name) : null;
  const shown = (v: number) => (name === 'maxStalePct' ? fmtPct(v) : rule.show(v));
  const limitText = name === 'maxStalePct' ? `${input.constraints.maxStalePct.value}%` : rule.show(limit);
  const relax =
    closest && needed !== null
      ? `${answerTarget(closest)} needs ${shown(needed)}${alone ? '' : ' (and breaks another constraint too)'}; ${rule.flag} ${shown(needed)} would ${alone ? 'allow it' : 'relax this one'}`
      : `no candidate has a ${rule.figure} figure`;
  return {
    constraint: name,
    flag: rule.flag,
    limit: name === 'maxStalePct' ? (input.constraints.maxStalePct.value as number) : limit,
    needed: name === 'maxStalePct' && needed !== null ? needed * 100 : needed,
    candidate: closest ? { ttlMs: closest.ttlMs, invalidation: closest.invalidation } : null,
    relax: `${rule.flag} ${limitText} binds: ${relax}`,
  };
}

function noAnswerReason(input: AnswerInput, binding: Binding[]): string {
  const stated = constraintsText(input.constraints);
  if (binding.length === 0) return `nothing meets every constraint (${stated})`;
  return `no TTL meets every constraint (${stated}): ${binding.map((b) => b.relax).join('; ')}`;
}
