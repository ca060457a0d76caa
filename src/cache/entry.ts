/**
 * What the cache stores for a row: `version|loadMs|expiresAt|rowJson`. The
 * short header carries what the harness needs on a hit — the row version (to
 * check staleness), how long the load took and when the entry expires (for
 * XFetch) — so a hit never has to parse the row. The row is decoded only when
 * someone reads it, as an application would when it uses the value.
 */
import type { TtlMs } from '../config/types.ts';
import type { SourceRow } from '../source/driver.ts';
import type { Rng } from '../workload/rng.ts';

export function encodeEntry(row: SourceRow, loadMs: number, expiresAt: number | null): string {
  return `${row.version}|${Math.round(loadMs * 1000) / 1000}|${expiresAt ?? ''}|${JSON.stringify(row)}`;
}

/** A cached value as read from Redis; fields are parsed on first use. */
export class CachedEntry {
  constructor(readonly raw: string) {}

  get version(): number {
    return Number(this.raw.slice(0, this.raw.indexOf('|')));
  }

  /** Δ: how long the load that stored this entry took, in ms. */
  get loadMs(): number {
    const a = this.raw.indexOf('|') + 1;
    return Number(this.raw.slice(a, this.raw.indexOf('|', a)));
  }

  /** Epoch ms of expiry, null for no expiry. */
  get expiresAt(): number | null {
    const a = this.raw.indexOf('|', this.raw.indexOf('|') + 1) + 1;
    const text = this.raw.slice(a, this.raw.indexOf('|', a));
    return text === '' ? null : Number(text);
  }

  get row(): SourceRow {
    const a = this.raw.indexOf('|', this.raw.indexOf('|', this.raw.indexOf('|') + 1) + 1) + 1;
    return JSON.parse(this.raw.slice(a)) as SourceRow;
  }
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
export function xfetchShouldRecompute(
  nowMs: number,
  entry: { loadMs: number; expiresAt: number | null },
  beta: number,
  u: number,
): boolean {
  if (entry.expiresAt === null) return false;
  return nowMs - entry.loadMs * beta * Math.log(u) >= entry.expiresAt;
}
