/**
 * What the cache layer counts, per row: the row runner owns one of these,
 * hands it to the service (and through it to the stampede coordinator), and
 * adds its errors to the run's. Reads' outcomes (hit, miss …) are counted by
 * the row runner from the results, not here.
 */
export interface CacheCounters {
  /** Source loads made to fill the cache (misses, early recomputes, lock holders). */
  loads: number;
  /** Total time loads took, pool wait + source delay + query + SET, in ms: Δ = loadMs / loads. */
  loadMs: number;
  /** Loads whose value was stored. */
  stores: number;
  /**
   * Stores that refilled a missing key (the first after it was found
   * missing), and their load times in ms: while the key is missing, reads
   * miss until this store lands, so Δ in the model is refillMs / refills.
   * Loads that queue behind it (a herd, a busy pool) take longer but do not
   * widen that window, which is why the mean of all loads would overstate Δ.
   */
  refills: number;
  refillMs: number;
  /** Total time from each stored load's source query to its SET completing (δ, the race window), in ms. */
  raceWindowMs: number;
  /**
   * Ends of stored values' lives: a life starts at a successful store and
   * ends at the first read that finds the key missing. Counted apart from
   * loads, so that loads per expiry is a ratio of two independent counts.
   */
  expiries: number;
  /** XFetch recomputes done before expiry. */
  earlyRecomputes: number;
  /** Misses that waited for another reader's lock instead of loading. */
  lockWaits: number;
  redisErrors: number;
  sourceErrors: number;
}

export function newCacheCounters(): CacheCounters {
  return {
    loads: 0,
    loadMs: 0,
    stores: 0,
    refills: 0,
    refillMs: 0,
    raceWindowMs: 0,
    expiries: 0,
    earlyRecomputes: 0,
    lockWaits: 0,
    redisErrors: 0,
    sourceErrors: 0,
  };
}

/** `after − before`, field by field: what happened in a window. */
export function countersSince(after: CacheCounters, before: CacheCounters): CacheCounters {
  const delta = newCacheCounters();
  for (const key of Object.keys(delta) as (keyof CacheCounters)[]) delta[key] = after[key] - before[key];
  return delta;
}
