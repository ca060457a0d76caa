/**
 * `--speedup K`: a scenario is written in production units (300 reads/s, a
 * 15 minute TTL, an hour of traffic) and run K times faster.
 *
 * Rates are multiplied by K and TTLs and durations divided by K. The hit ratio
 * of a key read at rate λ with TTL T depends only on λ·T (a read hits unless
 * the entry expired since the last load), so it is invariant under the scaling,
 * and so are reads per TTL period and the predicted figures.
 *
 * The source latency Δ is NOT scaled: it is a physical delay (network plus
 * MySQL), as is Redis's own round trip, and neither can be made K times
 * shorter. The cost is that λ·Δ — how many reads arrive while one load is in
 * flight, which drives stampedes and the read/write races behind stale reads —
 * grows by K. Results at a high speedup overstate those effects; the snapshot
 * records `speedup` so a reader can tell.
 */
import type { BenchOptions, TtlMs } from './types.ts';

/** Divide a positive time by K, in whole ms, never rounding a positive one down to 0. */
function shrink(ms: number, k: number): number {
  return ms <= 0 ? ms : Math.max(1, Math.round(ms / k));
}

/**
 * Options in run units. `speedup` itself is kept, so measured rates can be
 * divided back into production units; apply this once, not twice.
 */
export function toRunUnits(options: BenchOptions): BenchOptions {
  const k = options.speedup;
  if (k === 1) return { ...options };
  const times = (rate: number | undefined) => (rate === undefined ? undefined : rate * k);
  const divide = (ms: number | undefined) => (ms === undefined ? undefined : shrink(ms, k));
  return {
    ...options,
    rate: times(options.rate),
    writeRate: times(options.writeRate),
    // 0 (no cache) and null (no expiry) mean the same at any speed.
    ttl: options.ttl?.map((ttl): TtlMs => (ttl === null || ttl === 0 ? ttl : shrink(ttl, k))),
    durationMs: divide(options.durationMs),
    warmupMs: divide(options.warmupMs),
  };
}
