/**
 * The one answer a run gives to "which TTL should I use?", as the snapshot
 * saves it (`answer`, see the README's "The answer"). Every figure is in the
 * scenario's production units and is marked measured or predicted.
 */
import { z } from 'zod';
import type { Invalidation, TtlMs } from '../config/types.ts';

export type Mark = 'measured' | 'predicted';

/** One figure behind the answer: its value, how it was obtained, and from which row or formula. */
export interface Figure {
  /** null: unknown (p99 nobody measured) or, for a stale age, unbounded. */
  value: number | null;
  mark: Mark;
  from: string;
  /** The 95% upper bound when a measured ratio rests on a small sample: the constraint is judged on it. */
  upper?: number;
}

export const FIGURES = ['hitRatio', 'sourceReadsPerSec', 'p99Ms', 'staleReadRatio', 'maxStaleAgeMs'] as const;
export type FigureName = (typeof FIGURES)[number];

/** A TTL and an invalidation strategy, with the figures the run has for them. */
export interface Candidate extends Record<FigureName, Figure> {
  ttlMs: TtlMs;
  invalidation: Invalidation;
}

/** One constraint as the answer states it: its value (null: no limit) and whether the user gave it. */
export interface Limit {
  value: number | null;
  given: boolean;
}

export const CONSTRAINTS = ['maxStalePct', 'maxStaleAgeMs', 'maxSourceRate', 'maxP99Ms'] as const;
export type ConstraintName = (typeof CONSTRAINTS)[number];

/** The stampede strategy that keeps an expiry's source load lowest (and under --max-source-rate, if given). */
export interface StampedePick {
  strategy: string;
  loadsPerExpiry: number | null;
  /** The source reads/s the stampede suite measured while its hot keys expired, production units. */
  sourceReadsPerSec: number;
  mark: Mark;
}

export interface Constraints {
  maxStalePct: Limit;
  maxStaleAgeMs: Limit;
  maxSourceRate: Limit & { stampede: StampedePick | null };
  maxP99Ms: Limit;
}

export interface RunnerUp {
  ttlMs: TtlMs;
  invalidation: Invalidation;
  hitRatio: number | null;
  sourceReadsPerSec: number | null;
  p99Ms: number | null;
  staleReadRatio: number | null;
  lostBecause: string;
}

export interface Recommendation {
  recommended: true;
  ttlMs: TtlMs;
  invalidation: Invalidation;
  hitRatio: number | null;
  sourceReadsPerSec: number | null;
  p99Ms: number | null;
  staleReadRatio: number | null;
  /** null: unbounded (an entry that never expires can stay stale until its key is written again). */
  maxStaleAgeMs: number | null;
  basis: Record<FigureName, { mark: Mark; from: string }>;
  constraints: Constraints;
  runnerUp: RunnerUp | null;
  reason: string;
}

/** A constraint that no candidate meets together with the others: by how much, and what would relax it. */
export interface Binding {
  constraint: ConstraintName;
  flag: string;
  limit: number;
  /** The least any candidate needs (that meets the other constraints, when one does). */
  needed: number | null;
  candidate: { ttlMs: TtlMs; invalidation: Invalidation } | null;
  relax: string;
}

export interface NoRecommendation {
  recommended: false;
  binding: Binding[];
  reason: string;
}

export type Answer = Recommendation | NoRecommendation;

const figureBasis = z.object({ mark: z.enum(['measured', 'predicted']), from: z.string() });
const limit = z.looseObject({ value: z.number().nullable(), given: z.boolean() });

/** Validates `answer` when a snapshot is read back (absent in snapshots older than the answer). */
export const answerSchema = z.union([
  z.looseObject({
    recommended: z.literal(true),
    ttlMs: z.number().nullable(),
    invalidation: z.enum(['ttl', 'delete', 'write-through']),
    hitRatio: z.number().nullable(),
    sourceReadsPerSec: z.number().nullable(),
    p99Ms: z.number().nullable(),
    staleReadRatio: z.number().nullable(),
    maxStaleAgeMs: z.number().nullable(),
    basis: z.looseObject(Object.fromEntries(FIGURES.map((f) => [f, figureBasis]))),
    constraints: z.looseObject(Object.fromEntries(CONSTRAINTS.map((c) => [c, limit]))),
    runnerUp: z.looseObject({ ttlMs: z.number().nullable(), lostBecause: z.string() }).nullable(),
    reason: z.string(),
  }),
  z.looseObject({
    recommended: z.literal(false),
    binding: z.array(z.looseObject({ constraint: z.enum(CONSTRAINTS), limit: z.number(), relax: z.string() })),
    reason: z.string(),
  }),
]);
