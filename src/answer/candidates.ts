/**
 * Every (TTL, invalidation) pair the answer may recommend, with the run's
 * figures for it: measured where a suite measured that pair (freshness under
 * writes first, then ttl-sweep for TTL-only), predicted by the model
 * (../../shared/ttl-model.md, at the run's read and write rates and key
 * popularity) where none did. Figures come out in production units.
 */
import { formatTtl } from '../config/duration.ts';
import { INVALIDATIONS, type Invalidation, type TtlMs } from '../config/types.ts';
import type { FreshnessRow } from '../suites/freshness.ts';
import type { StampedeRow } from '../suites/stampede.ts';
import type { TtlSweepRow } from '../suites/ttlSweep.ts';
import { predictFreshness } from '../workload/model.ts';
import type { Candidate, Figure, Limit } from './types.ts';

/** The workload the model predicts for (run units): the freshness suite's, else ttl-sweep's. */
export interface AnswerModel {
  probabilities: Float64Array;
  writeProbabilities: Float64Array;
  /** Reads/s and writes/s (run units). */
  rate: number;
  writeRate: number;
  sliding: boolean;
  /** δ as freshness measured it (ms): the race behind stale reads despite invalidation; undefined: not measured. */
  raceMs: number | undefined;
  /** Where the write rate comes from, for the figures' `from`. */
  writeRateFrom: string;
}

export interface AnswerInput {
  /** `--speedup`: run-unit rows are converted back to production units. */
  speedup: number;
  sweepRows: readonly TtlSweepRow[];
  freshnessRows: readonly FreshnessRow[];
  stampedeRows: readonly StampedeRow[];
  model: AnswerModel | null;
  constraints: { maxStalePct: Limit; maxStaleAgeMs: Limit; maxSourceRate: Limit; maxP99Ms: Limit };
  /** Said with the reason, e.g. that the run was degraded and its figures may not be representative. */
  caveat?: string;
}

/**
 * No expiry never reaches a steady state within a run; a window that starts
 * this long after the empty cache (about 31,000 years) is its steady state:
 * every key ever read is resident, e^{−λ·a} is 0 for every key read at all.
 */
const STEADY_STATE = { warmupMs: 1e15, durationMs: 1000 };

const byTtl = (a: TtlMs, b: TtlMs) => (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY);

export function candidates(input: AnswerInput): Candidate[] {
  const ttls = [...new Set([...input.sweepRows.map((r) => r.ttlMs), ...input.freshnessRows.map((r) => r.ttlMs)])];
  return ttls.sort(byTtl).flatMap((ttl) =>
    // TTL 0 caches nothing: invalidation means nothing there.
    (ttl === 0 ? (['ttl'] as const) : INVALIDATIONS).map((inv) => candidate(input, ttl, inv)),
  );
}

function candidate(input: AnswerInput, ttlMs: TtlMs, invalidation: Invalidation): Candidate {
  const k = input.speedup;
  const sweep = input.sweepRows.find((r) => r.ttlMs === ttlMs);
  const fresh = input.freshnessRows.find((r) => r.ttlMs === ttlMs && r.invalidation === invalidation);
  const prodTtl = sweep ? sweep.productionTtlMs : ttlMs === null || ttlMs === 0 ? ttlMs : ttlMs * k;
  const at = `TTL ${formatTtl(prodTtl)}`;
  const predicted = predict(input.model, ttlMs, invalidation, sweep?.loadMs ?? fresh?.loadMs ?? null);
  const model = (value: number | null, what: string): Figure =>
    predicted
      ? { value, mark: 'predicted', from: `ttl-model.md ${what}, ${input.model?.writeRateFrom}` }
      : { value: null, mark: 'predicted', from: 'no measurement and no model' };
  const [hitRatio, sourceReadsPerSec] = load({ input, ttlMs, invalidation, sweep, fresh, at, predicted, model });
  return {
    ttlMs: prodTtl,
    invalidation,
    hitRatio,
    sourceReadsPerSec: perProduction(sourceReadsPerSec, k),
    p99Ms: p99(input.freshnessRows, ttlMs, sweep, fresh, at, invalidation),
    ...staleness({
      ttlMs,
      prodTtl,
      invalidation,
      fresh,
      at,
      predicted,
      model,
      k,
      raceMeasured: input.model?.raceMs !== undefined,
    }),
  };
}

