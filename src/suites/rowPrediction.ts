/**
 * The predicted columns of a measured row: the TTL model (ttl-model.md), or,
 * for a row Redis's memory bounded (it evicted), the eviction model at the
 * row's resident keys (src/workload/capacityModel.ts), or none.
 */
import { isLruPolicy } from '../config/memory.ts';
import type { TtlMs } from '../config/types.ts';
import { fmtCount } from '../metrics/format.ts';
import { predictUnderEviction } from '../workload/capacityModel.ts';
import type { KeySampler } from '../workload/keySampler.ts';
import { predictHitRatio, predictSourceReadsPerSec } from '../workload/model.ts';
import type { Rng } from '../workload/rng.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import type { ReadRunResult } from './readRun.ts';
import { type MemoryFields, rowDurationMs } from './rows.ts';

/**
 * What the predicted columns are: the TTL model (ttl-model.md), or, for a row
 * Redis's memory bounded, Che's approximation or the LRU simulator at the
 * row's resident keys, or none (LFU, random: `unavailable`).
 */
/** `trace`: the trace simulator on the requests a --trace row replayed (src/suites/traceReplay.ts). */
export type PredictionBasis = 'ttl' | 'che' | 'simulator' | 'unavailable' | 'trace';

/** What the notes need of a row. */
interface PredictedRow {
  predictionBasis?: PredictionBasis;
  maxmemoryPolicy?: string | null;
  residentKeys?: number | null;
}

/**
 * The row's prediction: the TTL model, unless Redis evicted during the row;
 * then the eviction model at the row's resident keys (capacityModel.ts).
 * Predictions assume Poisson arrivals at the offered rate; in closed loop the
 * achieved rate stands in.
 */
export function predictRow(
  run: ReadRunResult,
  memory: MemoryFields,
  row: { sampler: KeySampler; rng: Rng; ttlMs: TtlMs; settings: SuiteContext['settings'] },
): { basis: PredictionBasis; hitRatio: number | null; sourceReadsPerSec: number | null } {
  const load = loadShape(row.settings);
  const rate = 'rate' in load ? load.rate : run.driver.achievedRate;
  const window = {
    warmupMs: required(row.settings, 'warmupMs'),
    durationMs: rowDurationMs(required(row.settings, 'durationMs'), row.ttlMs),
  };
  const sliding = row.settings.slidingTtl === true;
  if (memory.capacityBound) {
    const evicting = predictUnderEviction({
      probabilities: row.sampler.probabilities,
      rate,
      capacity: memory.residentKeys,
      ttlMs: row.ttlMs,
      sliding,
      policy: memory.maxmemoryPolicy ?? 'unknown',
      window,
      loadMs: run.loadMs ?? 0,
      sampler: row.sampler,
      rng: row.rng,
    });
    if (evicting.basis === 'unavailable') return { basis: 'unavailable', hitRatio: null, sourceReadsPerSec: null };
    return evicting;
  }
  // Δ as this row measured it: reads that land during a load miss too.
  const model = {
    probabilities: row.sampler.probabilities,
    rate,
    ttlMs: row.ttlMs,
    sliding,
    windowMs: window,
    loadMs: run.loadMs ?? undefined,
  };
  return { basis: 'ttl', hitRatio: predictHitRatio(model), sourceReadsPerSec: predictSourceReadsPerSec(model) };
}

/** Rows whose predicted columns are not the TTL model's, and why. */
export function predictionNotes(rows: readonly PredictedRow[], label: (index: number) => string): string[] {
  return rows.flatMap((r, i) => {
    const at = label(i);
    const policy = r.maxmemoryPolicy ?? 'unknown';
    const entries = r.residentKeys == null ? '' : ` of ${fmtCount(r.residentKeys)} entries`;
    if (r.predictionBasis === 'che') return [`${at}: predicted = Che's approximation for LRU${entries} (${policy})`];
    if (r.predictionBasis === 'simulator') {
      return [`${at}: predicted = exact TTL + LRU cache${entries} simulated on the same key popularity (${policy})`];
    }
    if (r.predictionBasis === 'unavailable') {
      const why = isLruPolicy(policy) ? 'its resident keys could not be counted' : `no model of ${policy} eviction`;
      return [`${at}: predicted n/a: ${why} (the TTL-only figure would ignore the evictions)`];
    }
    return [];
  });
}
