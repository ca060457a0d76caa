/**
 * `--speedup K`: a scenario is written in production units (300 reads/s, a
 * 15 minute TTL, an hour of traffic) and run K times faster.
 *
 * Rates are multiplied by K and TTLs and durations divided by K; which is
 * which is declared with each option (`speedup` in the option table). The hit
 * ratio of a key read at rate λ with TTL T depends only on λ·T (a read hits
 * unless the entry expired since the last load), so it is invariant under the
 * scaling, and so are reads per TTL period and the predicted figures.
 *
 * The source latency Δ is NOT scaled: it is a physical delay (network plus
 * MySQL), as is Redis's own round trip, and neither can be made K times
 * shorter. The cost is that λ·Δ — how many reads arrive while one load is in
 * flight, which drives stampedes and the read/write races behind stale reads —
 * grows by K. Results at a high speedup overstate those effects; the snapshot
 * records `speedup` so a reader can tell.
 */
import type { OptionSpec } from './option.ts';
import { OPTIONS, type Settings } from './options.ts';
import type { TtlMs } from './types.ts';

/** Divide a positive time by K, in whole ms, never rounding a positive one down to 0. */
function shrink(ms: number, k: number): number {
  return ms <= 0 ? ms : Math.max(1, Math.round(ms / k));
}

const CONVERT = {
  rate: (value: number, k: number) => value * k,
  time: (value: number, k: number) => shrink(value, k),
  // 0 (no cache) and null (no expiry) mean the same at any speed.
  ttls: (value: TtlMs[], k: number) => value.map((ttl) => (ttl === null || ttl === 0 ? ttl : shrink(ttl, k))),
};

/** Settings in run units, `k` from the run's `--speedup`. Apply once, not twice. */
export function toRunUnits<S extends Partial<Settings>>(settings: S, k: number): S {
  if (k === 1) return { ...settings };
  const out: Record<string, unknown> = { ...settings };
  for (const o of OPTIONS as readonly OptionSpec[]) {
    const value = out[o.key];
    if (value === undefined || o.speedup === undefined || o.speedup === 'none') continue;
    out[o.key] = (CONVERT[o.speedup] as (v: unknown, k: number) => unknown)(value, k);
  }
  return out as S;
}
