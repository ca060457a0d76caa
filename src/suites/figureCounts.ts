/**
 * The counts behind a figure, for `compare` to judge a single run: hit and
 * stale ratios are events out of reads (binomial), loads per expiry is loads
 * over expiries, source reads/s a Poisson count over the window. Snapshots
 * from before the counts were recorded get them back from the ratio and the
 * reads, rounded: exact for the figures they printed.
 */
import type { FigureCounts } from './suite.ts';

type Row = Record<string, unknown>;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** `hitRatio` as hits out of the reads that asked Redis (`reads` in older snapshots). */
export function hitRatioCounts(row: Row): FigureCounts | null {
  const ratio = num(row.hitRatio);
  const trials = num(row.cacheReads) ?? num(row.reads);
  if (ratio === null || trials === null || trials < 1) return null;
  const events = num(row.hits) ?? ratio * trials;
  return proportion(events, trials);
}

/** `staleReadRatio`: stale reads out of all reads. */
export function staleRatioCounts(row: Row): FigureCounts | null {
  const stale = num(row.staleReads);
  const reads = num(row.reads);
  if (stale === null || reads === null || reads < 1) return null;
  return proportion(stale, reads);
}

/** `loadsPerExpiry`: loads over expiries. */
export function loadsPerExpiryCounts(row: Row): FigureCounts | null {
  const loads = num(row.loads);
  const expiries = num(row.expiries);
  if (loads === null || expiries === null || Math.round(expiries) < 1) return null;
  return { kind: 'loadsPerExpiry', loads: Math.round(loads), expiries: Math.round(expiries) };
}

/** `sourceReadsPerSec`: source reads over the window (seconds); older snapshots: reads over reads/s. */
export function sourceReadCounts(row: Row): FigureCounts | null {
  const rate = num(row.sourceReadsPerSec);
  const windowMs = num(row.windowMs);
  const reads = num(row.reads);
  const readsPerSec = num(row.readsPerSec);
  const seconds = windowMs !== null ? windowMs / 1000 : reads !== null && readsPerSec ? reads / readsPerSec : null;
  if (rate === null || seconds === null || !(seconds > 0)) return null;
  const count = num(row.sourceReads) ?? rate * seconds;
  return { kind: 'rate', count: Math.round(count), exposure: seconds };
}

function proportion(events: number, trials: number): FigureCounts {
  const n = Math.round(trials);
  return { kind: 'proportion', events: Math.min(n, Math.max(0, Math.round(events))), trials: n };
}