interface Sources {
  input: AnswerInput;
  ttlMs: TtlMs;
  invalidation: Invalidation;
  sweep: TtlSweepRow | undefined;
  fresh: FreshnessRow | undefined;
  at: string;
  predicted: ReturnType<typeof predict>;
  model: (value: number | null, what: string) => Figure;
}

/** Hit ratio and source reads/s (run units). */
function load({ ttlMs, invalidation, sweep, fresh, at, predicted, model }: Sources): [Figure, Figure] {
  if (ttlMs === 0 && sweep) {
    const from = `ttl-sweep ${at} (no cache)`;
    return [
      { value: 0, mark: 'measured', from },
      { value: sweep.sourceReadsPerSec, mark: 'measured', from },
    ];
  }
  // The measured no-expiry rows were still filling (warm-up + window); the answer weighs where it settles —
  // unless memory bounded the row: then Redis evicts, the row is its steady state, and it is measured.
  const memoryBound = sweep !== undefined && 'capacityBound' in sweep && sweep.capacityBound === true;
  if (ttlMs === null && predicted && !memoryBound) {
    return [
      model(predicted.hitRatio, 'steady state (no expiry: every key read is resident)'),
      model(predicted.sourceReadsPerSec, 'steady state'),
    ];
  }
  if (ttlMs === null && memoryBound && sweep.hitRatio !== null) {
    const from = `ttl-sweep ${at} (capacity-bound: Redis evicted)`;
    return [
      { value: sweep.hitRatio, mark: 'measured', from },
      { value: sweep.sourceReadsPerSec, mark: 'measured', from },
    ];
  }
  if (fresh && fresh.hitRatio !== null) {
    const from = `freshness ${invalidation} ${at}`;
    const source: Figure =
      fresh.sourceReadsPerSec === undefined
        ? model(predicted?.sourceReadsPerSec ?? null, 'source reads (older snapshot: not recorded)')
        : { value: fresh.sourceReadsPerSec, mark: 'measured', from };
    return [{ value: fresh.hitRatio, mark: 'measured', from }, source];
  }
  // Writes do not change a TTL-only hit ratio (ttl-model.md, "Staleness"): ttl-sweep's rows stand.
  if (invalidation === 'ttl' && sweep && sweep.hitRatio !== null) {
    const from = `ttl-sweep ${at}`;
    return [
      { value: sweep.hitRatio, mark: 'measured', from },
      { value: sweep.sourceReadsPerSec, mark: 'measured', from },
    ];
  }
  return [model(predicted?.hitRatio ?? null, 'hit ratio'), model(predicted?.sourceReadsPerSec ?? null, 'source reads')];
}

/** No model has p99: the pair's own row, else the TTL's sweep row (TTL only), else any freshness row at the TTL. */
function p99(
  rows: readonly FreshnessRow[],
  ttlMs: TtlMs,
  sweep: TtlSweepRow | undefined,
  fresh: FreshnessRow | undefined,
  at: string,
  invalidation: Invalidation,
): Figure {
  if (fresh) return { value: fresh.p99Ms, mark: 'measured', from: `freshness ${invalidation} ${at}` };
  const still = ttlMs === null ? ', still filling' : '';
  if (sweep) {
    const only = invalidation === 'ttl' ? '' : ', TTL only';
    return { value: sweep.p99Ms, mark: 'measured', from: `ttl-sweep ${at}${only}${still}` };
  }
  const other = rows.find((r) => r.ttlMs === ttlMs);
  if (other) return { value: other.p99Ms, mark: 'measured', from: `freshness ${other.invalidation} ${at}` };
  return { value: null, mark: 'measured', from: 'not measured' };
}

