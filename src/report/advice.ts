/**
 * The closing lines that answer "which TTL?": the shortest TTL that reaches
 * 90% of the best hit ratio (ttl-sweep), and, with --max-stale, the TTL with
 * the best hit ratio whose stale-read ratio stays within budget (freshness).
 * Each says why, in figures measured in this run.
 */
import { formatTtl } from '../config/duration.ts';
import { fmtMs, fmtPct, fmtRate, fmtRatio } from '../metrics/format.ts';
import type { FreshnessRow } from '../suites/freshness.ts';
import type { CurvePoint, TtlSweepRow } from '../suites/ttlSweep.ts';

/** Orders TTLs with `null` (no expiry) last. */
function ttlOrder(a: number | null, b: number | null): number {
  return (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY);
}

export function recommendTtl(rows: TtlSweepRow[], share = 0.9): string | undefined {
  const cached = rows.filter((r): r is TtlSweepRow & { hitRatio: number } => r.hitRatio !== null);
  if (cached.length === 0) return undefined;
  const best = cached.reduce((a, b) => (b.hitRatio > a.hitRatio ? b : a));
  const pick = [...cached].sort((a, b) => ttlOrder(a.ttlMs, b.ttlMs)).find((r) => r.hitRatio >= share * best.hitRatio);
  if (!pick) return undefined;
  const uncached = rows.find((r) => r.ttlMs === 0);
  const baseline = uncached
    ? ` (uncached: ${fmtRate(uncached.sourceReadsPerSec)}/s, p99 ${fmtMs(uncached.p99Ms)} ms)`
    : '';
  return (
    `recommendation: TTL ${formatTtl(pick.ttlMs)} is the shortest that reaches ${Math.round(share * 100)}% of the best hit ratio ` +
    `(${fmtRatio(pick.hitRatio)} vs ${fmtRatio(best.hitRatio)} at ${formatTtl(best.ttlMs)}), with p99 ${fmtMs(pick.p99Ms)} ms ` +
    `and ${fmtRate(pick.sourceReadsPerSec)} source reads/s${baseline}`
  );
}

/**
 * With a trace: the shortest TTL of the simulated curve (~20 log-spaced TTLs
 * over the trace) that reaches `share` of the curve's best hit ratio.
 */
export function recommendFromCurve(curve: readonly CurvePoint[], share = 0.9): string | undefined {
  if (curve.length === 0) return undefined;
  const best = curve.reduce((a, b) => (b.hitRatio > a.hitRatio ? b : a));
  const pick = [...curve].sort((a, b) => a.ttlMs - b.ttlMs).find((p) => p.hitRatio >= share * best.hitRatio);
  if (!pick || best.hitRatio === 0) return undefined;
  return (
    `recommendation (simulated on the trace, ${curve.length} TTLs from ${formatTtl(curve[0]?.ttlMs ?? 0)} to ${formatTtl(curve[curve.length - 1]?.ttlMs ?? 0)}): ` +
    `TTL ${formatTtl(pick.ttlMs)} is the shortest that reaches ${Math.round(share * 100)}% of the best hit ratio ` +
    `(${fmtRatio(pick.hitRatio)} vs ${fmtRatio(best.hitRatio)} at ${formatTtl(best.ttlMs)}), with ${fmtRate(pick.sourceReadsPerSec)} source reads/s predicted`
  );
}

export function adviseMaxStale(rows: FreshnessRow[], maxStalePct: number): string {
  const budget = maxStalePct / 100;
  const measured = rows.filter(
    (r): r is FreshnessRow & { hitRatio: number; staleReadRatio: number } =>
      r.hitRatio !== null && r.staleReadRatio !== null,
  );
  const within = measured.filter((r) => r.staleReadRatio <= budget);
  if (within.length === 0) {
    const least = measured.reduce<(typeof measured)[number] | undefined>(
      (a, b) => (!a || b.staleReadRatio < a.staleReadRatio ? b : a),
      undefined,
    );
    return least
      ? `max-stale ${maxStalePct}%: no measured TTL stays within budget; the freshest was ${least.invalidation} at ${formatTtl(least.ttlMs)} with ${fmtPct(least.staleReadRatio)} stale reads — try shorter TTLs or delete-on-write`
      : `max-stale ${maxStalePct}%: no freshness rows were measured`;
  }
  const pick = within.reduce((a, b) => (b.hitRatio > a.hitRatio ? b : a));
  const over = measured.filter((r) => r.staleReadRatio > budget && r.hitRatio > pick.hitRatio);
  const why = over.length
    ? `; higher hit ratios break the budget (${over.map((r) => `${r.invalidation} ${formatTtl(r.ttlMs)}: ${fmtPct(r.staleReadRatio)} stale`).join(', ')})`
    : '';
  return `max-stale ${maxStalePct}%: use TTL ${formatTtl(pick.ttlMs)} with ${pick.invalidation} invalidation — best hit ratio ${fmtRatio(pick.hitRatio)} with ${fmtPct(pick.staleReadRatio)} stale reads${why}`;
}
