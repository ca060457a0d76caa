/**
 * The prediction of a row whose cache Redis's memory limit bounded (it
 * evicted). The TTL-only model assumes every loaded entry stays until its
 * TTL; under eviction it overstates the hit ratio (issue 17: 0.668 predicted,
 * 0.078 measured, 26,412 evictions). Here the capacity is the row's measured
 * one, C = its keys resident at the window's end.
 *
 * - LRU policies (allkeys-lru, volatile-lru) with no TTL or a sliding one:
 *   Che's approximation with τ = min(T, t_C) (che.ts), a steady state.
 * - LRU with a fixed finite TTL has no closed form: an exact TTL cache with
 *   LRU of capacity C (simulator.ts) replays Poisson requests drawn from the
 *   same popularity, rate, window (from an empty cache) and load time Δ.
 * - LFU, random and volatile-ttl evict by other rules, which neither models:
 *   no prediction, rather than the TTL-only figure that eviction breaks.
 *
 * Redis samples its LRU (maxmemory-samples keys per eviction, 5 by default,
 * 10 on the harness's throwaway server), so it evicts a key that is only
 * nearly the least recently used: the capacity suite measures that gap.
 */
import type { TtlMs } from '../config/types.ts';
import { predictLru } from './che.ts';
import type { KeySampler } from './keySampler.ts';
import type { Rng } from './rng.ts';
import { type RequestArrays, simulate } from './simulator.ts';

export interface EvictionInput {
  probabilities: Float64Array;
  rate: number;
  /** Entries the cache held (resident keys); null when they could not be counted. */
  capacity: number | null;
  ttlMs: TtlMs;
  sliding: boolean;
  /** maxmemory-policy as INFO memory reports it. */
  policy: string;
  window: { warmupMs: number; durationMs: number };
  /** Δ, the measured load time, for the simulator; 0 when omitted. */
  loadMs?: number;
  /** The row's key sampler and a random stream, for the simulator's requests. */
  sampler: KeySampler;
  rng: Rng;
}

export type EvictionPrediction =
  | { basis: 'che' | 'simulator'; hitRatio: number; sourceReadsPerSec: number }
  | { basis: 'unavailable'; reason: string };

/** Simulated reads to aim for: the binomial spread of the hit ratio is then ≤ 0.0011. */
const SIMULATED_READS = 200_000;
const MAX_REPLAYS = 20;

export function predictUnderEviction(input: EvictionInput): EvictionPrediction {
  const { capacity, policy, ttlMs } = input;
  if (policy !== 'allkeys-lru' && policy !== 'volatile-lru') {
    return { basis: 'unavailable', reason: `no model of ${policy} eviction (only LRU policies are predicted)` };
  }
  if (capacity === null || !(capacity >= 1)) {
    return { basis: 'unavailable', reason: 'the resident keys could not be counted' };
  }
  if (ttlMs === 0) return { basis: 'che', hitRatio: 0, sourceReadsPerSec: input.rate };
  if (ttlMs === null || input.sliding) {
    const lru = predictLru({ probabilities: input.probabilities, rate: input.rate, capacity, slidingTtlMs: ttlMs });
    return { basis: 'che', hitRatio: lru.hitRatio, sourceReadsPerSec: lru.sourceReadsPerSec };
  }
  return { basis: 'simulator', ...simulateRow(input, Math.round(capacity), ttlMs) };
}

/** Replays of the row's window on fresh Poisson streams, pooled: its hit ratio and source reads/s. */
function simulateRow(input: EvictionInput, capacity: number, ttlMs: number) {
  const { warmupMs, durationMs } = input.window;
  const measuredPerReplay = Math.max(1, (input.rate * durationMs) / 1000);
  const replays = Math.min(MAX_REPLAYS, Math.ceil(SIMULATED_READS / measuredPerReplay));
  let reads = 0;
  let hits = 0;
  for (let r = 0; r < replays; r++) {
    const requests = poissonRequests(input, warmupMs + durationMs, input.rng.fork(`replay ${r}`));
    const result = simulate(requests, { ttlMs, capacity, loadMs: input.loadMs ?? 0, warmupMs, durationMs });
    reads += result.reads;
    hits += result.hits;
  }
  const hitRatio = reads > 0 ? hits / reads : 0;
  return { hitRatio, sourceReadsPerSec: input.rate * (1 - hitRatio) };
}

/** Reads only, at Poisson times over [0, spanMs), keys drawn from the row's popularity. */
function poissonRequests(input: EvictionInput, spanMs: number, rng: Rng): RequestArrays {
  const expected = Math.ceil((input.rate * spanMs) / 1000);
  const capacity = expected + 10 * Math.ceil(Math.sqrt(expected)) + 10;
  const timeMs = new Float64Array(capacity);
  const key = new Int32Array(capacity);
  const keys = input.sampler.withRng(rng.fork('keys'));
  const meanGapMs = 1000 / input.rate;
  let t = rng.exponential(meanGapMs);
  let n = 0;
  while (t < spanMs && n < capacity) {
    timeMs[n] = t;
    key[n] = keys.next();
    n++;
    t += rng.exponential(meanGapMs);
  }
  return {
    timeMs: timeMs.subarray(0, n),
    key: key.subarray(0, n),
    op: new Uint8Array(n), // OP_READ = 0
    uniqueKeys: input.probabilities.length,
  };
}

/**
 * The fewest entries whose predicted hit ratio reaches `target` (bisection
 * over whole entries: the hit ratio grows with the capacity), or null when
 * even the whole key space (`keys`) falls short.
 */
export function entriesFor(target: number, hitRatioAt: (entries: number) => number, keys: number): number | null {
  if (hitRatioAt(keys) < target) return null;
  let low = 0; // below target (or 0)
  let high = keys; // reaches it
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (hitRatioAt(mid) >= target) high = mid;
    else low = mid;
  }
  return high;
}

/** The hit ratio the eviction model predicts at `entries`, the rest of the row as `input`; null when it has none. */
export function predictedHitRatioAt(input: Omit<EvictionInput, 'capacity'>, entries: number): number | null {
  const prediction = predictUnderEviction({ ...input, capacity: entries });
  return prediction.basis === 'unavailable' ? null : prediction.hitRatio;
}