interface StaleSources {
  ttlMs: TtlMs;
  prodTtl: TtlMs;
  invalidation: Invalidation;
  fresh: FreshnessRow | undefined;
  at: string;
  predicted: ReturnType<typeof predict>;
  model: (value: number | null, what: string) => Figure;
  k: number;
  raceMeasured: boolean;
}

function staleness(s: StaleSources): Pick<Candidate, 'staleReadRatio' | 'maxStaleAgeMs'> {
  if (s.ttlMs === 0) {
    const none: Figure = { value: 0, mark: 'predicted', from: 'TTL 0 caches nothing, so nothing is stale' };
    return { staleReadRatio: none, maxStaleAgeMs: none };
  }
  // TTL-only without expiry: measured over a short window it looks fresh; at steady state every written row is stale.
  if (s.fresh && s.fresh.staleReadRatio !== null && !(s.ttlMs === null && s.invalidation === 'ttl')) {
    const from = `freshness ${s.invalidation} ${s.at}`;
    const age = s.fresh.staleReads === 0 ? 0 : s.fresh.maxStaleAgeMs === null ? null : s.fresh.maxStaleAgeMs * s.k;
    return {
      staleReadRatio: {
        value: s.fresh.staleReadRatio,
        mark: 'measured',
        from,
        // Under 30 stale reads the ratio carries its interval: 0 of 1,600 reads does not show a 0.01% budget is met.
        ...(s.fresh.staleReadRatioInterval ? { upper: s.fresh.staleReadRatioInterval.upper } : {}),
      },
      maxStaleAgeMs: foreverAge(s, age) ?? { value: age, mark: 'measured', from },
    };
  }
  const ratio = s.predicted?.staleReadRatio ?? null;
  const what =
    s.invalidation === 'ttl'
      ? 'stale hits'
      : `reader–writer race (first order in μδ${s.raceMeasured ? '' : ', δ bounded by the load time Δ'})`;
  // A stale entry lives until it expires: at most the TTL; without expiry until the key's next write.
  const age = ratio === 0 ? 0 : s.prodTtl;
  return {
    staleReadRatio: s.model(ratio, what),
    maxStaleAgeMs: s.model(age, age === null ? 'age: unbounded without expiry' : 'age: at most the TTL'),
  };
}

/**
 * Without expiry a stale entry stays until its key's next write, which for a
 * rarely written key is any time at all: a short window's largest age says
 * nothing about the tail, so the age is unbounded once anything was stale.
 */
function foreverAge(s: StaleSources, measuredAge: number | null): Figure | undefined {
  if (s.ttlMs !== null || (measuredAge === 0 && !((s.predicted?.staleReadRatio ?? 0) > 0))) return undefined;
  const seen = measuredAge === null ? '' : ` (the window saw ${measuredAge} ms)`;
  return {
    value: null,
    mark: 'predicted',
    from: `unbounded without expiry: a stale entry stays until its key's next write${seen}`,
  };
}

function predict(model: AnswerModel | null, ttlMs: TtlMs, invalidation: Invalidation, loadMs: number | null) {
  if (!model) return null;
  return predictFreshness({
    probabilities: model.probabilities,
    rate: model.rate,
    ttlMs,
    sliding: model.sliding,
    windowMs: ttlMs === null ? STEADY_STATE : undefined,
    writeProbabilities: model.writeProbabilities,
    writeRate: model.writeRate,
    invalidation,
    loadMs: loadMs ?? undefined,
    // Not measured (freshness did not run): δ is part of the load, so the whole load time Δ bounds it.
    raceMs: model.raceMs ?? loadMs ?? undefined,
  });
}

function perProduction(figure: Figure, k: number): Figure {
  return figure.value === null ? figure : { ...figure, value: figure.value / k };
}
