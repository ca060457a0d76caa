/**
 * What the cache stores for a row: the row itself (carrying its `version`, so
 * a hit can be checked against the source), how long the load took (`d`, for
 * XFetch) and when the entry expires (`e`, epoch ms, null for no expiry).
 */
import type { TtlMs } from '../config/types.ts';
import type { ProductRow } from '../source/sqliteSource.ts';
import type { Rng } from '../workload/rng.ts';

export interface CacheEntry {
  v: ProductRow;
  d: number;
  e: number | null;
}

export function encodeEntry(entry: CacheEntry): string {
  return JSON.stringify(entry);
}

export function decodeEntry(raw: string): CacheEntry {
  return JSON.parse(raw) as CacheEntry;
}

/**
 * The TTL to set for one write: `ttlMs` spread uniformly by up to ±`jitterPct`
 * percent so that entries written together do not expire together. Never
 * below 1 ms (Redis rejects PX 0). `null` stays `null` (no expiry).
 */
export function jitteredTtl(ttlMs: TtlMs, jitterPct: number, rng: Rng | undefined): TtlMs {
  if (ttlMs === null || jitterPct <= 0 || !rng) return ttlMs;
  const spread = (jitterPct / 100) * (2 * rng.next() - 1);
  return Math.max(1, Math.round(ttlMs * (1 + spread)));
}

/**
 * XFetch (Vattani et al., PVLDB 2015): recompute before expiry when
 * `now − Δ·β·ln(U) ≥ expiry`, U uniform on (0, 1]. A read τ ms before expiry
 * recomputes with probability exp(−τ / (β·Δ)).
 */
export function xfetchShouldRecompute(nowMs: number, entry: CacheEntry, beta: number, u: number): boolean {
  if (entry.e === null) return false;
  return nowMs - entry.d * beta * Math.log(u) >= entry.e;
}
